"""Issue 25 must-do 7: the database restarts under the bot, and nothing is lost.

A PostgreSQL server of the test's own (tests/fakes/throwaway_pg.py, never the shared one) is stopped
with a fast shutdown (every connection cut, as a restart or a fail-over does) while owners talk to the
bot and save updates, then started again. Turns in flight get "try again in a moment" (an invoke gets
200, never a 500), each as one WARNING line with no traceback; nothing is half-saved; and once the
server is back the same bot, not restarted, answers and saves again: the pool replaced its dead
connections itself (pool_pre_ping).
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import uuid

import pytest
from sqlalchemy import create_engine, text

from bot.handler import RETRY_TEXT
from tests.conftest import NOW
from tests.fakes.live_bot import LiveBot
from tests.fakes.throwaway_pg import ThrowawayPostgres, find_pg_ctl

OLIVIA = "olivia.owen@met.police.example"


@pytest.fixture(scope="module")
def _restartable():
    """One server of the module's own (initdb and start take seconds); each test gets a database on it."""
    try:
        find_pg_ctl()
    except Exception as err:  # noqa: BLE001 - no PostgreSQL binaries on this machine
        pytest.skip(str(err))
    if shutil.which("runuser") is None:
        pytest.skip("runuser is needed to run pg_ctl as postgres")
    pg = ThrowawayPostgres()
    url = pg.start()
    try:
        yield pg, url
    finally:
        pg.stop()


@pytest.fixture
def server(_restartable):
    """(the server, the URL of an empty database of this test's own on it)."""
    pg, url = _restartable
    if not pg.running:  # a test that failed while the server was down
        pg.resume()
    name = f"restart_{uuid.uuid4().hex[:12]}"
    rows(url, f'CREATE DATABASE "{name}"', autocommit=True)
    yield pg, url.rsplit("/", 1)[0] + f"/{name}"


def rows(url: str, sql: str, *, autocommit: bool = False, **params: object) -> list[tuple]:
    options: dict[str, str] = {"isolation_level": "AUTOCOMMIT"} if autocommit else {}  # CREATE DATABASE
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), **options)
    try:
        with engine.connect() as conn:
            result = conn.execute(text(sql), params)
            return [tuple(r) for r in result] if result.returns_rows else []
    finally:
        engine.dispose()


def saved(url: str, note: str) -> int:
    return rows(url, "select count(*) from actions where last_update_note = :n", n=note)[0][0]


async def test_turns_during_a_restart_are_asked_to_try_again_and_the_pool_recovers(server, caplog) -> None:
    pg, url = server
    async with LiveBot.running(url, clock=lambda: NOW) as live:
        olivia = live.user("olivia")
        await live.install(olivia)
        first = await live.say(olivia, "my actions")
        assert "outstanding" in first.card_text().lower()
        mine = rows(
            url,
            "select a.ref, a.version from actions a join people p on p.id = a.owner_id "
            "where p.email = :e and a.status in ('open', 'in progress') order by a.ref",
            e=OLIVIA,
        )[:4]
        assert len(mine) >= 2
        history_before = rows(url, "select count(*) from history")[0][0]

        def save(ref: str, version: int, note: str) -> dict:
            return {"ref": ref, "version": version, "progress_note": note, "delay_reason": "Resource challenges"}

        pg.pause()
        caplog.clear()
        with caplog.at_level(logging.INFO):
            said = await live.say(olivia, "my actions")
            burst = await asyncio.gather(
                *(live.click(olivia, "action.save", save(ref, v, f"during {ref}")) for ref, v in mine)
            )
        async with live.http.get(f"{live.url}/metrics") as scraped:  # operators still see the counters
            assert (
                scraped.status == 200 and 'tracker_turns_total{kind="message",outcome="error"}' in await scraped.text()
            )
        async with live.http.get(f"{live.url}/healthz") as health:
            assert health.status == 503
        assert said.status == 200 and [a.get("text") for a in said.activities] == [RETRY_TEXT]
        for reply in burst:
            assert reply.status == 200, reply.body
            assert reply.body.get("value") == RETRY_TEXT, reply.body
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
        unavailable = [
            r for r in caplog.records if r.getMessage().startswith("Turn not done: the database is unavailable")
        ]
        assert len(unavailable) == 1 + len(mine)
        assert all(r.levelno == logging.WARNING for r in unavailable)

        pg.resume()
        again = await live.say(olivia, "my actions")  # the same bot, not restarted
        assert again.card_text() == first.card_text()
        for ref, _version in mine:
            assert saved(url, f"during {ref}") == 0  # nothing half-saved while it was down
        assert rows(url, "select count(*) from history")[0][0] == history_before
        ref, version = mine[0]
        done = await live.click(olivia, "action.save", save(ref, version, "after the restart"))
        assert done.status == 200 and saved(url, "after the restart") == 1
        assert rows(url, "select version from actions where ref = :r", r=ref)[0][0] == version + 1

        # A restart no turn noticed: the pool's connections are all dead, and the next turn must not
        # be the one to find out (each is pinged as it leaves the pool, and replaced).
        settled = await live.say(olivia, "my actions")
        pg.pause()
        pg.resume()
        quiet = await live.say(olivia, "my actions")
        assert quiet.card_text() == settled.card_text()
        later = await live.click(olivia, "action.save", save(mine[1][0], mine[1][1], "after a quiet restart"))
        assert later.status == 200 and saved(url, "after a quiet restart") == 1


