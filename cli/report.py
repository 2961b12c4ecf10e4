"""`report`: the quarterly Audit Panel pack (Excel, PNG charts, summary.html) and its figures."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from cards.pack_wording import before_first_change_words
from cli.progress import working
from cli.runtime import CommandError, Runtime
from observability.metrics import report_build

__all__ = ["register", "iso_date", "default_out"]

log = logging.getLogger(__name__)


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: write it as YYYY-MM-DD, e.g. 2021-01-18") from None


def default_out(as_of: date) -> Path:
    return Path("build") / f"report-{as_of.isoformat()}"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "report",
        help="build the quarterly Audit Panel pack (Excel, charts, HTML summary)",
        description="Compute the tracker's figures as at a date (the past is rebuilt from the history) and "
        "write the Audit Panel pack: an Excel workbook with one sheet per table, PNG charts, "
        "summary.html and figures.json. Logs go to stderr.",
    )
    p.add_argument("--as-of", type=iso_date, metavar="YYYY-MM-DD", help="report date (default: today)")
    p.add_argument(
        "--out", type=Path, metavar="DIR", help="folder to write the pack into (default: build/report-YYYY-MM-DD)"
    )
    p.add_argument("--json", action="store_true", help="print the figures as JSON on stdout")
    p.set_defaults(func=cmd_report)


def _writable(folder: Path) -> None:
    """Create ``folder`` and prove it takes a file, or say plainly why not."""
    if folder.exists() and not folder.is_dir():
        raise CommandError(f"{folder} is a file, not a folder: choose another --out")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise CommandError(
            f"cannot write the pack to {folder}: {exc.strerror or exc}; choose a folder you can write to with --out"
        ) from None


def _before_first_change(rt: Runtime, as_of: date) -> None:
    """A pack as at a day before anything was recorded would print zeros as if they were figures: say so."""
    from domain.localtime import local_date
    from store.queries.tables import first_change_at

    try:
        with rt.sessions() as session:
            first = first_change_at(session)
    except SQLAlchemyError:
        return  # the report's own load says what is wrong with the database
    if first is None:
        return
    first_day = local_date(first, rt.settings.zone)
    if as_of < first_day:
        raise CommandError(
            f"{before_first_change_words(as_of, first_day)}. Choose --as-of {first_day.isoformat()} or "
            f"later, or load the tracker's history as on its own dates first (python app.py --today YYYY-MM-DD import ...)"
        )


def cmd_report(rt: Runtime, args: argparse.Namespace) -> int:
    as_of: date = args.as_of or rt.today()
    folder: Path = args.out or default_out(as_of)
    _before_first_change(rt, as_of)
    _writable(folder)
    with working(f"Building the pack as at {as_of.isoformat()}", log_format=rt.settings.log_format):
        report, files = _build(rt, as_of, folder)
    if args.json:
        sys.stdout.write(json.dumps(report.figures, indent=2, ensure_ascii=False) + "\n")
    else:
        f = report.figures
        sys.stdout.write(
            f"Audit Panel pack as at {f['as_of']} ({f['quarter']}): {f['outstanding']['total']} outstanding, "
            f"{f['overdue']['total']} past their original due date, {f['delivered']['total']} delivered this quarter\n"
        )
        for path in files.all():
            sys.stdout.write(f"  {path}\n")
    return 0


def _build(rt: Runtime, as_of: date, folder: Path) -> tuple[Any, Any]:
    """The figures as at ``as_of`` and the pack written to ``folder``."""
    from reports import build_report, history_since  # pandas and matplotlib are only needed here
    from reports.pack import write_pack
    from store.queries.tables import load_tables

    with report_build("cli"):  # the build's time and outcome: the load and the computation
        try:
            with rt.sessions() as session:
                tables = load_tables(session, since=history_since(as_of))
        except SQLAlchemyError as exc:
            log.debug("report query failed", exc_info=True)
            raise CommandError(
                f"cannot read the tracker ({type(exc).__name__}): run `python app.py migrate` "
                f"first, or check DATABASE_URL"
            ) from None
        report = build_report(tables, as_of, zone=rt.settings.zone)
    try:
        files = write_pack(report, folder)
    except OSError as exc:
        raise CommandError(f"cannot write the pack to {folder}: {exc.strerror or exc}") from None
    return report, files
