"""Workbooks for the tab's upload tests: the tracker as the tab exports it, changed as a quarter's
workbook would change it (tests/web/test_upload.py and the browser's tests/browser/test_tab_upload.py)."""

from __future__ import annotations

import io
from typing import Any, Callable

import openpyxl

from tests.web.tab_server import TabServer

__all__ = ["exported", "edited", "quarter_changes", "NEW_REF", "NEW_TITLE"]

NEW_REF = "DARA-NEW-001"
NEW_TITLE = "Publish the revised vetting policy"


def exported(tab: TabServer) -> bytes:
    response = tab.http.get(f"{tab.base}/api/tab/export", headers={"X-Tab-Person": str(tab.ids["grace"])}, timeout=60)
    assert response.status_code == 200, response.text
    return response.content


def edited(workbook: bytes, change: Callable[[Any], None]) -> bytes:
    """The workbook with ``change`` made to its Actions sheet (the History sheet is left out)."""
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    del book["History"]
    change(book["Actions"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def quarter_changes(sheet: Any) -> None:
    """One title changed, one action closed, one new action: what a quarter's workbook brings."""
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) + 1 for name in header}
    open_rows = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, col["status"]).value == "open"]
    sheet.cell(open_rows[0], col["description"]).value = NEW_TITLE
    sheet.cell(open_rows[1], col["status"]).value = "closed"
    new = [sheet.cell(open_rows[2], c).value for c in range(1, len(header) + 1)]
    new[col["ref"] - 1] = NEW_REF
    new[col["revised_due_date"] - 1] = None
    sheet.append(new)
