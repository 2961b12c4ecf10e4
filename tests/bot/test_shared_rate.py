"""One send rate for the whole tenant on PostgreSQL (issue 11): senders with engines of their own
draw send slots from one row, so together they keep SEND_RATE_PER_SECOND, and a 429 pauses all."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.outbox.policy import TokenBucket
from bot.outbox.shared_rate import SharedRate, pacer_for
from bot.services import BotServices
from config import Settings
from store.db.engine import make_async_engine, make_async_sessionmaker

ON_POSTGRESQL = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

RATE = 40.0


async def pacers(url: str, n: int) -> tuple[list[SharedRate], list]:
    engines = [make_async_engine(url) for _ in range(n)]
    return [
        SharedRate(BotServices(Settings(database_url=url), make_async_sessionmaker(e), time.time).run, RATE)
        for e in engines
    ], engines


@ON_POSTGRESQL
async def test_four_senders_together_keep_one_rate(database_url, engine):
    rates, engines = await pacers(database_url, 4)
    times: list[float] = []

    async def draw(rate: SharedRate, n: int) -> None:
        for _ in range(n):
            await rate.acquire()
            times.append(time.monotonic())

    try:
        await asyncio.wait_for(asyncio.gather(*(draw(r, 20) for r in rates)), 30)
    finally:
        for e in engines:
            await e.dispose()
    times.sort()
    burst = rates[0].burst  # saved-up slots at the start (half a second's), then the rate
    steady = times[burst:]
    measured = (len(steady) - 1) / (steady[-1] - steady[0])
    # 80 sends at 40/s over all four (each on its own bucket would do 160/s)
    assert RATE * 0.8 <= measured <= RATE * 1.05, f"{measured:.1f}/s"
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest <= RATE + burst + 2  # no second holds more than the rate and the one burst


@ON_POSTGRESQL
async def test_a_pause_on_one_sender_holds_the_others(database_url, engine):
    rates, engines = await pacers(database_url, 2)
    try:
        await rates[1].acquire()
        rates[0].pause(1.0)  # sender 0 got a 429 with Retry-After: 1
        while rates[0]._pending:  # the pause is written to the shared row
            await asyncio.wait(set(rates[0]._pending), timeout=5)
        rates[1]._slots.clear()  # its next send needs a new slot
        started = time.monotonic()
        await asyncio.wait_for(rates[1].acquire(), 10)
        assert time.monotonic() - started >= 0.9
    finally:
        for e in engines:
            await e.dispose()


def test_sqlite_keeps_a_process_local_bucket():
    assert isinstance(pacer_for("sqlite:///x.db", None, 5.0), TokenBucket)
