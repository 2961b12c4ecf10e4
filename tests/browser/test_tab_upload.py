"""Issue 21 point 8: governance runs the quarter's upload and the pack from the Tracker tab, in headless
chromium (tests/browser/tab_upload.js) on the real page and server: a file that is no workbook is
refused in the command line's words; a workbook is previewed (counts and rows), applied, and the grid
shows the change; the pack as at a date shows the reports' own figures for that day and downloads.
Screenshots go to the test artifacts (docs/img/tab-upload-*.png and tab-pack.png are copies)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest

from config import Settings
from reports import build_report, history_since
from store.db.engine import make_engine, make_sessionmaker
from store.queries.tables import load_tables
from tests.browser.tab_harness import run_tab_script, tab_shots
from tests.conftest import TODAY
from tests.web.tab_server import TabServer
from tests.web.workbooks import NEW_REF, edited, exported, quarter_changes

pytestmark = pytest.mark.browser


def _figures(url: str, as_at) -> dict:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        tables = load_tables(s, since=history_since(as_at))
    engine.dispose()
    return build_report(tables, as_at, zone=Settings(database_url=url).zone).figures


def test_governance_uploads_applies_and_builds_the_pack_in_the_tab(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/tab.db"
    shots = tab_shots()
    as_at = TODAY - timedelta(days=45)
    with TabServer(url) as tab:
        workbook, not_workbook = tmp_path / "quarter.xlsx", tmp_path / "notes.xlsx"
        workbook.write_bytes(edited(exported(tab), quarter_changes))
        not_workbook.write_bytes(b"ref,title\nR-1,not a workbook\n")
        args = {"local": tab.base, "workbook": str(workbook), "notWorkbook": str(not_workbook)}
        result = run_tab_script(
            "tab_upload.js", {**args, "newRef": NEW_REF, "asAt": as_at.isoformat(), "shots": str(shots)}, timeout=240
        )
        figures = _figures(url, as_at)

    assert result["errors"] == [], "no script error and no CSP violation"
    assert result["axe"] == [], "axe-core: no serious or critical violation"
    assert "notes.xlsx: 1 problem; nothing was imported" in result["refused"]
    assert "notes.xlsx: not an .xlsx workbook" in result["refused"]
    assert result["summary"] == "quarter.xlsx, nothing stored yet: actions: 1 new, 2 changed; closed: 1 action"
    assert result["counts"] == [["actions", "1", "2"]]
    assert result["closedLine"] == "Closed by this upload: 1 action"
    assert sorted(r[0] for r in result["rows"]) == ["added", "changed", "closed"]
    assert [r[2] for r in result["rows"] if r[0] == "added"] == [NEW_REF]
    assert result["applied"].startswith("Imported quarter.xlsx: actions: 1 new, 2 changed (")
    assert NEW_REF in result["gridAfter"]
    assert result["figures"]["Outstanding actions"] == str(figures["outstanding"]["total"])
    assert result["figures"]["Past their original due date"] == str(figures["overdue"]["total"])
    assert result["figures"]["Delivered this quarter"] == str(figures["delivered"]["total"])
    assert result["figures"]["Open HMICFRS items"] == str(figures["inspections"]["open"])
    assert result["downloaded"] == f"audit-panel-pack-{as_at.isoformat()}.xlsx" and result["downloadedBytes"] > 5000
    assert result["downloadedHtml"] == f"audit-panel-pack-{as_at.isoformat()}.html"
    assert result["exported"] == f"tracker-{TODAY.isoformat()}.xlsx"
    exported_actions = openpyxl.load_workbook(result["exportedPath"])["Actions"]
    assert NEW_REF in {row[0] for row in exported_actions.iter_rows(min_row=2, values_only=True)}
    assert result["tooEarly"].endswith(
        "so every figure would be zero. Choose " + result["tooEarly"].split(" on ")[1][:10] + " or later."
    )
