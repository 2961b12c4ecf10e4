"""Issue 10, points 1 and 7: every request that fails authentication gets 401 (503 only when the
signing keys cannot be fetched), is logged once at WARNING without a traceback, and runs no turn.

Every test runs on both hosts (bot/platform). Tokens are signed with a test RSA key whose OpenID
metadata and key set are served to each SDK's own validation path (`build_host(fetch_keys=...)`):
signature, issuer, audience, expiry and serviceUrl are checked by the SDK (and bot/platform/tokens.py),
not switched off.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

import aiohttp
import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bot.platform import HOSTS
from config import Settings
from tests.bot.hosts import EchoLogic, serve_echo, stub_bot_token
from tests.fakes.connector import FakeConnector, make_activity

APP_ID = "00000000-0000-0000-0000-00000000abcd"
APP_PASSWORD = "app-password-" + "p" * 30
KID = "test-key-1"
JWKS_URL = "https://keys.test/jwks"
METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"  # botbuilder reads this
BOT_FRAMEWORK_KEYS = "https://login.botframework.com/v1/.well-known/keys"  # the Agents SDK reads this
CHANNEL_ISSUER = "https://api.botframework.com"


def _private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


SIGNING_KEY = _private_key()
STRANGER_KEY = _private_key()


class KeyServer:
    """Serves the OpenID metadata and key set, as login.botframework.com would; records the threads."""

    def __init__(self, *, down: bool = False) -> None:
        jwk = json.loads(RSAAlgorithm.to_jwk(SIGNING_KEY.public_key()))
        self.jwks = {"keys": [{**jwk, "kid": KID, "use": "sig", "endorsements": ["msteams"]}]}
        self.down = down
        self.threads: list[threading.Thread] = []

    def __call__(self, url: str) -> Any:
        self.threads.append(threading.current_thread())
        if self.down:
            raise requests.ConnectionError("login.botframework.com is unreachable")
        if url in (JWKS_URL, BOT_FRAMEWORK_KEYS) or url.endswith("/discovery/v2.0/keys"):
            return self.jwks  # the worst case: a token naming another issuer checks out against these keys
        assert url == METADATA_URL, url
        return {"issuer": CHANNEL_ISSUER, "jwks_uri": JWKS_URL}


def claims(service_url: str, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {
        "iss": CHANNEL_ISSUER,
        "aud": APP_ID,
        "serviceurl": service_url,
        "nbf": now - 60,
        "iat": now - 60,
        "exp": now + 3600,
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def sign(payload: dict[str, Any], key: Any = SIGNING_KEY, kid: str | None = KID, algorithm: str = "RS256") -> str:
    """Signs any claims as given: PyJWT's own encode() refuses some wrong ones (a number as issuer), and
    the point is to send exactly those to the bot."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    return jwt.api_jws.PyJWS().encode(body, key, algorithm=algorithm, headers={"kid": kid} if kid else None)


def unsigned(payload: dict[str, Any]) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT', 'kid': KID})}.{part(payload)}."


class Server:
    def __init__(self, url: str, http: aiohttp.ClientSession, bot: EchoLogic, connector: FakeConnector) -> None:
        self.url, self.http, self.bot, self.connector = url, http, bot, connector

    async def post(self, authorization: str | None, **fields: Any) -> tuple[int, str]:
        headers = {"Authorization": authorization} if authorization is not None else {}
        activity = make_activity(self.connector.service_url, text="hello", **fields)
        async with self.http.post(f"{self.url}/api/messages", json=activity, headers=headers) as resp:
            return resp.status, await resp.text()


@asynccontextmanager
async def _serve(sdk: str, keys: KeyServer, connector: FakeConnector, monkeypatch: Any) -> AsyncIterator[Server]:
    if sdk == "botbuilder":
        from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor

        monkeypatch.setattr(JwtTokenExtractor, "metadataCache", {})  # restored after the test
    stub_bot_token(monkeypatch)
    settings = Settings(app_id=APP_ID, app_password=APP_PASSWORD)
    async with serve_echo(sdk, settings, fetch_keys=keys) as served:
        yield Server(served.url, served.http, served.logic, connector)


@pytest.fixture(params=HOSTS)
def sdk(request) -> str:
    return request.param


@pytest.fixture
async def connector():
    async with FakeConnector() as fake:
        yield fake


@pytest.fixture
async def keys() -> KeyServer:
    return KeyServer()


@pytest.fixture
async def server(sdk, keys, connector, monkeypatch):
    async with _serve(sdk, keys, connector, monkeypatch) as served:
        yield served


async def test_a_genuine_token_is_accepted_and_the_keys_are_fetched_off_the_event_loop(server, keys, connector):
    status, _ = await server.post(f"Bearer {sign(claims(connector.service_url))}")
    assert status == 200
    [reply] = await connector.wait_for(1)
    assert reply["text"] == "You said: hello"
    assert keys.threads and threading.main_thread() not in keys.threads  # point 7: not on the loop's thread
    fetched = len(keys.threads)
    assert (await server.post(f"Bearer {sign(claims(connector.service_url))}"))[0] == 200
    assert len(keys.threads) == fetched  # keys are cached, not fetched per request


