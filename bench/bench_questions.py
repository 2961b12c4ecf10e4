"""Benchmark: typical questions over 100,000 actions, end to end through the query layer.

    .venv/bin/python bench/bench_questions.py                 # SQLite and PostgreSQL, 100,000 actions
    .venv/bin/python bench/bench_questions.py --backends sqlite --actions 20000 --repeat 10
    .venv/bin/python bench/bench_questions.py --write         # also update bench/RESULTS.md (own section)

Each timed run is what the bot does for one message, minus HTTP: parse the text, resolve the
scope, run the SQL (figures, one page of rows, chart series) and build the card. The tracker
is bulk-inserted with SQLAlchemy Core, shaped like a long-running force tracker: most actions
closed long ago, about a fifth outstanding. Query plans are read with EXPLAIN (PostgreSQL) and
EXPLAIN QUERY PLAN (SQLite) for every statement a question runs.
"""
from __future__ import annotations

import argparse
import logging
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, create_engine, event, insert, select, text  # noqa: E402

from cards.answers import answer_card  # noqa: E402
from questions import Vocabulary, parse  # noqa: E402
from store.db import make_engine, make_sessionmaker  # noqa: E402
from store.domain import DEFAULT_DELAY_REASONS  # noqa: E402
from store.migrate import upgrade  # noqa: E402
from store.models import (  # noqa: E402
    Action, Audit, BusinessGroup, Delegation, GroupLead, InspectionItem, Person, PersonRole,
)
from store.people import viewer_for  # noqa: E402
from store.queries import Answer, answer_question  # noqa: E402
from store.setup import ensure_default_lists  # noqa: E402
from store.vocabulary import known_names  # noqa: E402

log = logging.getLogger("bench_questions")
TODAY = date(2026, 11, 26)
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
EXTRA_GROUPS = ("Specialist Operations", "People and Resources", "Strategy and Transformation")
GROUP_WEIGHTS = (18, 10, 22, 14, 6, 12, 10, 8)
THEMES = ("Policy and process", "Management oversight and reporting", "Training and awareness",
          "Data quality and records", "Governance and accountability", "Performance monitoring")
STATUSES = (("closed", 66), ("implemented", 6), ("superseded", 4), ("open", 8), ("in progress", 16))
ASSURANCES = (("substantial", 15), ("adequate", 40), ("limited", 35), ("no assurance", 5), ("not graded", 5))
QUESTIONS = (  # (who, text, page)
    ("governance", "summary", 0),
    ("governance", "what's overdue", 0),
    ("governance", "anything late for Met Ops?", 0),
    ("governance", "outstanding high risk actions", 0),
    ("governance", "why are we delayed", 0),
    ("governance", "due in the next 3 months", 0),
    ("governance", "what was delivered this quarter", 0),
    ("governance", "show stale actions", 0),
    ("governance", "overdue in Professionalism with no revised date", 0),
    ("governance", "open HMICFRS recommendations", 0),
    ("governance", "what's overdue", 40),
    ("chief officer", "what's overdue in my group", 0),
    ("chief officer", "summary", 0),
    ("owner", "what's overdue", 0),
)


def _weighted(rng: random.Random, pairs) -> str:
    values, weights = zip(*pairs)
    return rng.choices(values, weights)[0]


