"""What a sender did (`SenderStats`), and the recorder that writes each send's outcome.

Outcomes are written by one recorder per sender, many per transaction (group commit): no writer
of the process waits for another's lock, so an accepted message is recorded within one commit of
its answer (the only window for a second send; see store/outbox/outcomes.py).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

__all__ = ["SenderStats", "OutcomeRecorder"]

log = logging.getLogger(__name__)

# (store function, its arguments, its keyword arguments, the future its caller awaits)
_Outcome = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any], asyncio.Future[Any]]


@dataclass
class SenderStats:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    throttled: int = 0
    failed: int = 0
    not_installed: int = 0
    released: int = 0
    progress_updates: int = 0
    lost_records: int = 0  # outcomes that could not be written (the database was unreachable)


class OutcomeRecorder:
    def __init__(self, run: Callable[..., Awaitable[Any]], *, writes: asyncio.Lock, stats: SenderStats) -> None:
        # `writes`: the sender's one write lock (claims, lease renewals, outcomes)
        self._run, self._writes, self.stats = run, writes, stats
        self._queue: list[_Outcome] = []
        self._ready = asyncio.Event()
        self._closing = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._closing = False
        self._task = asyncio.create_task(self._write_queued(), name="outbox-recorder")

    async def finish(self) -> None:
        """Write what is queued, then stop."""
        self._closing = True
        self._ready.set()
        if self._task is not None:
            await self._task

    async def record(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Queue an outcome for the recorder and wait until it is committed; returns fn's result."""
        done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.append((fn, args, kwargs, done))
        self._ready.set()
        return await done

    async def _write_queued(self) -> None:
        while True:
            if not self._queue:
                if self._closing:
                    return
                await self._ready.wait()
                self._ready.clear()
                continue
            items, self._queue = self._queue, []
            results = await self._commit(items)
            for (_fn, _args, _kwargs, done), result in zip(items, results):
                if not done.done():
                    done.set_result(result)

    async def _commit(self, items: list[_Outcome]) -> list[Any]:
        """All queued outcomes in one transaction; the database may blip, so try a few times."""

        def apply(session: Any) -> list[Any]:
            return [fn(session, *args, **kwargs) for fn, args, kwargs, _ in items]

        for attempt in range(6):
            try:
                async with self._writes:
                    results: list[Any] = await self._run(apply)
                    return results
            except Exception:
                if attempt == 5:
                    self.stats.lost_records += len(items)
                    log.error(
                        "could not record %d outcomes; their leases will expire and they will be claimed again",
                        len(items),
                        exc_info=True,
                    )
                    return [None] * len(items)
                await asyncio.sleep(0.1 * 2**attempt)
        return [None] * len(items)
