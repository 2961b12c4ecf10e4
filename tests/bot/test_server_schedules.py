"""A server's own schedules run the day's jobs beside its sender, on a worker thread (the jobs'
database work would otherwise hold up every turn), and the server keeps answering meanwhile."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

import aiohttp
from sqlalchemy import select

from bot.app import build_app
from bot.server import start_site
from config import Settings
from store.db.engine import make_engine, make_sessionmaker
from store.db.migrate import upgrade
from store.db.models import ScheduleRun
from store.db.setup import ensure_default_lists
from store.demo.builder import load_demo
from tests.conftest import NOW


async def test_a_server_runs_the_days_jobs_and_answers_meanwhile(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    with make_sessionmaker(engine).begin() as session:
        ensure_default_lists(session)
        load_demo(session, NOW.date(), NOW)  # NOW: a Thursday at 09:30 in London, inside the send window
    async with AsyncExitStack() as stack:
        app, _ = build_app(Settings(database_url=database_url, schedules=True), lambda: NOW)
        runner, base = await start_site(app, "127.0.0.1", 0)
        stack.push_async_callback(runner.cleanup)
        http = await stack.enter_async_context(aiohttp.ClientSession())
        deadline = asyncio.get_running_loop().time() + 20
        while True:
            with make_sessionmaker(engine)() as s:
                runs = s.execute(select(ScheduleRun.job, ScheduleRun.status)).all()
            if runs and all(status == "done" for _, status in runs):
                break
            assert asyncio.get_running_loop().time() < deadline, f"the day's jobs did not finish: {runs}"
            async with http.get(f"{base}/healthz") as response:  # the server answers while they run
                assert response.status == 200
            await asyncio.sleep(0.05)
    assert {job for job, _ in runs} >= {"due_nudges"}
    engine.dispose()
