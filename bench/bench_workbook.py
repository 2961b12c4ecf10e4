"""Export and import at scale (issue 25 point 5): `export` and `export-closures` of 100,000 actions
with 1,000,000 history rows, and `import` of a 20,000-action workbook, each run as the operator runs
it (`python app.py ...` in a process of its own), timed on the wall clock with the process's peak RSS.

    .venv/bin/python bench/bench_workbook.py [--backends sqlite,postgresql] [--write]

Targets: export <= 60 s and <= 1 GB RSS; import of 20,000 rows <= 15 s.
The big tracker is bench/trackers.py's (bulk-inserted with SQLAlchemy Core, the history generated
inside the database). The import workbook is the export of a 20,000-action tracker without its History
sheet, imported into an empty database (everything new) and then again (everything unchanged).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results import write_section  # noqa: E402
from bench.trackers import PG_URL, database, generate  # noqa: E402
from store.db.engine import make_engine  # noqa: E402
from store.db.migrate import upgrade  # noqa: E402

TARGETS = {"export": (60.0, 1024.0), "export-closures": (60.0, 1024.0), "import": (15.0, None)}


@dataclass(frozen=True)
class Run:
    what: str
    seconds: float
    peak_mb: float
    output: str


def app(url: str, *args: str) -> Run:
    """`python app.py ARGS` against ``url``: wall time and the child's peak RSS (from wait4)."""
    env = {**os.environ, "DATABASE_URL": url, "TRACKER_SCHEDULES": "off"}
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "app.py", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    output = child.stdout.read().decode() if child.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"app.py {' '.join(args)} failed:\n{output}")
    return Run(args[0], seconds, usage.ru_maxrss / 1024, output.strip().splitlines()[-1] if output.strip() else "")


def migrated(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()


def without_history(source: Path, target: Path) -> int:
    book = load_workbook(source)
    del book["History"]
    book.save(target)
    return book["Actions"].max_row - 1


def bench_backend(backend: str, *, actions: int, history: int, imported: int, pg_url: str, folder: Path) -> list[str]:
    lines = []
    with database(backend, pg_url) as url:
        engine = make_engine(url)
        upgrade(engine)
        started = time.perf_counter()
        generate(engine, actions, n_history=history)
        engine.dispose()
        lines.append(f"- tracker generated in {time.perf_counter() - started:.0f} s")
        for args in (["export", str(folder / f"{backend}.xlsx")], ["export-closures", str(folder / "closures.xlsx")]):
            run = app(url, *args)
            lines.append(_line(backend, run, f"{actions:,} actions, {history:,} history rows"))
    with database(backend, pg_url) as small:
        migrated(small)
        engine = make_engine(small)
        generate(engine, imported, seed=7)
        engine.dispose()
        app(small, "export", str(folder / "small.xlsx"))
    rows = without_history(folder / "small.xlsx", folder / "import.xlsx")
    with database(backend, pg_url) as empty:
        migrated(empty)
        first = app(empty, "import", str(folder / "import.xlsx"))
        lines.append(_line(backend, first, f"{rows:,} actions, all new"))
        again = app(empty, "import", str(folder / "import.xlsx"))
        lines.append(_line(backend, again, f"{rows:,} actions, all unchanged"))
    return lines


def _line(backend: str, run: Run, what: str) -> str:
    seconds, megabytes = TARGETS[run.what]
    met = run.seconds <= seconds and (megabytes is None or run.peak_mb <= megabytes)
    target = f"<= {seconds:.0f} s" + (f", <= {megabytes:.0f} MB" if megabytes else "")
    verdict = "met" if met else "NOT met"
    return f"| {backend} | `{run.what}` | {what} | {run.seconds:.1f} s | {run.peak_mb:.0f} MB | {target}: {verdict} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--history", type=int, default=1_000_000)
    parser.add_argument("--import-rows", type=int, default=20_000)
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--write", action="store_true", help="update this benchmark's section of bench/RESULTS.md")
    parser.add_argument("--notes", default="", help="text to put under the section heading (machine, findings)")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    table = ["| backend | command | data | wall time | peak RSS | target |", "|---|---|---|---|---|---|"]
    notes = []
    with tempfile.TemporaryDirectory(prefix="bench-workbook-") as folder:
        for backend in args.backends.split(","):
            lines = bench_backend(
                backend,
                actions=args.actions,
                history=args.history,
                imported=args.import_rows,
                pg_url=args.pg_url,
                folder=Path(folder),
            )
            table += [line for line in lines if line.startswith("|")]
            notes += [f"{backend}: {line[2:]}" for line in lines if line.startswith("- ")]
    load_after = os.getloadavg()
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = "\n".join(
        [
            "### Export and import at scale (bench/bench_workbook.py)",
            "",
            f"Machine: {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
            f"{platform.system()} {platform.release()}; load average {load_before[0]:.1f} before, "
            f"{load_after[0]:.1f} after (the machine is shared). Date: {when}. "
            f"Command: `.venv/bin/python bench/bench_workbook.py --backends {args.backends} --write`.",
            *([""] + [args.notes] if args.notes else []),
            "",
            *table,
            "",
            *(f"- {n}" for n in notes),
        ]
    )
    print(section)
    if args.write:
        write_section("bench_workbook", section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