async def wait_until(condition, *, deadline: float, what: str) -> None:
    end = asyncio.get_running_loop().time() + deadline
    while not condition():
        assert asyncio.get_running_loop().time() < end, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


async def test_a_broadcast_resumes_after_a_restart_with_nothing_lost(server, caplog) -> None:
    """The outbox is sending when the database restarts: every message goes out once the server is
    back, each at most twice (only those in flight when it went away), and the sender never stopped."""
    from collections import Counter
    from datetime import timedelta

    from bot.outbox.policy import RetryPolicy
    from bot.outbox.settings import SenderSettings
    from bot.outbox.worker import OutboxSender
    from bot.platform import build_host as build_adapter
    from bot.proactive import ProactiveSender
    from bot.services import BotServices
    from config import Settings
    from store.db.engine import make_async_engine, make_async_sessionmaker, make_engine, make_sessionmaker
    from store.db.migrate import upgrade
    from store.db.setup import ensure_default_lists
    from tests.bot.outbox_setup import outbox_statuses, seed_outbox, utc_now
    from tests.fakes.connector import FakeConnector

    pg, url = server
    recipients, batch = 300, 20
    engine = make_engine(url)
    upgrade(engine)
    async with FakeConnector() as connector:
        with make_sessionmaker(engine).begin() as s:
            ensure_default_lists(s)
            cids = seed_outbox(s, recipients, connector.service_url, utc_now())
        adapter = build_adapter(Settings())
        async_engine = make_async_engine(url)
        sender = OutboxSender(
            BotServices(Settings(), make_async_sessionmaker(async_engine), utc_now).run,
            ProactiveSender(adapter, timeout=2),
            settings=SenderSettings(
                rate=60,
                batch_size=batch,
                lease=timedelta(seconds=6),
                policy=RetryPolicy(base=0.05, cap=0.2),
                worker_id="restart-test",
                poll=0.05,
            ),
            clock=utc_now,
        )
        stop = asyncio.Event()
        running = asyncio.create_task(sender.run(stop))
        try:
            await wait_until(lambda: len(connector.records()) >= 60, deadline=30, what="the broadcast to start")
            with caplog.at_level(logging.INFO):
                await asyncio.to_thread(pg.pause)
                await wait_until(
                    lambda: any("outbox claim failed" in r.getMessage() for r in caplog.records),
                    deadline=30,
                    what="the sender to meet the outage",
                )
                await asyncio.to_thread(pg.resume)

            def all_sent() -> bool:
                with make_sessionmaker(engine)() as s:
                    return outbox_statuses(s) == {"sent": recipients}

            await wait_until(lambda: set(connector.delivered_counts()) >= set(cids), deadline=60, what="every send")
            await wait_until(all_sent, deadline=60, what="every message marked sent")
            assert not running.done(), "the sender stopped"
        finally:
            stop.set()
            await asyncio.wait_for(running, 30)
            await async_engine.dispose()
            await adapter.close()
            engine.dispose()
        counts = connector.delivered_counts()
        assert set(counts) == set(cids)  # nothing lost
        twice = Counter(counts.values())
        assert set(twice) <= {1, 2} and twice[2] <= batch, twice  # at most one duplicate per message in flight
        assert not [r for r in caplog.records if r.exc_info and "outbox" in r.getMessage()]


