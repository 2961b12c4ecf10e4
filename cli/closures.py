"""`export-closures FILE.xlsx`: the actions proposed for closure (status implemented), for DARA."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from openpyxl import Workbook

from cli.files import writable_workbook, written
from cli.runtime import Runtime
from domain.phrases import count_of
from store.updates.decisions import CLOSURE_COLUMNS, closures_for_export
from store.workbook.exporter import write_rows

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
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
    wb = Workbook()
    ws = wb.active
    ws.title = "Proposed closures"
    write_rows(ws, CLOSURE_COLUMNS, rows)
    ws.freeze_panes = "A2"
    with written(args.file) as temporary:
        wb.save(temporary)
    sys.stdout.write(f"exported {count_of(len(rows), 'action')} proposed for closure to {args.file}\n")
    return 0
