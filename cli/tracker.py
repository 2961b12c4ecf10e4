"""Tracker data commands: migrate, demo, import, export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cards.import_wording import import_summary, problem_lines
from cli.runtime import CommandError, Runtime
from domain.permissions import operator_viewer
from store.history import ChangeContext
from store.db.migrate import upgrade
from store.db.setup import ensure_default_lists, is_empty
from store.workbook import WorkbookError, export_workbook, import_workbook

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "migrate",
        help="create or upgrade the database schema in place",
        description="Create the database, or upgrade an older one in place (Alembic).",
    )
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser(
        "demo",
        help="load the demo tracker (dates relative to today)",
        description="Load a realistic demo tracker shaped like the January 2021 panel report.",
    )
    p.add_argument("--if-empty", action="store_true", help="do nothing when the tracker already has actions")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "import",
        help="import a tracker workbook (.xlsx), all or nothing",
        description="Import People, Audits, Actions, Inspections and Lists sheets. "
        "Every problem is listed; on any problem nothing is stored.",
    )
    p.add_argument("file", type=Path, help="the .xlsx workbook")
    p.add_argument("--actor", default="import", help="who is importing (recorded in the history)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "export",
        help="export the tracker to a workbook (.xlsx)",
        description="Write the same sheets the import reads, plus a History sheet.",
    )
    p.add_argument("file", type=Path, help="the .xlsx file to write")
    p.set_defaults(func=cmd_export)


def cmd_migrate(rt: Runtime, args: argparse.Namespace) -> int:
    upgrade(rt.engine)
    with rt.sessions.begin() as session:
        ensure_default_lists(session)
    sys.stdout.write("database is up to date\n")
    return 0


def cmd_demo(rt: Runtime, args: argparse.Namespace) -> int:
    from store.demo.builder import load_demo  # the demo builder is only needed here

    upgrade(rt.engine)
    with rt.sessions.begin() as session:
        ensure_default_lists(session)
        if not is_empty(session):
            if args.if_empty:
                sys.stdout.write("tracker already has data; demo not loaded\n")
                return 0
            raise CommandError("the tracker already has data: the demo loads only into an empty database")
        counts = load_demo(session, rt.today(), rt.now())
    sys.stdout.write("demo tracker loaded: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + "\n")
    return 0


def cmd_import(rt: Runtime, args: argparse.Namespace) -> int:
    if args.file.suffix.lower() != ".xlsx":
        raise CommandError(f"{args.file} is not an .xlsx workbook")
    upgrade(rt.engine)
    ctx = ChangeContext(actor=args.actor, channel="import", at=rt.now())
    try:
        with rt.sessions.begin() as session:
            ensure_default_lists(session)
            result = import_workbook(session, operator_viewer(args.actor), path=args.file, ctx=ctx, today=rt.today())
    except WorkbookError as exc:
        lines = [f"{args.file}: {len(exc.problems)} problem(s); nothing was imported:"]
        lines += [f"  {line}" for line in problem_lines(exc.problems)]
        raise CommandError("\n".join(lines)) from None
    summary = import_summary(result.created, result.updated)
    sys.stdout.write(f"imported {args.file}: {summary} ({result.history_rows} history rows)\n")
    return 0


def cmd_export(rt: Runtime, args: argparse.Namespace) -> int:
    if args.file.suffix.lower() != ".xlsx":
        raise CommandError(f"{args.file}: the export is an .xlsx workbook; name the file *.xlsx")
    if not args.file.parent.exists():
        raise CommandError(f"folder {args.file.parent} does not exist")
    upgrade(rt.engine)
    with rt.sessions.begin() as session:
        counts = export_workbook(session, args.file)
    sys.stdout.write(f"exported to {args.file}: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + "\n")
    return 0
