"""Issue 10, points 1 and 7: every request that fails authentication gets 401 (503 only when the
signing keys cannot be fetched), is logged once at WARNING without a traceback, and runs no turn.

Tokens are signed with a test RSA key whose OpenID metadata and key set are served to the SDK's own
validation path (`build_adapter(fetch_keys=...)`): signature, issuer, audience, expiry, serviceUrl
and endorsements are all checked by botframework-connector, not switched off.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from typing import Any

import aiohttp
import jwt
import pytest
import requests
from botframework.connector.auth import AuthenticationConstants, MicrosoftAppCredentials
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bot.adapter import build_adapter
from bot.server import build_web_app, start_site
from config import Settings
from tests.bot.test_server import EchoBot
from tests.fakes.connector import FakeConnector, make_activity

APP_ID = "00000000-0000-0000-0000-00000000abcd"
APP_PASSWORD = "app-password-" + "p" * 30
KID = "test-key-1"
JWKS_URL = "https://keys.test/jwks"
METADATA_URL = AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL


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
        if url == JWKS_URL:
            return self.jwks
        assert url == METADATA_URL, url
        return {"issuer": AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER, "jwks_uri": JWKS_URL}


def claims(service_url: str, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {
        "iss": AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER,
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
    def __init__(self, url: str, http: aiohttp.ClientSession, bot: EchoBot, connector: FakeConnector) -> None:
        self.url, self.http, self.bot, self.connector = url, http, bot, connector

    async def post(self, authorization: str | None, **fields: Any) -> tuple[int, str]:
        headers = {"Authorization": authorization} if authorization is not None else {}
        activity = make_activity(self.connector.service_url, text="hello", **fields)
        async with self.http.post(f"{self.url}/api/messages", json=activity, headers=headers) as resp:
            return resp.status, await resp.text()


async def _serve(keys: KeyServer, monkeypatch) -> Any:
    monkeypatch.setattr(JwtTokenExtractor, "metadataCache", {})  # restored after the test
    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", lambda self, force_refresh=False: "bot-token")
    adapter = build_adapter(Settings(app_id=APP_ID, app_password=APP_PASSWORD), fetch_keys=keys)
    bot = EchoBot()
    app = build_web_app(adapter, bot, _healthy)
    return bot, await start_site(app)


async def _healthy() -> None:
    return None


@pytest.fixture
async def connector():
    async with FakeConnector() as fake:
        yield fake


@pytest.fixture
async def keys() -> KeyServer:
    return KeyServer()


@pytest.fixture
async def server(keys, connector, monkeypatch):
    bot, (runner, url) = await _serve(keys, monkeypatch)
    async with aiohttp.ClientSession() as http:
        yield Server(url, http, bot, connector)
    await runner.cleanup()


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
    assert server.bot.connector_clients == []  # no turn ran
    assert connector.stats()["received"] == 0


async def test_unreachable_signing_keys_give_503_not_500(connector, monkeypatch, caplog):
    keys = KeyServer(down=True)
    bot, (runner, url) = await _serve(keys, monkeypatch)
    caplog.set_level(logging.WARNING)
    try:
        async with aiohttp.ClientSession() as http:
            server = Server(url, http, bot, connector)
            status, _ = await server.post(f"Bearer {sign(claims(connector.service_url))}")
            assert status == 503
            status, _ = await server.post(None)  # no token needs no keys: still 401
            assert status == 401
            keys.down = False  # back up: the next attempt after the pause fetches again
            status, _ = await server.post(f"Bearer {sign(claims(connector.service_url))}")
            assert status == 503  # within the pause, the endpoint is not asked again per request
    finally:
        await runner.cleanup()
    assert all(r.exc_info is None for r in caplog.records if r.levelno >= logging.WARNING)
    assert bot.connector_clients == [] and connector.stats()["received"] == 0
    assert len(keys.threads) == 1


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
    assert server.bot.connector_clients == [] and connector.stats()["received"] == 0
