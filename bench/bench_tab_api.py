"""The tab's API at scale (issue 21 point 7): with 100,000 actions on PostgreSQL, a filtered grid page
and an action page answer with p95 <= 100 ms at the API.

    .venv/bin/python bench/bench_tab_api.py [--runs 40] [--write]
    .venv/bin/python bench/bench_tab_api.py --keep     # leave the scratch database for EXPLAIN ANALYZE

The tracker is bench/trackers.py's (100,000 actions, 2,000 owners, 1,000,000 history rows), migrated
and bulk-loaded into a scratch database of its own on the local server, dropped afterwards. The tab's
routes (``web.add_tab_routes``, anonymous local mode: the caller names a person in X-Tab-Person) are
served in this process by aiohttp as the bot serves them, and one client asks one request at a time
over loopback, so each time is the API's own: from the request sent to the JSON read, including the
viewer's lookup, the store's transaction and the JSON. Each case is asked ``--runs`` times after two
untimed warm-up requests; the order of the cases is interleaved run by run so a slow spell of the
shared machine falls on all of them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import aiohttp
from aiohttp import web
from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from bench.trackers import TODAY, generate  # noqa: E402
from config import Settings  # noqa: E402
from store.db.engine import make_async_engine, make_async_sessionmaker, make_engine  # noqa: E402
from store.db.migrate import upgrade  # noqa: E402
from store.db.models import Action, Person  # noqa: E402
from web import add_tab_routes  # noqa: E402

SERVER = "postgresql://postgres@127.0.0.1:5432"
SCRATCH = "bench_tab_api"
NOW = datetime(TODAY.year, TODAY.month, TODAY.day, 10, 0, tzinfo=timezone.utc)
TARGET_MS = 100.0


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    params: tuple[tuple[str, str], ...] = ()


def grid_cases(owner_id: int) -> list[Case]:
    """The filters a governance officer or a chief officer uses on a working day."""
    grid = "/api/tab/grid"
    return [
        Case(
            "grid: group + status", grid, (("group", "Met Operations"), ("status", "open"), ("status", "in progress"))
        ),
        Case("grid: overdue", grid, (("overdue", "1"),)),
        Case("grid: free text", grid, (("q", "recommendation 4242"),)),
        Case("grid: owner", grid, (("owner", str(owner_id)),)),
        Case("grid: open, sort by due date desc", grid, (("status", "open"), ("sort", "due"), ("dir", "desc"))),
        Case("grid: high risk, page 50", grid, (("risk", "high"), ("page", "49"), ("page_size", "25"))),
        Case("grid: no filter", grid),
    ]


@contextmanager
def scratch_database(server: str, name: str, *, keep: bool) -> Iterator[tuple[str, bool]]:
    """A database of its own on the server (created when missing); yields its URL and whether it is new."""
    admin = create_engine(
        server.replace("postgresql://", "postgresql+psycopg://") + "/postgres", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) is not None
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{server}/{name}", not exists
    finally:
        if not keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def build(url: str, *, actions: int, history: int) -> tuple[dict[str, int], float]:
    engine = make_engine(url)
    started = time.perf_counter()
    upgrade(engine)
    with engine.connect() as conn:
        loaded = conn.scalar(select(Action.id).limit(1)) is not None
    if not loaded:
        generate(engine, actions, n_history=history)
    with engine.connect() as conn:
        ids = {
            "governance": conn.scalar(select(Person.id).where(Person.email == "gov@bench.example")),
            "chief officer": conn.scalar(select(Person.id).where(Person.email.like("chief.%")).order_by(Person.id)),
            "owner": conn.scalar(select(Person.id).where(Person.email == "owner7@bench.example")),
        }
        met_chief = conn.scalar(
            text(
                "SELECT p.id FROM people p JOIN group_leads l ON l.person_id = p.id JOIN business_groups g "
                "ON g.id = l.business_group_id WHERE g.name = 'Met Operations' AND p.email LIKE 'chief.%'"
            )
        )
        ids["chief officer"] = met_chief or ids["chief officer"]
        ids["refs"] = (
            conn.execute(
                text(
                    "SELECT a.ref FROM actions a JOIN business_groups g ON g.id = a.business_group_id "
                    "WHERE g.name = 'Met Operations' ORDER BY a.id LIMIT 2000"
                )
            )
            .scalars()
            .all()
        )
    engine.dispose()
    return ids, time.perf_counter() - started


async def measure(url: str, ids: dict, *, runs: int) -> dict[tuple[str, str], list[float]]:
    engine = make_async_engine(url)
    app = web.Application()
    add_tab_routes(
        app, settings=Settings(database_url=url), sessions=make_async_sessionmaker(engine), clock=lambda: NOW
    )
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    base = f"http://{host}:{port}"
    refs = ids["refs"]
    cases = grid_cases(ids["owner"])
    times: dict[tuple[str, str], list[float]] = {}
    try:
        async with aiohttp.ClientSession() as http:

            async def ask(role: str, case: Case, timed: bool) -> None:
                headers = {"X-Tab-Person": str(ids[role])}
                started = time.perf_counter()
                async with http.get(base + case.path, params=list(case.params), headers=headers) as response:
                    await response.read()
                    if response.status != 200:
                        raise SystemExit(f"{role} {case.name}: HTTP {response.status}: {await response.text()}")
                if timed:
                    times.setdefault((role, case.name), []).append((time.perf_counter() - started) * 1000)

            for run in range(runs + 2):
                for role in ("governance", "chief officer"):
                    for case in cases:
                        await ask(role, case, run >= 2)
                    page = Case("action page", f"/api/tab/actions/{refs[(run * 37) % len(refs)]}")
                    await ask(role, page, run >= 2)
    finally:
        await runner.cleanup()
        await engine.dispose()
    return times


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def table(times: dict[tuple[str, str], list[float]]) -> list[str]:
    lines = ["| role | request | p50 ms | p95 ms | max ms | p95 <= 100 ms |", "|---|---|---|---|---|---|"]
    for (role, name), found in times.items():
        p95 = percentile(found, 95)
        verdict = "met" if p95 <= TARGET_MS else "**NOT met**"
        lines.append(f"| {role} | {name} | {statistics.median(found):.1f} | {p95:.1f} | {max(found):.1f} | {verdict} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--history", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--server", default=SERVER, help="a PostgreSQL server URL without a database name")
    parser.add_argument("--database", default=SCRATCH, help="the scratch database's name (created, then dropped)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database (and reuse it next time)")
    parser.add_argument("--write", action="store_true", help="update this benchmark's section of bench/RESULTS.md")
    parser.add_argument("--notes", default="", help="text to put under the section heading (machine, findings)")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    with scratch_database(args.server, args.database, keep=args.keep) as (url, new):
        ids, built = build(url, actions=args.actions, history=args.history)
        with create_engine(url.replace("postgresql://", "postgresql+psycopg://")).connect() as conn:
            version = conn.scalar(text("SHOW server_version"))
        times = asyncio.run(measure(url, ids, runs=args.runs))
    load_after = os.getloadavg()
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = "\n".join(
        [
            "### The tab's API at 100,000 actions on PostgreSQL (bench/bench_tab_api.py, issue 21 point 7)",
            "",
            f"Machine: {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
            f"PostgreSQL {version}; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after (the "
            f"machine is shared). Date: {when}. Tracker: {args.actions:,} actions, {args.history:,} history rows "
            f"({'built' if new else 'reused'} in {built:.0f} s). {args.runs} timed requests per row, one at a time, "
            f"after two untimed. Command: `.venv/bin/python bench/bench_tab_api.py --write`.",
            *([""] + [args.notes] if args.notes else []),
            "",
            *table(times),
        ]
    )
    print(section)
    if args.write:
        write_section("bench_tab_api", section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
