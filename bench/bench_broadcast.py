"""Benchmark: one update-cycle broadcast to N owners through the outbox and the sender, against the
fake Bot Connector enforcing a rate ceiling of R messages a second (429 + Retry-After above it).

    .venv/bin/python bench/bench_broadcast.py                        # 5,000 owners, R = 50, SQLite
    .venv/bin/python bench/bench_broadcast.py --ceiling 20           # the default send rate
    .venv/bin/python bench/bench_broadcast.py --database-url postgresql://postgres@127.0.0.1:5432/test --workers 2

The owners, their conversation references and one queued request each are bulk-inserted into a
fresh database (SQLite file under var/, or a private schema in PostgreSQL). The connector runs in a
background thread with its own event loop; the sender(s) run as they do in `python app.py worker`
(real ProactiveSender over HTTP, outcomes recorded in the database). Measured: wall time from the
first claim to the last outcome recorded; the rate the connector accepted (first to last accepted
message); 429s; duplicates (a conversation that got more than one message); losses (one that got
none, or an outbox row not 'sent'). Results: JSON on stdout; bench/RESULTS.md records them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.outbox.settings import SenderSettings  # noqa: E402
from bot.outbox.shared_rate import pacer_for  # noqa: E402
from bot.outbox.worker import OutboxSender  # noqa: E402
from bot.platform import build_host as build_adapter  # noqa: E402
from bot.proactive import ProactiveSender  # noqa: E402
from bot.services import BotServices  # noqa: E402
from config import Settings  # noqa: E402
from store.db.engine import make_async_engine, make_async_sessionmaker, make_engine, make_sessionmaker  # noqa: E402
from tests.bot.outbox_setup import migrated_template, outbox_statuses, seed_outbox, utc_now  # noqa: E402
from tests.fakes.connector import FakeConnector  # noqa: E402
from tests.fakes.databases import fresh_database_url  # noqa: E402


async def broadcast(url: str, rate: float, workers: int, concurrency: int) -> tuple[float, list]:
    adapter = build_adapter(Settings())
    engines = [make_async_engine(url) for _ in range(workers)]
    senders = []
    for n, e in enumerate(engines):
        run = BotServices(Settings(database_url=url), make_async_sessionmaker(e), utc_now).run
        # PostgreSQL: every sender draws from the one tenant-wide rate (bot/outbox/shared_rate.py), as
        # separate processes and machines do; SQLite: one process-local bucket (one sender)
        senders.append(
            OutboxSender(
                run,
                ProactiveSender(adapter, timeout=10),
                settings=SenderSettings(rate=rate, concurrency=concurrency, poll=0.05, worker_id=f"bench-{n}"),
                clock=utc_now,
                bucket=pacer_for(url, run, rate),
            )
        )
    started = time.monotonic()
    try:
        stats = await asyncio.gather(*(s.run(until_idle=True) for s in senders))
    finally:
        for e in engines:
            await e.dispose()
        await adapter.close()
    return time.monotonic() - started, stats


def broadcast_processes(url: str, rate: float, workers: int) -> tuple[float, list]:
    """Each sender a `python app.py worker --until-idle` process of its own, as deployed."""
    import os
    import subprocess
    from types import SimpleNamespace

    env = {**os.environ, "DATABASE_URL": url, "SEND_RATE_PER_SECOND": str(rate)}
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            [sys.executable, "app.py", "worker", "--until-idle"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for _ in range(workers)
    ]
    outs = [p.communicate()[0] for p in procs]
    wall = time.monotonic() - started
    sent = [
        int(out.split("worker stopped: ")[1].split(" sent")[0]) if "worker stopped: " in out else -1 for out in outs
    ]
    return wall, [SimpleNamespace(sent=n) for n in sent]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--owners", type=int, default=5000)
    parser.add_argument("--ceiling", type=float, default=50.0, help="the connector's limit R, messages a second")
    parser.add_argument("--rate", type=float, help="the senders' total rate (default: the ceiling)")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="senders sharing the outbox and, on PostgreSQL, one send rate (PostgreSQL for > 1)",
    )
    parser.add_argument("--concurrency", type=int, default=16, help="sends in flight per sender")
    parser.add_argument(
        "--processes",
        action="store_true",
        help="run each sender as a `python app.py worker` process (default: all in this one)",
    )
    parser.add_argument("--database-url", help="postgresql://... (a private schema is made); default: SQLite")
    args = parser.parse_args()
    rate = args.rate or args.ceiling

    with ExitStack() as stack:
        tmp = Path(
            stack.enter_context(tempfile.TemporaryDirectory(dir=ROOT / "var" if (ROOT / "var").exists() else None))
        )
        if args.database_url:
            url = stack.enter_context(fresh_database_url("postgresql", tmp))
            engine = make_engine(url)
            from store.db.migrate import upgrade
            from store.db.setup import ensure_default_lists

            upgrade(engine)
            with make_sessionmaker(engine).begin() as s:
                ensure_default_lists(s)
        else:
            path = shutil.copy(migrated_template(tmp), tmp / "broadcast.db")
            url = f"sqlite:///{path}"
            engine = make_engine(url)
        connector = stack.enter_context(FakeConnector(rate_limit=args.ceiling))
        t0 = time.monotonic()
        with make_sessionmaker(engine).begin() as s:
            cids = seed_outbox(s, args.owners, connector.service_url, utc_now())
        seeded = time.monotonic() - t0

        if args.processes:
            wall, stats = broadcast_processes(url, rate, args.workers)
        else:
            wall, stats = asyncio.run(broadcast(url, rate, args.workers, args.concurrency))

        counts = connector.delivered_counts()
        accepted = [r for r in connector.records() if r.accepted and r.kind == "send"]
        span = accepted[-1].at - accepted[0].at if len(accepted) > 1 else float("nan")
        with make_sessionmaker(engine)() as s:
            statuses = dict(outbox_statuses(s))
        engine.dispose()
        result = {
            "backend": "postgresql" if args.database_url else "sqlite",
            "owners": args.owners,
            "ceiling": args.ceiling,
            "send_rate": rate,
            "workers": args.workers,
            "processes": args.processes,
            "seed_s": round(seeded, 2),
            "wall_s": round(wall, 2),
            "rate_wall": round(args.owners / wall, 2),
            "rate_connector": round((len(accepted) - 1) / span, 2) if len(accepted) > 1 else None,
            "pct_of_send_rate": round(100 * (len(accepted) - 1) / span / rate, 1) if len(accepted) > 1 else None,
            "pct_of_ceiling": round(100 * args.owners / wall / args.ceiling, 1),
            "rejected_by_status": connector.stats()["rejected_by_status"],
            "duplicates": sum(c - 1 for c in counts.values() if c > 1),
            "lost": sum(1 for cid in cids if counts.get(cid, 0) == 0),
            "outbox": statuses,
            "per_worker_sent": [st.sent for st in stats],
        }
    print(json.dumps(result))
    ok = result["duplicates"] == 0 and result["lost"] == 0 and statuses == {"sent": args.owners}
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
