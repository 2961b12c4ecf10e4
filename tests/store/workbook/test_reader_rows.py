"""The import reader's own sheet parse (store/workbook/reader.py, issue 25: inline strings read straight
from the XML) gives exactly the rows openpyxl's ``iter_rows(values_only=True)`` gives, for every kind
of cell a force's workbook or our export holds: inline strings plain, in runs, empty and with spaces;
formula strings, numbers, dates, booleans, formulas with cached values, errors; missing rows and cells,
cells without a reference."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook

from store.workbook.reader import _sheet_rows, read_workbook
from tests.store.workbooks import minimal_sheets, write_workbook

# Row 1 as openpyxl writes it is replaced by these rows: every cell type, rows 3 and 6 missing.
ROWS_XML = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>ref</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t xml:space="preserve"> due date </t></is></c>'
    '<c r="C1" t="str"><v>plain</v></c><c r="D1" t="inlineStr"><is><r><t>Key </t></r><r><rPr><b/></rPr><t>theme</t></r>'
    '<rPh sb="0" eb="1"><t>ignored</t></rPh></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>R-1</t></is></c><c r="B2" s="1"><v>45000</v></c>'
    '<c r="C2"><v>12</v></c><c r="D2" t="b"><v>1</v></c><c r="F2" t="inlineStr"><is><t/></is></c></row>'
    '<row r="4"><c t="inlineStr"><is><t>no reference</t></is></c><c><v>2.5</v></c>'
    '<c r="D4" t="str"><f>A4</f><v>cached</v></c><c r="E4" t="e"><v>#N/A</v></c></row>'
    '<row r="5"><c r="A5" t="inlineStr"><is><t>R-2</t><r><t> and more</t></r></is></c>'
    '<c r="B5" t="inlineStr"/></row>'
    '<row r="7"><c r="C7" s="1"><v>45001.5</v></c></row>'
)


def workbook_with_every_cell(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Actions"
    ws["A1"] = "x"  # a date style (index 1) for the rows above
    ws["B1"] = date(2024, 1, 1)
    wb.save(path)
    with zipfile.ZipFile(path) as source:
        files = {name: source.read(name) for name in source.namelist()}
    sheet = files["xl/worksheets/sheet1.xml"].decode()
    start, end = sheet.index("<sheetData>") + len("<sheetData>"), sheet.index("</sheetData>")
    sheet = sheet[:start] + ROWS_XML + sheet[end:]
    files["xl/worksheets/sheet1.xml"] = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:F8"', sheet).encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in files.items():
            target.writestr(name, data)
    return path


def test_every_kind_of_cell_reads_as_openpyxl_reads_it(tmp_path: Path) -> None:
    wb = load_workbook(workbook_with_every_cell(tmp_path / "cells.xlsx"), read_only=True, data_only=True)
    try:
        ws = wb["Actions"]
        ours = list(_sheet_rows(ws))
        assert ours == list(ws.iter_rows(values_only=True))
    finally:
        wb.close()
    assert ours[0][:4] == ("ref", " due date ", "plain", "Key theme")  # runs joined, phonetic hint left out
    assert ours[1][:6] == ("R-1", datetime(2023, 3, 15), 12, True, None, "")
    assert ours[2] == (None,) * 6 and ours[5] == (None,) * 6  # the missing rows 3 and 6
    assert ours[3][:5] == ("no reference", 2.5, None, "cached", "#N/A")
    assert ours[4][:2] == ("R-2 and more", None)
    assert len(ours) == 7  # to the last row written, as openpyxl reads it


def test_a_sheet_written_by_openpyxl_reads_the_same(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "minimal.xlsx", minimal_sheets())
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            assert list(_sheet_rows(ws)) == list(ws.iter_rows(values_only=True)), ws.title
    finally:
        wb.close()
    assert not read_workbook(path).problems
