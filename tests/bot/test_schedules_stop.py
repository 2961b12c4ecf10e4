"""bot/outbox/hosts.py: a stopping process waits for the schedules with a deadline, then cancels them
(issue 20: `run_worker` waited with no time limit). No sleeps: the stuck job waits on an event nobody
sets, and a deadline of 0 expires at once."""

from __future__ import annotations

import asyncio
import logging

from bot.outbox.hosts import SCHEDULES_STOP_TIMEOUT, stop_schedules


async def test_a_stuck_schedule_is_cancelled_at_the_deadline(caplog):
    never = asyncio.Event()
    stuck = asyncio.create_task(never.wait(), name="schedules")
    with caplog.at_level(logging.WARNING, logger="bot.outbox.hosts"):
        await asyncio.wait_for(stop_schedules(stuck, timeout=0), timeout=5)
    assert stuck.cancelled()
    assert any("did not stop within" in r.getMessage() for r in caplog.records)


async def test_schedules_that_stop_in_time_finish_their_job():
    stop, finished = asyncio.Event(), asyncio.Event()

    async def schedules() -> None:
        await stop.wait()
        finished.set()  # the job in hand completes rather than being cancelled

    task = asyncio.create_task(schedules())
    stop.set()
    await stop_schedules(task, timeout=5)
    assert finished.is_set() and not task.cancelled()


async def test_a_schedule_that_fails_as_it_stops_does_not_stop_shutdown(caplog):
    async def broken() -> None:
        raise RuntimeError("database gone")

    with caplog.at_level(logging.WARNING, logger="bot.outbox.hosts"):
        await stop_schedules(asyncio.create_task(broken()), timeout=5)
    assert any("stopped with an error" in r.getMessage() for r in caplog.records)
    await stop_schedules(None)  # no schedules (the worker ran with until_idle, or they are off)
    assert 0 < SCHEDULES_STOP_TIMEOUT <= 30