def generate(engine: Engine, n_actions: int, seed: int = 4) -> dict[str, int]:
    """Bulk-insert a tracker of ``n_actions`` actions; returns the ids of one viewer per role."""
    rng = random.Random(seed)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as s:
        ensure_default_lists(s)
        for name in EXTRA_GROUPS:
            s.add(BusinessGroup(name=name))
        s.flush()
        groups = {g.name: g.id for g in s.scalars(select(BusinessGroup).order_by(BusinessGroup.id))}
        names = list(groups)
        n_owners = max(50, n_actions // 50)
        people = [{"email": f"owner{i}@bench.example", "name": f"Owner {i:05d}",
                   "business_group_id": groups[names[i % len(names)]], "aad_object_id": None} for i in range(n_owners)]
        leads = [{"email": f"{r}.{k}@bench.example", "name": f"{r.title()} {g}", "business_group_id": gid,
                  "aad_object_id": None} for k, (g, gid) in enumerate(groups.items()) for r in ("chief", "spoc")]
        people.append({"email": "gov@bench.example", "name": "Gov Ernance", "business_group_id": groups[names[0]],
                       "aad_object_id": None})
        s.execute(insert(Person), people + leads)
        ids = {p.email: p.id for p in s.scalars(select(Person))}
        roles = [{"person_id": ids[p["email"]], "role": "owner"} for p in people[:-1]]
        roles += [{"person_id": ids[p["email"]], "role": "chief_officer" if p["email"].startswith("chief") else "spoc"}
                  for p in leads]
        roles.append({"person_id": ids["gov@bench.example"], "role": "governance"})
        s.execute(insert(PersonRole), roles)
        s.execute(insert(GroupLead), [{"person_id": ids[p["email"]], "business_group_id": p["business_group_id"],
                                       "role": "chief_officer" if p["email"].startswith("chief") else "spoc"}
                                      for p in leads])
        s.execute(insert(Delegation), [{"owner_id": ids["owner1@bench.example"], "delegate_id": ids["owner0@bench.example"]}])
        n_audits = max(20, n_actions // 60)
        s.execute(insert(Audit), [{"audit_id": f"DARA-{i:05d}", "title": f"Audit number {i:05d}",
                                   "received": "2020/21 Q1", "kind": "follow-up" if i % 4 == 0 else "original",
                                   "assurance": _weighted(rng, ASSURANCES), "restricted": False}
                                  for i in range(n_audits)])
        audit_ids = list(s.scalars(select(Audit.id)))
        owner_ids = [ids[p["email"]] for p in people[:-1]]
        owner_group = {ids[p["email"]]: p["business_group_id"] for p in people[:-1]}
        group_ids = list(groups.values())
        batch: list[dict] = []
        for i in range(n_actions):
            status = _weighted(rng, STATUSES)
            due = TODAY + timedelta(days=rng.randint(-8 * 365, 2 * 365))
            if status in ("closed", "implemented", "superseded"):
                due = TODAY + timedelta(days=rng.randint(-8 * 365, 60))
            outstanding = status in ("open", "in progress")
            owner = rng.choice(owner_ids)
            group = owner_group[owner] if rng.random() < 0.9 else rng.choices(group_ids, GROUP_WEIGHTS)[0]
            implemented = None
            if status in ("closed", "implemented"):
                implemented = min(TODAY, due + timedelta(days=rng.randint(-90, 200)))
            batch.append({
                "ref": f"A{i:07d}", "audit_id": rng.choice(audit_ids), "description": f"Recommendation {i} " + "x" * 60,
                "risk": rng.choices(("high", "medium", "low"), (40, 40, 20))[0], "business_group_id": group,
                "owner_id": owner, "due_date": due, "status": status,
                "revised_due_date": due + timedelta(days=rng.randint(60, 500))
                if outstanding and due < TODAY and rng.random() < 0.6 else None,
                "delay_reason": rng.choice(DEFAULT_DELAY_REASONS) if outstanding and rng.random() < 0.5 else None,
                "key_theme": rng.choice(THEMES), "implemented_on": implemented,
                "closed_on": implemented + timedelta(days=30) if status == "closed" and implemented else None,
                "version": 1})
            if len(batch) == 5000:
                s.execute(insert(Action), batch)
                batch = []
        if batch:
            s.execute(insert(Action), batch)
        s.execute(insert(InspectionItem), [
            {"ref": f"HMI-{i:05d}", "inspection": f"Inspection {i % 90}", "inspection_year": "2019/20",
             "scope": "force", "kind": "rec" if i % 3 else "afi", "theme": rng.choice(("Vulnerability", "PEEL", "CPS")),
             "business_group_id": rng.choice(group_ids), "owner_id": rng.choice(owner_ids),
             "due_date": TODAY + timedelta(days=rng.randint(-400, 400)),
             "status": rng.choice(("open", "open", "holding", "closed", "closed", "submitted for closure")),
             "version": 1} for i in range(max(100, n_actions // 50))])
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    met = groups["Met Operations"]
    return {"governance": ids["gov@bench.example"],
            "chief officer": next(ids[p["email"]] for p in leads if p["business_group_id"] == met and p["email"].startswith("chief")),
            "owner": ids["owner0@bench.example"]}


@dataclass
class Timing:
    who: str
    text: str
    page: int
    p50_ms: float
    p95_ms: float
    statements: int
    figure: str


def _percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))]


def time_questions(engine: Engine, viewers: dict[str, int], repeat: int) -> tuple[list[Timing], dict[str, list[str]]]:
    sessions = make_sessionmaker(engine)
    captured: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        captured.append((statement, parameters))

    with sessions() as s:
        names = known_names(s)
        vocabulary = Vocabulary(groups=names.groups, audits=names.audits, people=names.people[:200],
                                key_themes=names.key_themes)
        who = {role: viewer_for(s, s.get(Person, pid)) for role, pid in viewers.items()}
    timings, statements = [], {}
    for role, question_text, page in QUESTIONS:
        samples = []
        for run in range(repeat + 2):
            captured.clear()
            if run == 2:
                event.listen(engine, "before_cursor_execute", capture)
            started = time.perf_counter()
            with sessions() as s:
                question = parse(question_text, vocabulary, TODAY)
                answer = answer_question(s, who[role], question, TODAY, page=page)
                answer_card(answer)
            elapsed = (time.perf_counter() - started) * 1000
            if run == 2:
                event.remove(engine, "before_cursor_execute", capture)
                statements[f"{role}: {question_text}"] = list(captured)
            if run >= 2:
                samples.append(elapsed)
        assert isinstance(answer, Answer)
        f = answer.figures
        figure = (f"{f.outstanding} outstanding, {f.overdue} overdue" if f.outstanding else
                  f"{answer.page.total} listed")
        timings.append(Timing(role, question_text, page, statistics.median(samples), _percentile(samples, 95),
                              len(statements[f"{role}: {question_text}"]), figure))
    return timings, statements


def plans(engine: Engine, statements: dict[str, list]) -> dict[str, list[str]]:
    """Per question: one line per statement saying how the actions / inspections tables are read."""
    out: dict[str, list[str]] = {}
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        for key, executed in statements.items():
            lines = []
            for statement, parameters in executed:
                if "actions" not in statement and "inspection_items" not in statement:
                    continue
                cursor = raw.cursor()
                cursor.execute(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + statement, parameters)
                plan = [str(row[-1] if sqlite else row[0]) for row in cursor.fetchall()]
                cursor.close()
                lines.append(" / ".join(p.strip() for p in plan if re.search(
                    r"actions|inspection_items|Index|SCAN|SEARCH", p)))
            out[key] = lines
    return out


@contextmanager
def database(backend: str, pg_url: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{pg_url}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def run(backend: str, n_actions: int, repeat: int, pg_url: str) -> str:
    with database(backend, pg_url) as url:
        engine = make_engine(url)
        upgrade(engine)
        started = time.perf_counter()
        viewers = generate(engine, n_actions)
        load_s = time.perf_counter() - started
        timings, statements = time_questions(engine, viewers, repeat)
        explained = plans(engine, statements)
        engine.dispose()
    lines = [f"#### {backend}: {n_actions:,} actions (generated and bulk-inserted in {load_s:.1f} s), "
             f"{repeat} timed runs per question", "",
             "| who | question | page | p50 ms | p95 ms | SQL statements | figures |", "|---|---|---|---|---|---|---|"]
    lines += [f"| {t.who} | {t.text} | {t.page + 1} | {t.p50_ms:.1f} | {t.p95_ms:.1f} | {t.statements} | {t.figure} |"
              for t in timings]
    lines += ["", f"<details><summary>{backend} query plans (one line per statement)</summary>", "", "```"]
    for key, plan_lines in explained.items():
        lines.append(key)
        lines += [f"  {line}" for line in plan_lines]
    lines += ["```", "</details>", ""]
    return "\n".join(lines)


START, END = "<!-- bench_questions:start -->", "<!-- bench_questions:end -->"


def write_results(section: str) -> None:
    path = ROOT / "bench" / "RESULTS.md"
    current = path.read_text() if path.exists() else "# Benchmark results\n"
    block = f"{START}\n{section}\n{END}"
    if START in current and END in current:
        current = current[:current.index(START)] + block + current[current.index(END) + len(END):]
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    path.write_text(current)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--write", action="store_true", help="update this benchmark's section of bench/RESULTS.md")
    parser.add_argument("--notes", default="", help="text to put under the section heading (machine, findings)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    parts = ["### Questions over the tracker (bench/bench_questions.py)", ""]
    if args.notes:
        parts += [args.notes, ""]
    for backend in args.backends.split(","):
        parts.append(run(backend.strip(), args.actions, args.repeat, args.pg_url))
    section = "\n".join(parts)
    print(section)
    if args.write:
        write_results(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
