"""The Bot Framework's token signing keys, fetched off the event loop and failing in known ways.

botframework-connector 4.17.1 keeps one `_OpenIdMetadata` per metadata URL in the class-level
`JwtTokenExtractor.metadataCache`, and refreshes it with blocking `requests.get` calls (no timeout)
inside a coroutine: every refresh froze the whole server. Its `_find` also raises IndexError for an
unknown key id, so the "refresh when a key is not found" path never ran and such tokens became 500s.

`install_signing_keys(fetch)` replaces that cache with one that makes `OffLoopKeys` instead: the
same validation path (the SDK still checks signature, issuer, audience, expiry and endorsements),
but the download runs in a worker thread with a timeout, an unknown key raises `UnknownSigningKey`
(a 401), and keys that cannot be fetched raise `SigningKeysUnavailable` (a 503). Tests pass a
`fetch` that serves a test key's metadata, so tokens they sign go through the SDK's own checks.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, Callable

import requests
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor, _OpenIdConfig, _OpenIdMetadata
from jwt.algorithms import RSAAlgorithm

__all__ = [
    "FetchJson",
    "SigningKeysUnavailable",
    "UnknownSigningKey",
    "OffLoopKeys",
    "install_signing_keys",
    "fetch_json",
]

log = logging.getLogger(__name__)

FetchJson = Callable[[str], Any]
FETCH_TIMEOUT_SECONDS = 10.0
REFRESH_AFTER_SECONDS = 24 * 3600  # as the SDK: keys are re-read daily...
UNKNOWN_KEY_REFRESH_SECONDS = 3600  # ...and at most hourly when a token names a key we do not have
RETRY_AFTER_FAILURE_SECONDS = 30.0  # while the key endpoint is down, do not hammer it per request


class SigningKeysUnavailable(Exception):
    """The signing keys could not be fetched, so no token can be checked (answer 503)."""


class UnknownSigningKey(PermissionError):
    """The token names a key id that the Bot Framework does not publish."""


def fetch_json(url: str) -> Any:
    """Blocking GET of a JSON document (run in a thread)."""
    response = requests.get(url, timeout=FETCH_TIMEOUT_SECONDS)
    response.raise_for_status()
    return response.json()


class OffLoopKeys(_OpenIdMetadata):
    """One metadata URL's signing keys; a drop-in for the SDK's `_OpenIdMetadata`."""

    def __init__(self, url: str, fetch: FetchJson, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(url)
        self._fetch, self._clock = fetch, clock
        self._fetched_at: float | None = None
        self._failed_at: float | None = None
        self._pending: asyncio.Future[list[dict[str, Any]]] | None = None

    def _download(self) -> list[dict[str, Any]]:
        keys = self._fetch(self._fetch(self.url)["jwks_uri"])["keys"]
        if not isinstance(keys, list):
            raise ValueError("the key set has no list of keys")
        return keys

    def _age(self) -> float:
        return float("inf") if self._fetched_at is None else self._clock() - self._fetched_at

    async def _refresh(self) -> None:
        if self._failed_at is not None and self._clock() - self._failed_at < RETRY_AFTER_FAILURE_SECONDS:
            raise SigningKeysUnavailable(f"signing keys from {self.url} failed moments ago")
        loop = asyncio.get_running_loop()
        pending = self._pending
        if pending is None or pending.done() or pending.get_loop() is not loop:
            # One download for all the requests that arrive while it runs.
            pending = self._pending = asyncio.ensure_future(asyncio.to_thread(self._download))
        try:
            keys = await asyncio.shield(pending)
        except Exception as exc:
            self._failed_at = self._clock()
            raise SigningKeysUnavailable(
                f"could not fetch signing keys from {self.url}: {type(exc).__name__}"
            ) from None
        self.keys, self._fetched_at, self._failed_at = keys, self._clock(), None

    def _find(self, key_id: str | None) -> _OpenIdConfig | None:
        for key in self.keys:
            if key_id and isinstance(key, dict) and key.get("kid") == key_id:
                return _OpenIdConfig(RSAAlgorithm.from_jwk(json.dumps(key)), key.get("endorsements", []))
        return None

    async def get(self, key_id: str | None) -> _OpenIdConfig:
        if self._age() > REFRESH_AFTER_SECONDS or (
            self._find(key_id) is None and self._age() > UNKNOWN_KEY_REFRESH_SECONDS
        ):
            try:
                await self._refresh()
            except SigningKeysUnavailable:
                if self._find(key_id) is None:
                    raise
                log.warning("Signing keys could not be refreshed; using the ones fetched before")
        found = self._find(key_id)
        if found is None:
            raise UnknownSigningKey(f"no published signing key has the id {key_id!r}")
        return found


class _KeyCache(dict):
    """`JwtTokenExtractor.metadataCache`, handing out `OffLoopKeys` for every metadata URL."""

    def __init__(self, fetch: FetchJson) -> None:
        super().__init__()
        self.fetch = fetch

    def get(self, url: str, default: Any = None) -> OffLoopKeys:  # noqa: ARG002 (the SDK passes None)
        if url not in self:
            self[url] = OffLoopKeys(url, self.fetch)
        return self[url]


def install_signing_keys(fetch: FetchJson = fetch_json) -> None:
    """Make the SDK's token validation use `OffLoopKeys` (kept when already installed with `fetch`)."""
    current = JwtTokenExtractor.metadataCache
    if not (isinstance(current, _KeyCache) and current.fetch is fetch):
        JwtTokenExtractor.metadataCache = _KeyCache(fetch)
