"""Benchmark: typical questions over 100,000 actions and 1,000,000 history rows, through the query layer.

    .venv/bin/python bench/bench_questions.py                 # SQLite and PostgreSQL, 100,000 actions
    .venv/bin/python bench/bench_questions.py --backends sqlite --actions 20000 --history 0 --repeat 10
    .venv/bin/python bench/bench_questions.py --write         # also update bench/RESULTS.md (own section)
    .venv/bin/python bench/bench_questions.py --parse-only --write   # parsing alone (issue 22: < 1 ms p95)

Each timed run is what the bot does for one message, minus HTTP: parse the text, resolve the
scope, run the SQL (figures, one page of rows, chart series) and build the card. Two figures per
question: the query layer alone (``answer_question``: scope, SQL, rows; the issue 11 targets) and
the whole message (parse + query layer + card). The tracker and its history come from
bench/trackers.py (most actions closed long ago, about a fifth outstanding). Query plans are read
with EXPLAIN (PostgreSQL) and EXPLAIN QUERY PLAN (SQLite) for every statement a question runs.
PostgreSQL is vacuumed after the bulk load, as autovacuum would after that many inserts, so its
visibility map allows index-only scans.
"""

from __future__ import annotations

import argparse
import logging
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, event, text  # noqa: E402

from bench.results import write_section  # noqa: E402
from bench.trackers import PG_URL, TODAY, database, generate  # noqa: E402
from cards.answers import answer_card  # noqa: E402
from questions import Vocabulary, parse  # noqa: E402
from store.db.engine import make_engine, make_sessionmaker  # noqa: E402
from store.db.migrate import upgrade  # noqa: E402
from store.db.models import Person  # noqa: E402
from store.people.viewers import viewer_for  # noqa: E402
from store.queries import Answer, answer_question  # noqa: E402
from store.queries.names import known_names  # noqa: E402

log = logging.getLogger("bench_questions")
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


@dataclass
class Timing:
    who: str
    text: str
    page: int
    p50_ms: float  # query layer (answer_question)
    p95_ms: float
    total_p50_ms: float  # the whole message: parse + query layer + card
    total_p95_ms: float
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
        vocabulary = Vocabulary(
            groups=names.groups, audits=names.audits, people=names.people[:200], key_themes=names.key_themes
        )
        who = {role: viewer_for(s, s.get(Person, pid)) for role, pid in viewers.items()}
    timings, statements = [], {}
    for role, question_text, page in QUESTIONS:
        samples, totals = [], []
        for run in range(repeat + 2):
            captured.clear()
            # the statements are captured on the last warm-up run, so no timed run pays for the hook
            if run == 1:
                event.listen(engine, "before_cursor_execute", capture)
            started = time.perf_counter()
            with sessions() as s:
                question = parse(question_text, vocabulary, TODAY)
                asked = time.perf_counter()
                answer = answer_question(s, who[role], question, TODAY, page=page)
                answered = time.perf_counter()
                answer_card(answer)
            elapsed = (time.perf_counter() - started) * 1000
            if run == 1:
                event.remove(engine, "before_cursor_execute", capture)
                statements[f"{role}: {question_text}"] = list(captured)
            if run >= 2:
                samples.append((answered - asked) * 1000)
                totals.append(elapsed)
        assert isinstance(answer, Answer)
        f = answer.figures
        figure = f"{f.outstanding} outstanding, {f.overdue} overdue" if f.outstanding else f"{answer.page.total} listed"
        timings.append(
            Timing(
                role,
                question_text,
                page,
                statistics.median(samples),
                _percentile(samples, 95),
                statistics.median(totals),
                _percentile(totals, 95),
                len(statements[f"{role}: {question_text}"]),
                figure,
            )
        )
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
                lines.append(
                    " / ".join(p.strip() for p in plan if re.search(r"actions|inspection_items|Index|SCAN|SEARCH", p))
                )
            out[key] = lines
    return out


def run(backend: str, n_actions: int, n_history: int, repeat: int, pg_url: str) -> str:
    with database(backend, pg_url) as url:
        engine = make_engine(url)
        upgrade(engine)
        started = time.perf_counter()
        viewers = generate(engine, n_actions, n_history=n_history)
        load_s = time.perf_counter() - started
        timings, statements = time_questions(engine, viewers, repeat)
        explained = plans(engine, statements)
        engine.dispose()
        version = _server_version(url)
    lines = [
        f"#### {backend} {version}: {n_actions:,} actions, {n_history:,} history rows (generated and loaded "
        f"in {load_s:.1f} s), {repeat} timed runs per question",
        "",
        "| who | question | page | query layer p50 ms | query layer p95 ms | whole message p50 / p95 ms "
        "| SQL statements | figures |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {t.who} | {t.text} | {t.page + 1} | {t.p50_ms:.1f} | **{t.p95_ms:.1f}** | "
        f"{t.total_p50_ms:.1f} / {t.total_p95_ms:.1f} | {t.statements} | {t.figure} |"
        for t in timings
    ]
    gov = [t.p95_ms for t in timings if t.who == "governance"]
    chief = next(t.p95_ms for t in timings if t.who == "chief officer" and "overdue" in t.text)
    lines += [
        "",
        f'Worst governance p95 {max(gov):.1f} ms; chief officer "what\'s overdue in my group" p95 '
        f"{chief:.1f} ms (query layer).",
    ]
    lines += ["", f"<details><summary>{backend} query plans (one line per statement)</summary>", "", "```"]
    for key, plan_lines in explained.items():
        lines.append(key)
        lines += [f"  {line}" for line in plan_lines]
    lines += ["```", "</details>", ""]
    return "\n".join(lines)


def _server_version(url: str) -> str:
    engine = make_engine(url)
    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        version = conn.scalar(text("select sqlite_version()" if sqlite else "show server_version"))
    engine.dispose()
    return str(version).split(" ")[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--history", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--write", action="store_true", help="update this benchmark's section of bench/RESULTS.md")
    parser.add_argument("--notes", default="", help="text to put under the section heading (machine, findings)")
    parser.add_argument("--parse-only", action="store_true", help="time the parser alone over every test phrasing")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.parse_only:
        from bench.parse_timing import time_parsing

        head = ["### Parsing questions (bench/bench_questions.py --parse-only)", ""]
        section = "\n".join([*head, *([args.notes, ""] if args.notes else []), time_parsing(args.repeat)])
        print(section)
        if args.write:
            write_section("bench_parse", section)
        return 0
    parts = ["### Questions over the tracker (bench/bench_questions.py)", ""]
    if args.notes:
        parts += [args.notes, ""]
    for backend in args.backends.split(","):
        parts.append(run(backend.strip(), args.actions, args.history, args.repeat, args.pg_url))
    section = "\n".join(parts)
    print(section)
    if args.write:
        write_section("bench_questions", section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
