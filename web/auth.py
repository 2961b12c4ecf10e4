"""Checking the Entra ID token the tab sends (TeamsJS `authentication.getAuthToken()`), ourselves.

A token is accepted when all of these hold, else it is refused with a reason:

* its signature verifies with one of Entra ID's published keys (RS256 only); the key set is fetched
  off the event loop (a worker thread) and cached, and fetched again only for an unknown key id,
  at most once a minute;
* it has not expired (``exp`` is required);
* its audience is this app: ``api://<host>/<app id>`` (v1 tokens) or the app id itself (v2);
* it carries the ``access_as_user`` scope;
* its issuer is Entra ID for the tenant in its ``tid`` claim.

A token that passes all that but comes from a tenant outside ``ALLOWED_TENANT_IDS`` is
:class:`WrongTenant` (403), everything else :class:`BadToken` (401): the tab's API tells the two apart.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable

import jwt

__all__ = [
    "ENTRA_KEYS_URL",
    "SCOPE",
    "BadToken",
    "WrongTenant",
    "KeysUnavailable",
    "TabIdentity",
    "TokenValidator",
    "fetch_json",
]

log = logging.getLogger(__name__)

# The same keys sign tokens for every tenant; the tenant is checked from the claims.
ENTRA_KEYS_URL = "https://login.microsoftonline.com/common/discovery/v2.0/keys"
SCOPE = "access_as_user"
_REFETCH_AFTER_SECONDS = 60.0
_KEYS_TTL_SECONDS = 24 * 3600.0
_LEEWAY_SECONDS = 60


class BadToken(Exception):
    """The request has no token, or one this app cannot accept (401)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class WrongTenant(Exception):
    """A valid token from a tenant this app does not serve (403)."""

    def __init__(self, tenant: str) -> None:
        super().__init__(tenant)
        self.tenant = tenant


class KeysUnavailable(Exception):
    """Entra ID's key set could not be fetched, so no token can be checked right now (503)."""


@dataclass(frozen=True)
class TabIdentity:
    """Who the token says the user is: what the identity rule needs."""

    object_id: str
    tenant_id: str
    username: str | None  # preferred_username / upn: only for people not yet known by object id


def fetch_json(url: str) -> Any:
    """GET a JSON document (blocking: called in a worker thread)."""
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a fixed https URL
        return json.loads(response.read())


class _KeySet:
    """Entra ID's signing keys by key id, fetched in a worker thread and cached."""

    def __init__(self, url: str, fetch: Callable[[str], Any], clock: Callable[[], float]) -> None:
        self._url, self._fetch, self._clock = url, fetch, clock
        self._keys: dict[str, Any] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()

    def _stale(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at > _KEYS_TTL_SECONDS

    def _may_refetch(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at > _REFETCH_AFTER_SECONDS

    async def key(self, kid: str) -> Any:
        if kid in self._keys and not self._stale():
            return self._keys[kid]
        async with self._lock:  # one fetch however many requests arrive at once
            if (kid not in self._keys and self._may_refetch()) or self._stale():
                await self._refresh()
        if kid not in self._keys:
            raise BadToken("the token's signing key is not one of Entra ID's")
        return self._keys[kid]

    async def _refresh(self) -> None:
        try:
            document = await asyncio.to_thread(self._fetch, self._url)
            keys = jwt.PyJWKSet.from_dict(document).keys
        except Exception as err:  # network, JSON or key-format trouble: all mean "cannot check now"
            if self._keys:
                log.warning("Could not refresh Entra ID's signing keys (%s); keeping the cached ones", err)
                self._fetched_at = self._clock()
                return
            raise KeysUnavailable(str(err)) from err
        self._keys = {k.key_id: k.key for k in keys if k.key_id}
        self._fetched_at = self._clock()


class TokenValidator:
    """Validates the tab's bearer tokens for one app id and the allowed tenants."""

    def __init__(
        self,
        app_id: str,
        allowed_tenants: tuple[str, ...],
        *,
        keys_url: str = ENTRA_KEYS_URL,
        fetch: Callable[[str], Any] = fetch_json,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not app_id:
            raise ValueError("a TokenValidator needs the app id (MicrosoftAppId)")
        self.app_id = app_id.lower()
        self.allowed_tenants = tuple(t.lower() for t in allowed_tenants)
        self._keys = _KeySet(keys_url, fetch, clock)

    def _audience_ok(self, audience: Any) -> bool:
        values = audience if isinstance(audience, list) else [audience]
        for value in values:
            text = str(value).lower()
            if text == self.app_id or (text.startswith("api://") and text.endswith("/" + self.app_id)):
                return True
        return False

    async def validate(self, authorization: str | None) -> TabIdentity:
        """The identity in an ``Authorization: Bearer <token>`` header; raises BadToken or WrongTenant."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise BadToken("no bearer token")
        try:
            header = jwt.get_unverified_header(token.strip())
        except jwt.PyJWTError as err:
            raise BadToken(f"malformed token: {err}") from err
        if header.get("alg") != "RS256" or not isinstance(header.get("kid"), str):
            raise BadToken("the token is not signed with RS256 and a key id")
        key = await self._keys.key(header["kid"])
        try:
            claims = jwt.decode(
                token.strip(),
                key=key,
                algorithms=["RS256"],
                options={"require": ["exp", "iss", "aud", "tid", "oid"], "verify_aud": False},
                leeway=_LEEWAY_SECONDS,
            )
        except jwt.PyJWTError as err:
            raise BadToken(str(err)) from err
        return self._check_claims(claims)

    def _check_claims(self, claims: dict[str, Any]) -> TabIdentity:
        if not self._audience_ok(claims.get("aud")):
            raise BadToken(f"the token is for another audience ({claims.get('aud')!r})")
        if SCOPE not in str(claims.get("scp", "")).split():
            raise BadToken(f"the token lacks the {SCOPE} scope")
        tenant = str(claims["tid"]).lower()
        issuers = (f"https://login.microsoftonline.com/{tenant}/v2.0", f"https://sts.windows.net/{tenant}/")
        if str(claims["iss"]).lower() not in issuers:
            raise BadToken(f"the token's issuer {claims['iss']!r} is not Entra ID for its tenant")
        if tenant not in self.allowed_tenants:
            raise WrongTenant(tenant)
        username = claims.get("preferred_username") or claims.get("upn")
        return TabIdentity(object_id=str(claims["oid"]), tenant_id=tenant, username=str(username) if username else None)
