"""`export-closures FILE.xlsx`: the actions proposed for closure (status implemented), for DARA."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.files import writable_workbook, written
from cli.runtime import Runtime
from domain.phrases import count_of
from store.updates.decisions import CLOSURE_COLUMNS, closures_for_export
from store.workbook.exporter import write_sheets

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "export-closures",
        help="export the actions proposed for closure (.xlsx) for DARA",
        description="Write every action its owner has marked implemented (proposed for closure) "
        "with its audit, owner, dates and evidence, one row each, to an .xlsx file.",
    )
    p.add_argument("file", type=Path, help="the .xlsx file to write")
    p.set_defaults(func=cmd_export_closures)


def cmd_export_closures(rt: Runtime, args: argparse.Namespace) -> int:
    writable_workbook(args.file)
    with rt.sessions.begin() as session:
        rows = closures_for_export(session)
    # rows streamed to the file (issue 25: no per-row rescans); written whole or not at all
    with written(args.file) as temporary:
        write_sheets(temporary, [("Proposed closures", list(CLOSURE_COLUMNS), rows)], freeze_header=True)
    sys.stdout.write(f"exported {count_of(len(rows), 'action')} proposed for closure to {args.file}\n")
    return 0
