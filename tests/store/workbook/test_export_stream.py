"""Issue 25 finding 8: export writes rows as it reads them (store/workbook/xlsx_stream.py) and the
workbook is the same, cell for cell, as the one the old writer (openpyxl) made.

The old writer (normal openpyxl worksheet, styles set on `ws[ws.max_row]` after each row: quadratic) is
kept below as the reference; both write the same sheets of the demo tracker, with text that looks like a
formula and a vertical tab added, and every cell's value, type, number format, quote prefix and bold are compared,
with the column widths and the frozen header of the closures export.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from sqlalchemy import update

from domain.text import clean
from store.db.models import Action
from store.demo.builder import load_demo
from store.workbook import export_workbook
from store.workbook.exporter import tracker_sheets, write_sheets
from tests.conftest import NOW, TODAY


def reference_rows(ws: Any, header: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
    """The writer before issue 25, verbatim but for the name."""
    header = list(header)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for values in rows:
        out = []
        for v in values:
            if isinstance(v, tuple):
                v = clean(", ".join(v)) if v else None
            elif isinstance(v, bool):
                v = "yes" if v else "no"
            elif isinstance(v, str):
                v = clean(v)
            out.append(v)
        ws.append(out)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                cell.data_type = "s"
                cell.quotePrefix = True
            elif isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    for index, name in enumerate(header, start=1):
        ws.column_dimensions[ws.cell(1, index).column_letter].width = max(12, min(45, len(name) + 4))


def cells(path: Path) -> dict[str, Any]:
    book = load_workbook(path)
    return {
        ws.title: {
            "cells": [
                [(c.value, c.data_type, c.number_format, bool(c.quotePrefix), bool(c.font.b)) for c in row]
                for row in ws.iter_rows()
            ],
            "widths": {k: v.width for k, v in ws.column_dimensions.items()},
            "freeze": ws.freeze_panes,
        }
        for ws in book.worksheets
    }


def test_the_streamed_export_is_the_old_workbook_cell_for_cell(sessions, tmp_path: Path) -> None:
    with sessions.begin() as s:
        load_demo(s, TODAY, NOW)
        first, second = sorted(s.scalars(Action.__table__.select().with_only_columns(Action.ref)))[:2]
        s.execute(
            update(Action).where(Action.ref == first).values(last_update_note="=HYPERLINK(1)\x0b", key_theme="@x")
        )
        s.execute(update(Action).where(Action.ref == second).values(evidence_note="-1+2", closed_on=TODAY))
    with sessions() as s:
        counts = export_workbook(s, tmp_path / "new.xlsx")
        old = Workbook()
        old.remove(old.active)
        for title, header, rows in tracker_sheets(s):
            reference_rows(old.create_sheet(title), header, rows)
        old.save(tmp_path / "old.xlsx")
    new, before = cells(tmp_path / "new.xlsx"), cells(tmp_path / "old.xlsx")
    assert list(new) == list(before) == ["People", "Audits", "Actions", "Inspections", "Lists", "History"]
    for title in before:
        assert new[title] == before[title], title
    assert counts["Actions"] == len(new["Actions"]["cells"]) - 1 > 200 and counts["History"] > 500
    formula = [row for row in new["Actions"]["cells"] if row[0][0] == first][0]
    assert ("=HYPERLINK(1)", "s", "General", True, False) in formula


def test_the_closures_sheet_keeps_its_frozen_header(tmp_path: Path) -> None:
    rows = [["R-1", date(2026, 1, 2), "=1+1", ("a", "b")], ["R-2", None, "ok <&> ", True], ["R-3", 7, 2.5, None]]
    header = ["ref", "on", "note", "tags"]
    counts = write_sheets(tmp_path / "new.xlsx", [("Proposed closures", header, iter(rows))], freeze_header=True)
    assert counts == {"Proposed closures": 3}
    old = Workbook()
    old.active.title = "Proposed closures"
    reference_rows(old.active, header, rows)
    old.active.freeze_panes = "A2"
    old.save(tmp_path / "old.xlsx")
    assert cells(tmp_path / "new.xlsx") == cells(tmp_path / "old.xlsx")


def test_no_row_rescans_the_sheet(sessions, tmp_path: Path, monkeypatch) -> None:
    """The quadratic step itself: openpyxl's max_row scans every cell written so far, so reading it per row
    made 4,000 rows take 16 times as long as 1,000 (the speed is measured in bench/bench_workbook.py)."""
    from openpyxl.worksheet.worksheet import Worksheet

    def rescan(self: Worksheet) -> int:
        raise AssertionError("the export read max_row: every cell written so far is scanned again")

    with sessions.begin() as s:
        load_demo(s, TODAY, NOW)
    monkeypatch.setattr(Worksheet, "max_row", property(rescan))
    with sessions() as s:
        assert export_workbook(s, tmp_path / "out.xlsx")["Actions"] > 200
