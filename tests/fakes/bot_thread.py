"""The live bot (tests/fakes/live_bot.py) on its own event loop in a background thread, for sync tests.

Hypothesis drives synchronous test functions; starting the bot once per test (not per example) keeps
a generated run to a few milliseconds per activity:

    with BotThread(database_url, clock=clock) as bot:
        reply = bot.post(activity)         # a LiveBot Reply; waits for the turn to finish
        bot.call(live.say(...))            # any coroutine, run on the bot's loop
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future
from datetime import datetime
from typing import Any, Awaitable, Callable, TypeVar

from config import Settings
from tests.fakes.live_bot import LiveBot, Reply

__all__ = ["BotThread"]

T = TypeVar("T")


class BotThread:
    def __init__(
        self,
        database_url: str,
        *,
        clock: Callable[[], datetime],
        settings: Settings | None = None,
        demo: bool = True,
        start_timeout: float = 60.0,
    ) -> None:
        self._args = dict(clock=clock, settings=settings, demo=demo)
        self._url = database_url
        self._start_timeout = start_timeout
        self._loop = asyncio.new_event_loop()
        self._ready: Future[LiveBot] = Future()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="bot-thread", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._main())
        self._loop.close()

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        try:
            async with LiveBot.running(self._url, **self._args) as live:
                self._ready.set_result(live)
                await self._stop.wait()
        except BaseException as error:  # startup failed: let the test see why
            if not self._ready.done():
                self._ready.set_exception(error)
            raise

    def __enter__(self) -> "BotThread":
        self._thread.start()
        self.live = self._ready.result(timeout=self._start_timeout)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=30)

    def call(self, coroutine: Awaitable[T], timeout: float = 30.0) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=timeout)

    def post(self, activity: Any, timeout: float = 30.0) -> Reply:
        """POST any JSON body to /api/messages; the turn has finished when this returns."""
        return self.call(self._post(activity), timeout=timeout)

    async def _post(self, body: Any) -> Reply:
        live = self.live
        before = len(live.connector.records())
        async with live.http.post(f"{live.url}/api/messages", json=body) as response:
            raw = await response.text()
            status = response.status
        new = [r.activity for r in live.connector.records()[before:] if r.activity]
        return Reply(status, new, raw)
