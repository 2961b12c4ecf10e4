"""Benchmark: the CPU one first-time question costs in the query layer, one thread, no HTTP, no cache.

    .venv/bin/python bench/bench_question_cpu.py              # ms of CPU per question (median of passes)
    .venv/bin/python bench/bench_question_cpu.py --profile    # and the Python calls it makes (cProfile)

Every question of the mixes' pool (bench/turn_mix.py, ~100 over the demo tracker) is answered by
``answer_question`` as a chief officer, in one transaction per pass. CPU time (``time.process_time``),
not wall time, so the figure holds on a machine shared with other work; the profile's call counts
are exact and compare across runs on any machine.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_turns import DEMO_AAD, NOW, prepare  # noqa: E402
from bench.turn_mix import question_pool  # noqa: E402
from questions import Vocabulary, parse  # noqa: E402
from store.db.engine import make_engine, make_sessionmaker  # noqa: E402
from store.people.identity import identify  # noqa: E402
from store.queries.answers import _HANDLERS as ANSWERED  # noqa: E402
from store.queries.answers import answer_question  # noqa: E402
from store.queries.names import known_names  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=15)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    today = NOW.date()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/demo.db"
        prepare(url, "demo")
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        with sessions.begin() as session:
            names = known_names(session)
            viewer = identify(
                session, conversation_id="bench", user_id="bench", aad_object_id=DEMO_AAD["chief officer"], today=today
            )
        vocabulary = Vocabulary(
            groups=names.groups, audits=names.audits, people=names.people, key_themes=names.key_themes
        )
        parsed = [parse(text, vocabulary, today) for text in question_pool(list(names.groups))]
        questions = [q for q in parsed if q.intent in ANSWERED]

        def one_pass() -> None:
            with sessions.begin() as session:
                for question in questions:
                    answer_question(session, viewer, question, today)

        one_pass()  # warm: SQLAlchemy's compiled cache, SQLite's page cache
        times = []
        for _ in range(args.passes):
            start = time.process_time()
            one_pass()
            times.append((time.process_time() - start) / len(questions) * 1000)
        print(
            f"{len(questions)} questions: {statistics.median(times):.3f} ms CPU per question (median), min {min(times):.3f}"
        )
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(one_pass)
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(
                r"cache_key.py.*_gen_cache_key|coercions.py.*\(expect\)|answer_question", 6
            )
            print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
