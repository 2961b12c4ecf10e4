"""The send pace: one rate for the whole tenant, however many senders run.

`SharedRate` (PostgreSQL) reserves send slots from the database (store/outbox/pacing.py), a few at a
time (a tenth of a second's worth, so the row is written about ten times a second in all; the
next ones are reserved while these are used, so a slow database does not slow the sending), and
waits for each. Every sender of every process and machine draws from the same slots, so
SEND_RATE_PER_SECOND is the tenant's total. `pacer_for` picks it on PostgreSQL; on SQLite (one
process, one writer) a process-local `TokenBucket` paces the sends instead.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from typing import Any, Awaitable, Callable

from bot.outbox.policy import Paced, Pacer, TokenBucket
from store.outbox.pacing import TENANT, push_back, reserve_slots

__all__ = ["Pacer", "SharedRate", "pacer_for", "STALE_SLOT"]

log = logging.getLogger(__name__)

# A reserved slot more than this late is not used: others already send at the current slots.
STALE_SLOT = 0.5


class SharedRate(Paced):
    def __init__(
        self,
        run: Callable[..., Awaitable[Any]],
        rate: float,
        *,
        name: str = TENANT,
        chunk: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(rate, clock=clock, sleep=sleep)
        self._run, self.name = run, name
        self.chunk = chunk or max(1, round(self.rate / 10))
        # Up to half a second's slots are made up after a lull (every sender busy claiming or slow
        # to reach the database): half of what the connector tolerates in a burst (one second's).
        self.burst = max(1, round(self.rate / 2))
        self._slots: deque[float] = deque()  # local monotonic times
        self._pending: set[asyncio.Task[None]] = set()
        self._refill: asyncio.Task[None] | None = None
        self._trip = 0.0  # how long a reservation takes (moving average), to reserve far enough ahead

    def pause(self, seconds: float) -> None:
        """A 429: this sender stops at once, and every other sender from its next reservation."""
        super().pause(seconds)
        self._slots.clear()
        task = asyncio.get_running_loop().create_task(self._push_back(seconds))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _push_back(self, seconds: float) -> None:
        try:
            await self._run(push_back, seconds, name=self.name)
        except Exception:  # the local pause still holds; others see 429s and pause too
            log.warning("could not share a send pause of %.1f s", seconds, exc_info=True)

    async def acquire(self) -> None:
        async with self._lock:  # first come, first served
            while True:
                now = await self._after_pause()
                while self._slots and self._slots[0] < now - STALE_SLOT:
                    self._slots.popleft()
                if len(self._slots) <= self._ahead() and self._refill is None:
                    # the next slots are reserved while these are used: sending never waits on the database
                    self._refill = asyncio.get_running_loop().create_task(self._reserve())
                if not self._slots:
                    # never None here: an empty queue is below the reserve, so a refill is running
                    if self._refill is not None:
                        await asyncio.shield(self._refill)
                    continue
                wait = self._slots.popleft() - self._clock()
                if wait > 0:
                    await self._sleep(wait)
                return

    def _ahead(self) -> int:
        """Slots to hold in reserve: two reservations' time of sending (a busy database is slow)."""
        return max(self.chunk, min(round(self.rate), math.ceil(self.rate * 2 * self._trip)))

    async def _reserve(self) -> None:
        try:
            count, started = self._ahead(), self._clock()
            first, db_now = await self._run(reserve_slots, count, self.rate, burst=self.burst, name=self.name)
            local = self._clock()
            self._trip = 0.8 * self._trip + 0.2 * (local - started)
            self._slots.extend(local + (first - db_now) + i / self.rate for i in range(count))
        except Exception:  # the database is away: nothing is sent until slots can be reserved again
            log.warning("could not reserve send slots; trying again in 1 s", exc_info=True)
            self._paused_until = max(self._paused_until, self._clock() + 1.0)
        finally:
            self._refill = None


def pacer_for(database_url: str, run: Callable[..., Awaitable[Any]], rate: float) -> Pacer:
    """The tenant-wide rate on PostgreSQL; a process-local bucket on SQLite."""
    if database_url.startswith("postgresql"):
        return SharedRate(run, rate)
    return TokenBucket(rate)
