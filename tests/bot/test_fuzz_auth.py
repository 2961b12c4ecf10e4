"""Issue 10 point 8 with MicrosoftAppId set: generated Authorization headers and tokens never get a 5xx.

Tokens are built from parts Hypothesis picks (algorithm, key, key id, each claim right, wrong, missing
or of the wrong type) and checked by the SDK's own validation, fed the test signing keys of
tests/bot/test_auth.py, on both hosts. A token with every part right passes; everything else gets 401
(tokens missing a claim, an expiry beyond a day, any algorithm but RS256 included: issue 25 point 4).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import threading
import time
from typing import Any

import aiohttp
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.platform import HOSTS
from tests.bot.properties import live_settings
from tests.bot.test_auth import APP_ID, APP_PASSWORD, KID, STRANGER_KEY, KeyServer, _serve, claims, sign
from tests.fakes.connector import FakeConnector, make_activity

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
RIGHT = "right"


def _b64(value: Any) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@st.composite
def headers(draw: st.DrawFn, service_url: str) -> tuple[str | None, bool]:
    """An Authorization header, and whether every part of it is right (the only one that may pass)."""
    # What a client can put in a header: visible ASCII (aiohttp's client refuses controls before sending).
    junk = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60) | st.binary(
        max_size=40
    ).map(lambda b: base64.b64encode(b).decode())
    shape = draw(st.sampled_from(["token", "token", "token", "junk", "parts", "none"]))
    if shape == "none":
        return None, False
    if shape == "junk":
        prefix = draw(st.sampled_from(["Bearer ", "bearer ", "Basic ", "", "Bearer  "]))
        return prefix + draw(junk), False
    if shape == "parts":
        parts = draw(
            st.lists(
                st.one_of(
                    junk.map(lambda s: s.replace(".", "")),
                    st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5), max_size=3).map(_b64),
                ),
                min_size=1,
                max_size=4,
            )
        )
        return "Bearer " + ".".join(parts), False
    now = int(time.time())
    wrong = {
        "iss": ["https://sts.evil.example/", 7, None],
        "aud": ["11111111-2222-3333-4444-555555555555", [APP_ID, "x"], None],
        "serviceurl": ["https://smba.evil.example/", None, 3],
        "exp": [now - 10, None, "soon", 10**30],
        "nbf": [now + 3600, "x"],
        "iat": [now + 3600],
    }
    changes, right = {}, True
    for claim, bad in wrong.items():
        if draw(st.integers(0, 4)) == 0:
            changes[claim], right = draw(st.sampled_from(bad)), False
    key_choice = draw(st.sampled_from([RIGHT, RIGHT, "stranger", "password"]))
    kid = draw(st.sampled_from([KID, KID, None, "not-published", ""]))
    payload = claims(service_url, **{k: v for k, v in changes.items() if v is not None})
    for claim, value in changes.items():
        if value is None:
            payload.pop(claim, None)
    algorithm = draw(st.sampled_from(["RS256", "RS256", "RS384", "RS512", "PS256"]))
    right = right and key_choice == RIGHT and kid == KID and algorithm == "RS256"
    if key_choice == "password":
        token = sign(payload, key=APP_PASSWORD, kid=kid, algorithm=draw(st.sampled_from(["HS256", "HS512"])))
    else:
        token = sign(
            payload, key=STRANGER_KEY if key_choice == "stranger" else _signing_key(), kid=kid, algorithm=algorithm
        )
    if draw(st.integers(0, 5)) == 0:  # tampered: a character of the payload changed after signing
        head, body, sig = token.split(".")
        token, right = f"{head}.{body[:-2]}{'A' if body[-2] != 'A' else 'B'}{body[-1]}.{sig}", False
    return f"Bearer {token}", right


def _signing_key() -> Any:
    from tests.bot.test_auth import SIGNING_KEY

    return SIGNING_KEY


class _Loop:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: Any, timeout: float = 30.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


@pytest.mark.parametrize("sdk", HOSTS)
def test_generated_tokens_get_401_never_a_5xx(monkeypatch, sdk: str) -> None:
    loop = _Loop()
    connector = FakeConnector()
    loop.run(connector.__aenter__())
    served = _serve(sdk, KeyServer(), connector, monkeypatch)
    url = loop.run(served.__aenter__()).url
    http = loop.run(_session())

    async def post(header: str | None) -> int:
        activity = make_activity(connector.service_url, text="hello")
        extra = {"Authorization": header} if header is not None else {}
        async with http.post(f"{url}/api/messages", json=activity, headers=extra) as resp:
            return resp.status

    try:

        @live_settings(EXAMPLES)
        @given(case=headers(connector.service_url))
        def one(case: tuple[str | None, bool]) -> None:
            header, right = case
            status = loop.run(post(header))
            assert status == (200 if right else 401), f"{status} for {header!r}"

        one()
    finally:
        loop.run(http.close())
        loop.run(served.__aexit__(None, None, None))
        loop.run(connector.__aexit__(None, None, None))
        loop.stop()


async def _session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession()