async def test_scheduled_jobs_neither_vanish_nor_run_twice_across_a_restart(server, caplog) -> None:
    """The database goes away just after the first of the day's jobs ran: the scheduler keeps ticking
    (one line a tick), and once the server is back every job of the day has run exactly once."""
    from sqlalchemy import select

    from bot.scheduler import Scheduler
    from bot.services import BotServices
    from config import Settings
    from store.db.engine import make_async_engine, make_async_sessionmaker, make_engine, make_sessionmaker
    from store.db.migrate import upgrade
    from store.db.models import OutboxMessage, ScheduleRun
    from store.db.setup import ensure_default_lists
    from store.demo.builder import load_demo

    pg, url = server
    engine = make_engine(url)
    upgrade(engine)
    with make_sessionmaker(engine).begin() as s:
        ensure_default_lists(s)
        load_demo(s, NOW.date(), NOW)  # a Thursday at 09:30 in London: the day's jobs are due
    async_engine = make_async_engine(url)
    paused: list[str] = []

    def after_a_job(run) -> None:
        if not paused:  # the restart begins right after the first job committed
            pg.pause()
            paused.append(run.job)

    settings = Settings(database_url=url)
    scheduler = Scheduler(
        BotServices(settings, make_async_sessionmaker(async_engine), lambda: NOW).run,
        clock=lambda: NOW,
        zone=settings.zone,
        worker_id="restart-test",
        every=0.05,
        on_run=after_a_job,
    )
    stop = asyncio.Event()
    try:
        with caplog.at_level(logging.INFO):
            running = asyncio.create_task(scheduler.run(stop))
            await wait_until(lambda: bool(paused), deadline=30, what="the first job")
            await wait_until(
                lambda: (
                    any("schedules could not be checked" in r.getMessage() for r in caplog.records)
                    or any("scheduled job failed" in r.getMessage() for r in caplog.records)
                ),
                deadline=30,
                what="the scheduler to meet the outage",
            )
            await asyncio.to_thread(pg.resume)

            def runs() -> list[tuple[str, str]]:
                with make_sessionmaker(engine)() as s:
                    return [tuple(r) for r in s.execute(select(ScheduleRun.job, ScheduleRun.status)).all()]

            await wait_until(lambda: runs() and all(st == "done" for _, st in runs()), deadline=30, what="the jobs")
            ticks = [0]
            original = scheduler.tick

            async def counted():
                ticks[0] += 1
                return await original()

            scheduler.tick = counted  # type: ignore[method-assign]
            await wait_until(lambda: ticks[0] >= 5, deadline=30, what="more ticks")  # nothing left to run
        stop.set()
        await asyncio.wait_for(running, 30)
    finally:
        await async_engine.dispose()
    final = runs()
    jobs = [job for job, _ in final]
    assert len(jobs) == len(set(jobs)) and all(st == "done" for _, st in final)  # none vanished
    assert sorted(r.job for r in scheduler.runs) == sorted(jobs)  # each ran once, on this instance
    with make_sessionmaker(engine)() as s:
        keys = list(s.scalars(select(OutboxMessage.dedupe_key)))
    assert len(keys) == len(set(keys))
    assert not [r for r in caplog.records if r.exc_info and "schedule" in r.getMessage()]
    engine.dispose()
