"""Benchmark: the panel figures (incl. the previous quarter rebuilt from history) over a big tracker.

    .venv/bin/python bench/bench_report.py                 # build var/bench-report.db once, then measure
    .venv/bin/python bench/bench_report.py --rebuild       # regenerate the database first

The tracker: 100,000 actions in 1,000 audits, 2,000 inspection items, 8 update cycles (40,000 items),
1,000,000 history rows (a `_created` row per entity, the rest field changes spread over three years,
denser in recent months, written in time order as an append-only history is). Generated with numpy, bulk-inserted with SQLAlchemy Core into SQLite.

Each measurement runs in a fresh process (so the peak RSS is the measurement's own): the wall time
of `figures_as_of` (the SQL loads + pandas, as the CLI and the bot run it) and, in a second run, the
tracemalloc peak (Python + numpy allocations); both report the process's peak RSS (VmHWM). The
same call is then timed again in the same process (warm: the bot's case). Results go to stdout as JSON lines;
bench/RESULTS.md records them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import insert

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from domain.words import DEFAULT_DELAY_REASONS  # noqa: E402
from store.db.engine import make_engine, make_sessionmaker  # noqa: E402
from store.db.migrate import upgrade  # noqa: E402
from store.db.models import Action, Audit, BusinessGroup, CycleItem, HistoryEntry, InspectionItem, Person, UpdateCycle  # noqa: E402
from store.db.setup import ensure_default_lists  # noqa: E402

TODAY = date(2026, 11, 26)
STATUSES = np.array(["open", "in progress", "implemented", "closed", "superseded"])
THEMES = np.array(
    [
        "Policy and process",
        "Management oversight and reporting",
        "Training and awareness",
        "Data quality and records",
        "Governance and accountability",
        "Performance monitoring",
    ]
)
FIELDS = np.array(
    [
        "status",
        "delay_reason",
        "revised_due_date",
        "last_update_on",
        "last_update_note",
        "implemented_on",
        "business_group",
    ]
)
CHUNK = 50_000


def _dates(days: np.ndarray) -> list[date | None]:
    base = np.datetime64(TODAY.isoformat())
    stamps = pd.Series(base + days.astype("timedelta64[D]"))
    return [d.date() if not pd.isna(d) else None for d in stamps]


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows for executemany, with NaN / NaT as NULL."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _insert(conn, table, frame: pd.DataFrame) -> None:
    for start in range(0, len(frame), CHUNK):
        conn.execute(insert(table), _records(frame.iloc[start : start + CHUNK]))


def build(db: Path, n_actions: int, n_history: int) -> None:
    rng = np.random.default_rng(2021)
    db.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    with make_sessionmaker(engine).begin() as session:
        ensure_default_lists(session)
    with engine.begin() as conn:
        groups = [r[0] for r in conn.execute(BusinessGroup.__table__.select().with_only_columns(BusinessGroup.id))]
        n_people, n_audits, n_items = 2_000, 1_000, 2_000
        _insert(
            conn,
            Person.__table__,
            pd.DataFrame(
                {
                    "id": np.arange(1, n_people + 1),
                    "email": [f"owner{i}@example.org" for i in range(n_people)],
                    "name": [f"Owner {i}" for i in range(n_people)],
                    "business_group_id": rng.choice(groups, n_people),
                }
            ),
        )
        quarters = [f"{2023 + i // 4}/{(24 + i // 4) % 100:02d} Q{i % 4 + 1}" for i in range(15)]
        _insert(
            conn,
            Audit.__table__,
            pd.DataFrame(
                {
                    "id": np.arange(1, n_audits + 1),
                    "audit_id": [f"DARA-{i:05d}" for i in range(n_audits)],
                    "title": [f"Audit {i}" for i in range(n_audits)],
                    "received": rng.choice(quarters, n_audits),
                    "kind": rng.choice(["original", "follow-up"], n_audits),
                    "assurance": rng.choice(
                        ["substantial", "adequate", "limited", "no assurance", "not graded"], n_audits
                    ),
                    "restricted": False,
                }
            ),
        )
        status = rng.choice(STATUSES, n_actions, p=[0.15, 0.45, 0.15, 0.2, 0.05])
        due = rng.integers(-900, 400, n_actions)
        revised = np.where(rng.random(n_actions) < 0.3, due + rng.integers(30, 300, n_actions), np.nan)
        done = np.where(np.isin(status, ["implemented", "closed"]), -rng.integers(0, 700, n_actions), np.nan)
        _insert(
            conn,
            Action.__table__,
            pd.DataFrame(
                {
                    "id": np.arange(1, n_actions + 1),
                    "ref": [f"A{i:06d}" for i in range(n_actions)],
                    "audit_id": rng.integers(1, n_audits + 1, n_actions),
                    "description": "An action",
                    "risk": rng.choice(["high", "medium", "low"], n_actions, p=[0.5, 0.35, 0.15]),
                    "business_group_id": rng.choice(groups, n_actions),
                    "owner_id": rng.integers(1, n_people + 1, n_actions),
                    "due_date": _dates(due),
                    "revised_due_date": _dates(revised),
                    "status": status,
                    "delay_reason": np.where(
                        rng.random(n_actions) < 0.4, rng.choice(DEFAULT_DELAY_REASONS, n_actions), None
                    ),
                    "key_theme": rng.choice(THEMES, n_actions),
                    "implemented_on": _dates(done),
                    "version": 1,
                }
            ),
        )
        _insert(
            conn,
            InspectionItem.__table__,
            pd.DataFrame(
                {
                    "id": np.arange(1, n_items + 1),
                    "ref": [f"HMI-{i:05d}" for i in range(n_items)],
                    "inspection": [f"Inspection {i % 80}" for i in range(n_items)],
                    "inspection_year": rng.choice(["2017/18", "2018/19", "2019/20", "2020/21"], n_items),
                    "scope": rng.choice(["force", "nationwide"], n_items),
                    "kind": rng.choice(["rec", "afi"], n_items),
                    "theme": rng.choice(["PEEL", "Vulnerability", "Fraud", "CPS", "Roads Policing"], n_items),
                    "status": rng.choice(["open", "holding", "submitted for closure", "closed"], n_items),
                    "version": 1,
                }
            ),
        )
        opened = [
            datetime.combine(TODAY - timedelta(days=91 * k + 20), datetime.min.time(), timezone.utc) for k in range(8)
        ]
        _insert(
            conn,
            UpdateCycle.__table__,
            pd.DataFrame(
                {
                    "id": np.arange(1, 9),
                    "opened_at": opened,
                    "opened_by": "bench",
                    "deadline": [o.date() for o in opened],
                    "scope": [{"kind": "all"}] * 8,
                    "status": "closed",
                    "closed_at": [o + timedelta(days=30) for o in opened],
                }
            ),
        )
        n_ci = 40_000
        ci_opened = np.repeat(np.array([o.replace(tzinfo=None) for o in opened], dtype="datetime64[us]"), n_ci // 8)
        answered = rng.random(n_ci) < 0.55
        responded = pd.Series(ci_opened + rng.integers(1, 40 * 86400, n_ci).astype("timedelta64[s]"))
        _insert(
            conn,
            CycleItem.__table__,
            pd.DataFrame(
                {
                    "cycle_id": np.repeat(np.arange(1, 9), n_ci // 8),
                    "owner_id": rng.integers(1, n_people + 1, n_ci),
                    "action_id": rng.integers(1, n_actions + 1, n_ci),
                    "business_group": "Met Operations",
                    "responded_at": [
                        t.to_pydatetime().replace(tzinfo=timezone.utc) if a else None
                        for t, a in zip(responded, answered)
                    ],
                }
            ),
        )
        _history(conn, rng, n_actions, n_audits, n_items, n_history)


def _history(conn, rng, n_actions: int, n_audits: int, n_items: int, n_history: int) -> None:
    created = n_actions + n_audits + n_items
    n_changes = n_history - created
    # Ages in seconds before TODAY: entities created 1-3 years ago; changes denser in recent months.
    created_age = rng.integers(365 * 86400, 3 * 365 * 86400, created)
    change_age = (rng.power(0.6, n_changes) * 3 * 365 * 86400).astype(np.int64)
    field = rng.choice(FIELDS, n_changes)
    old = np.where(
        field == "status",
        rng.choice(STATUSES[:3], n_changes),
        np.where(
            np.isin(field, ["revised_due_date", "last_update_on", "implemented_on"]),
            rng.choice(pd.date_range("2023-01-01", "2027-12-31").strftime("%Y-%m-%d"), n_changes),
            np.where(field == "business_group", "Met Operations", rng.choice(DEFAULT_DELAY_REASONS, n_changes)),
        ),
    )
    frame = pd.DataFrame(
        {
            "age": np.concatenate([created_age, change_age]),
            "entity": np.concatenate(
                [
                    np.repeat("action", n_actions),
                    np.repeat("audit", n_audits),
                    np.repeat("inspection", n_items),
                    np.repeat("action", n_changes),
                ]
            ),
            "entity_ref": np.concatenate(
                [
                    [f"A{i:06d}" for i in range(n_actions)],
                    [f"DARA-{i:05d}" for i in range(n_audits)],
                    [f"HMI-{i:05d}" for i in range(n_items)],
                    np.char.add("A", np.char.zfill(rng.integers(0, n_actions, n_changes).astype(str), 6)),
                ]
            ),
            "field": np.concatenate([np.repeat("_created", created), field]),
            "old_value": np.concatenate([np.repeat(None, created), old]),
            "new_value": None,
            "actor": "bench",
            "channel": "import",
        }
    )
    # Append-only: rows are written in time order, as the tracker writes them.
    frame = frame.sort_values("age", ascending=False, kind="stable", ignore_index=True)
    end = pd.Timestamp(TODAY, tz="UTC")
    for start in range(0, len(frame), CHUNK):
        chunk = frame.iloc[start : start + CHUNK].copy()
        chunk["at"] = end - pd.to_timedelta(chunk.pop("age"), unit="s")
        conn.execute(insert(HistoryEntry.__table__), _records(chunk))


def _peak_rss_kb() -> int:
    """This process's own peak RSS (VmHWM; ru_maxrss would include a parent's peak inherited at fork)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure(db: Path, as_of: date, memory: bool) -> dict:
    from reports import figures_as_of, history_since  # imported before timing: import time is not the report's
    from store.queries.tables import load_tables

    sessions = make_sessionmaker(make_engine(f"sqlite:///{db}"))
    with sessions() as session:  # warm the file cache and the connection, as a running bot would be
        session.execute(HistoryEntry.__table__.select().limit(1)).all()
    if memory:
        tracemalloc.start()
    start = time.perf_counter()
    with sessions() as session:
        figures = figures_as_of(load_tables(session, since=history_since(as_of)), as_of)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if memory else None
    start = time.perf_counter()  # again in the same process: a running bot's case (warm caches)
    with sessions() as session:
        figures_as_of(load_tables(session, since=history_since(as_of)), as_of)
    warm = time.perf_counter() - start
    with sessions() as session:
        from sqlalchemy import func, select

        loaded = session.scalar(
            select(func.count())
            .select_from(HistoryEntry)
            .where(HistoryEntry.at >= datetime.combine(history_since(as_of), datetime.min.time(), timezone.utc))
        )
    return {
        "as_of": as_of.isoformat(),
        "seconds": round(seconds, 3),
        "seconds_warm": round(warm, 3),
        "tracemalloc_peak_mb": round(peak / 2**20, 1) if peak else None,
        "peak_rss_mb": round(_peak_rss_kb() / 1024, 1),
        "history_rows_in_window": loaded,
        "outstanding": figures["outstanding"]["total"],
        "previous_outstanding": figures["previous_quarter"]["outstanding"]["total"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=ROOT / "var" / "bench-report.db")
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--history", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per date (the median is reported)")
    parser.add_argument("--measure", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    parser.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.db, date.fromisoformat(args.measure), args.memory)))
        return 0
    if args.rebuild or not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        build(args.db, args.actions, args.history)
        print(json.dumps({"built": str(args.db), "seconds": round(time.perf_counter() - start, 1)}), flush=True)
    for as_of in (TODAY, date(2025, 11, 26), date(2024, 1, 15)):
        cmd = [sys.executable, __file__, "--db", str(args.db), "--measure", as_of.isoformat()]
        runs = [
            json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout) for _ in range(args.runs)
        ]
        memory = json.loads(subprocess.run(cmd + ["--memory"], capture_output=True, text=True, check=True).stdout)
        seconds = sorted(r["seconds"] for r in runs)
        warm = sorted(r["seconds_warm"] for r in runs)
        print(
            json.dumps(
                {
                    **runs[0],
                    "seconds": seconds[len(seconds) // 2],
                    "seconds_min": seconds[0],
                    "seconds_warm": warm[len(warm) // 2],
                    "seconds_max": seconds[-1],
                    "runs": len(runs),
                    "tracemalloc_peak_mb": memory["tracemalloc_peak_mb"],
                    "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
                    "load_average": round(os.getloadavg()[0], 1),
                }
            ),
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
