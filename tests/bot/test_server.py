"""The server's own checks over real HTTP, whichever host runs behind it (tests/bot/test_platform_contract.py
holds what each host must do)."""

from __future__ import annotations

import gc

import pytest

from bot.platform import HOSTS
from tests.bot.hosts import serve_echo
from tests.fakes.connector import FakeConnector, make_activity


@pytest.fixture
async def connector():
    async with FakeConnector() as fake:
        yield fake


@pytest.fixture(params=HOSTS)
async def harness(request):
    async with serve_echo(request.param) as served:
        yield served


async def test_healthz_ok_and_unavailable(harness):
    async with harness.http.get(f"{harness.url}/healthz") as resp:
        assert resp.status == 200
        assert await resp.json() == {"status": "ok"}
    harness.state["healthy"] = False
    async with harness.http.get(f"{harness.url}/healthz") as resp:
        assert resp.status == 503
        body = await resp.json()
    assert body == {"status": "unavailable"}  # the cause (host, user names) goes to the log, not to probes


async def test_malformed_requests(harness, connector):
    url = f"{harness.url}/api/messages"
    async with harness.http.post(url, data=b"{not json", headers={"Content-Type": "application/json"}) as resp:
        assert resp.status == 400
        assert "Malformed JSON" in await resp.text()
    async with harness.http.post(url, data=b"hello", headers={"Content-Type": "text/plain"}) as resp:
        assert resp.status == 415
    async with harness.http.post(url, json=[1, 2]) as resp:
        assert resp.status == 400
    async with harness.http.post(url, json={"text": "no type"}) as resp:
        assert resp.status == 400
        assert "no type" in await resp.text()
    no_service_url = make_activity(connector.service_url, text="x")
    del no_service_url["serviceUrl"]
    async with harness.http.post(url, json=no_service_url) as resp:
        assert resp.status == 400
    assert connector.stats()["received"] == 0


async def test_serving_freezes_what_start_up_built(monkeypatch) -> None:
    """`app.py serve` keeps start-up's long-lived objects out of full collections (each scanned them
    all, ~100 ms with every turn in flight waiting), after the app's own start-up hooks."""
    from aiohttp import web

    from bot import server

    served: list[web.Application] = []
    monkeypatch.setattr(server.web, "run_app", lambda app, **_: served.append(app))
    app = web.Application()

    async def hook(_app: web.Application) -> None:
        pass

    app.on_startup.append(hook)
    server.serve(app, "127.0.0.1", 0)
    assert served == [app] and list(app.on_startup)[-1] is server.freeze_startup_objects
    before = gc.get_freeze_count()
    try:
        await server.freeze_startup_objects(app)
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