def _bad_headers(service_url: str) -> dict[str, str | None]:
    now = int(time.time())
    return {
        "no token": None,
        "empty header": "",
        "not bearer": f"Basic {base64.b64encode(b'a:b').decode()}",
        "Bearer xyz": "Bearer xyz",
        "Bearer a.b.c": "Bearer a.b.c",
        "three words": "Bearer a b",
        "alg none": f"Bearer {unsigned(claims(service_url))}",
        "expired": f"Bearer {sign(claims(service_url, exp=now - 3600, nbf=now - 7200, iat=now - 7200))}",
        "HS256 with the app password": f"Bearer {sign(claims(service_url), key=APP_PASSWORD, algorithm='HS256')}",
        "HS256 without a key id": f"Bearer {sign(claims(service_url), key=APP_PASSWORD, kid=None, algorithm='HS256')}",
        "wrong signature": f"Bearer {sign(claims(service_url), key=STRANGER_KEY)}",
        "unknown key id": f"Bearer {sign(claims(service_url), key=STRANGER_KEY, kid='not-published')}",
        "no key id": f"Bearer {sign(claims(service_url), kid=None)}",
        "wrong audience": f"Bearer {sign(claims(service_url, aud='11111111-2222-3333-4444-555555555555'))}",
        "no audience": f"Bearer {sign(claims(service_url, aud=None))}",
        "wrong issuer": f"Bearer {sign(claims(service_url, iss='https://sts.evil.example/'))}",
        "other serviceUrl": f"Bearer {sign(claims('https://smba.evil.example/'))}",
        "not yet valid": f"Bearer {sign(claims(service_url, nbf=now + 3600))}",
    }


async def test_every_bad_token_gets_401_logged_once_without_a_traceback_and_no_turn(server, connector, caplog):
    for case, header in _bad_headers(connector.service_url).items():
        caplog.clear()
        caplog.set_level(logging.WARNING)
        status, body = await server.post(header)
        assert (status, body) == (401, "Unauthorized."), case
        refusals = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(refusals) == 1, (case, [r.getMessage() for r in refusals])
        assert refusals[0].levelno == logging.WARNING and refusals[0].exc_info is None, case
        assert "Traceback" not in caplog.text, case
    assert server.bot.facts == []  # no turn ran
    assert connector.stats()["received"] == 0


async def test_unreachable_signing_keys_give_503_not_500(sdk, connector, monkeypatch, caplog):
    """botbuilder (kept for correctness only) answers 401 then: a refusal all the same, never a 500."""
    keys = KeyServer(down=True)
    caplog.set_level(logging.WARNING)
    async with _serve(sdk, keys, connector, monkeypatch) as server:
        status, _ = await server.post(f"Bearer {sign(claims(connector.service_url))}")
        assert status == (503 if sdk == "agents" else 401)
        status, _ = await server.post(None)  # no token needs no keys: still 401
        assert status == 401
        keys.down = False  # back up: the next request is checked
        status, _ = await server.post(f"Bearer {sign(claims(connector.service_url))}")
        assert status == 200
    assert all(r.exc_info is None for r in caplog.records if r.levelno >= logging.WARNING)
    assert keys.threads and threading.main_thread() not in keys.threads


async def test_a_malformed_body_is_refused_before_authentication(server, connector):
    url = f"{server.url}/api/messages"
    json_headers = {"Content-Type": "application/json"}
    async with server.http.post(url, data=b"[" * 100_000, headers=json_headers) as resp:
        assert resp.status == 400  # RecursionError in the JSON parser was a 500
    nested: Any = {}
    for _ in range(40):
        nested = {"a": nested}
    activity = make_activity(connector.service_url, text="x", value=nested)
    async with server.http.post(url, json=activity) as resp:
        assert resp.status == 400 and "nested" in await resp.text()
    async with server.http.post(url, data=b" " * (300 * 1024), headers=json_headers) as resp:
        assert resp.status == 413

    async def chunks():
        for _ in range(40):
            yield b" " * 10_000

    async with server.http.post(url, data=chunks(), headers=json_headers) as resp:  # no Content-Length
        assert resp.status == 413
    for body in (b'"a string"', b"42", b"[]", b"null", b"\xff\xfe"):
        async with server.http.post(url, data=body, headers=json_headers) as resp:
            assert resp.status == 400, body
    assert server.bot.facts == [] and connector.stats()["received"] == 0


# SECURITY.md's table of signing algorithms, row by row (issue 25 point 4): only RS256 is accepted.
ALGORITHMS = {"RS256": 200, "RS384": 401, "RS512": 401, "PS256": 401, "HS256": 401, "none": 401}


@pytest.mark.parametrize("algorithm", ALGORITHMS)
async def test_each_signing_algorithm_as_security_md_says(server, connector, algorithm):
    payload = claims(connector.service_url)
    if algorithm == "none":
        token = unsigned(payload)
    elif algorithm == "HS256":
        token = sign(payload, key=APP_PASSWORD, algorithm=algorithm)
    else:
        token = sign(payload, algorithm=algorithm)
    status, _ = await server.post(f"Bearer {token}")
    assert status == ALGORITHMS[algorithm]


@pytest.mark.parametrize(
    "case, exp, status",
    [
        ("no expiry at all", None, 401),
        ("an expiry in 10^30 seconds", 10**30, 401),
        ("an expiry a little over a day ahead", 25 * 3600, 401),
        ("an expiry of an hour, as Bot Framework tokens", 3600, 200),
        ("an expiry of 23 hours, within Entra's maximum", 23 * 3600, 200),
    ],
)
async def test_a_token_must_expire_and_within_a_day(server, connector, case, exp, status):
    payload = claims(connector.service_url)
    payload.pop("exp")
    if exp is not None:
        payload["exp"] = exp if exp > 10**12 else int(time.time()) + exp
    got, _ = await server.post(f"Bearer {sign(payload)}")
    assert got == status, case
