"""Entra ID tokens for the tab's tests: signed with a test RSA key whose key set a fake fetch serves
to web.auth.TokenValidator, so the real signature, expiry, audience, scope, issuer and tenant
checks run (nothing is switched off)."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from web.auth import TokenValidator

__all__ = ["APP_ID", "TENANT", "OTHER_TENANT", "KID", "KeyServer", "claims", "sign", "validator"]

APP_ID = "11111111-2222-3333-4444-555555555555"
TENANT = "aaaaaaaa-0000-0000-0000-000000000001"
OTHER_TENANT = "bbbbbbbb-0000-0000-0000-000000000002"
KID = "tab-test-key"
KEYS_URL = "https://login.test/common/discovery/v2.0/keys"

SIGNING_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
STRANGER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


class KeyServer:
    """Serves the key set as Entra ID would; records each fetch's thread."""

    def __init__(self, *, down: bool = False) -> None:
        jwk = json.loads(RSAAlgorithm.to_jwk(SIGNING_KEY.public_key()))
        self.jwks = {"keys": [{**jwk, "kid": KID, "use": "sig", "alg": "RS256"}]}
        self.down = down
        self.threads: list[threading.Thread] = []

    def __call__(self, url: str) -> Any:
        self.threads.append(threading.current_thread())
        assert url == KEYS_URL, url
        if self.down:
            raise OSError("login.microsoftonline.com is unreachable")
        return self.jwks


def claims(oid: str, **changes: Any) -> dict[str, Any]:
    """A v1 access token's claims for the tab's API, as Teams SSO issues them; None drops a claim."""
    now = int(time.time())
    base: dict[str, Any] = {
        "aud": f"api://tracker.example.test/{APP_ID}",
        "iss": f"https://sts.windows.net/{TENANT}/",
        "tid": TENANT,
        "oid": oid,
        "scp": "access_as_user",
        "preferred_username": "someone@example.test",
        "iat": now - 60,
        "nbf": now - 60,
        "exp": now + 3600,
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def sign(payload: dict[str, Any], *, key: rsa.RSAPrivateKey = SIGNING_KEY, kid: str = KID, alg: str = "RS256") -> str:
    return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid})


def validator(keys: KeyServer | None = None, *, tenants: tuple[str, ...] = (TENANT,)) -> TokenValidator:
    return TokenValidator(APP_ID, tenants, keys_url=KEYS_URL, fetch=keys or KeyServer())
