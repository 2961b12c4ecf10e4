"""The tab is mounted on the bot's own aiohttp app (bot/app.py): one server, one port."""

from __future__ import annotations

from bot.app import build_app
from config import Settings
from tests.conftest import NOW


def test_the_bot_app_serves_the_tab_beside_the_bot(sqlite_url: str) -> None:
    app, _services = build_app(Settings(database_url=sqlite_url), lambda: NOW)
    routes = {(r.method, r.resource.canonical) for r in app.router.routes() if r.resource is not None}
    assert {
        ("POST", "/api/messages"),
        ("GET", "/tab"),
        ("GET", "/tab/assets/{name}"),
        ("GET", "/api/tab/config"),
        ("GET", "/api/tab/grid"),
        ("GET", "/api/tab/actions/{ref}"),
        ("PATCH", "/api/tab/actions/{ref}"),
    } <= routes
