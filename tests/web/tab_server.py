"""The tab's routes alone (web.add_tab_routes) on a demo tracker, served from a background thread so
synchronous tests (and Hypothesis) can call them over real HTTP:

    with TabServer(database_url) as tab:
        response = tab.get("/api/tab/grid", person="grace", params={"group": "Met Operations"})

``person`` names a demo person by first name, or any person by id (local mode's X-Tab-Person header); ``token`` sends a
bearer token instead (then pass a ``validator``: an app id is set and local mode is off).
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import requests
from aiohttp import web
from sqlalchemy import select

from config import Settings
from store.db.engine import make_async_engine, make_async_sessionmaker, make_engine, make_sessionmaker
from store.db.migrate import upgrade
from store.db.models import Person
from store.db.setup import ensure_default_lists
from store.demo.builder import load_demo
from tests.conftest import NOW, TODAY
from web import add_tab_routes
from web.auth import TokenValidator
from web.page import ASSETS

__all__ = ["TabServer", "demo_tracker", "people_ids"]


def demo_tracker(database_url: str) -> None:
    """Migrate and load the demo tracker (dates relative to the tests' TODAY)."""
    engine = make_engine(database_url)
    upgrade(engine)
    with make_sessionmaker(engine).begin() as session:
        ensure_default_lists(session)
        load_demo(session, TODAY, NOW)
    engine.dispose()


def people_ids(database_url: str) -> dict[str, int]:
    """Every person's id by lower-case first name (the demo's first names are unique per role)."""
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as session:
        found = {p.name.split()[0].lower(): p.id for p in session.scalars(select(Person).order_by(Person.id))}
    engine.dispose()
    return found


class TabServer:
    def __init__(
        self,
        database_url: str,
        *,
        settings: Settings | None = None,
        validator: TokenValidator | None = None,
        assets: Path = ASSETS,
        load: bool = True,
    ) -> None:
        if load:
            demo_tracker(database_url)
        self.ids = people_ids(database_url)
        self._url, self._validator, self._assets = database_url, validator, assets
        self._settings = settings or Settings(database_url=database_url)
        self._loop = asyncio.new_event_loop()
        self._ready: Future[str] = Future()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="tab-server", daemon=True)
        self.base = ""
        self.http = requests.Session()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._main())
        self._loop.close()

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        engine = make_async_engine(self._url)
        app = web.Application()
        add_tab_routes(
            app,
            settings=self._settings,
            sessions=make_async_sessionmaker(engine),
            clock=lambda: NOW,
            validator=self._validator,
            assets=self._assets,
        )
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        self._ready.set_result(f"http://{host}:{port}")
        await self._stop.wait()
        await runner.cleanup()
        await engine.dispose()

    def __enter__(self) -> "TabServer":
        self._thread.start()
        self.base = self._ready.result(timeout=60)
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.http.close()
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=30)
        assert not self._thread.is_alive(), "the tab server did not stop"

    def get(
        self, path: str, *, person: str | int | None = None, token: str | None = None, params: Any = None
    ) -> requests.Response:
        headers = {}
        if person is not None:
            headers["X-Tab-Person"] = str(person if isinstance(person, int) else self.ids[person])
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return self.http.get(self.base + path, headers=headers, params=params, timeout=30)
