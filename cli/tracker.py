"""Tracker data commands: migrate, demo, import, export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cards.import_wording import import_summary, preview_lines, problem_lines, problems_heading
from cli.files import readable_workbook, writable_workbook, written
from cli.progress import working
from cli.runtime import CommandError, Runtime
from domain.permissions import operator_viewer
from store.db.migrate import upgrade
from store.db.setup import ensure_default_lists, is_empty
from store.history import ChangeContext
from store.workbook import WorkbookError, export_workbook, import_workbook
from store.workbook.mapping import Mapping, mapping_from_toml
from store.workbook.preview import preview_import

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    p.add_argument(
        "--map",
        type=Path,
        metavar="MAPPING.toml",
        help="read the force's own layout: which of their sheets, columns, words and date formats are ours "
        "(a Mapping sheet in the workbook does the same)",
    )
    p.add_argument("--dry-run", action="store_true", help="show what would be added, changed and closed; store nothing")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "export",
        help="export the tracker to a workbook (.xlsx)",
        description="Write the same sheets the import reads, plus a History sheet.",
    )
    p.add_argument("file", type=Path, help="the .xlsx file to write")
    p.set_defaults(func=cmd_export)


def cmd_migrate(rt: Runtime, args: argparse.Namespace) -> int:
    with working("Migrating the database", log_format=rt.settings.log_format):
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


def _problems(source: Path, exc: WorkbookError) -> CommandError:
    lines = [problems_heading(str(source), len(exc.problems)) + ":"]
    lines += [f"  {line}" for line in problem_lines(exc.problems)]
    return CommandError("\n".join(lines))


def cmd_import(rt: Runtime, args: argparse.Namespace) -> int:
    readable_workbook(args.file)
    mapping: Mapping | None = None
    if args.map is not None:
        try:
            mapping = mapping_from_toml(args.map)
        except WorkbookError as exc:
            raise _problems(args.map, exc) from None
    ctx = ChangeContext(actor=args.actor, channel="import", at=rt.now())
    if args.dry_run:
        upgrade(rt.engine)
        return _dry_run(rt, args, ctx, mapping)
    try:
        with working(f"Importing {args.file}", log_format=rt.settings.log_format):
            upgrade(rt.engine)
            with rt.sessions.begin() as session:
                ensure_default_lists(session)
                result = import_workbook(
                    session, operator_viewer(args.actor), path=args.file, ctx=ctx, today=rt.today(), mapping=mapping
                )
    except WorkbookError as exc:
        raise _problems(args.file, exc) from None
    summary = import_summary(result.created, result.updated)
    sys.stdout.write(f"imported {args.file}: {summary} ({result.history_rows} history rows)\n")
    return 0


def _dry_run(rt: Runtime, args: argparse.Namespace, ctx: ChangeContext, mapping: Mapping | None) -> int:
    """The import's preview; the session is rolled back, so not even the default lists are stored."""
    try:
        with rt.sessions() as session:
            ensure_default_lists(session)
            preview = preview_import(
                session, operator_viewer(args.actor), path=args.file, ctx=ctx, today=rt.today(), mapping=mapping
            )
            session.rollback()
    except WorkbookError as exc:
        raise _problems(args.file, exc) from None
    lines = preview_lines(preview)
    sys.stdout.write(f"dry run of {args.file}, nothing was stored: {lines[0]}\n")
    for line in lines[1:]:
        sys.stdout.write(f"  {line}\n")
    return 0


def cmd_export(rt: Runtime, args: argparse.Namespace) -> int:
    writable_workbook(args.file)
    with working(f"Exporting to {args.file}", log_format=rt.settings.log_format):
        upgrade(rt.engine)
        with rt.sessions.begin() as session, written(args.file) as temporary:
            counts = export_workbook(session, temporary)
    sys.stdout.write(f"exported to {args.file}: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + "\n")
    return 0
