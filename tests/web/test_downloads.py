"""Issue 21 point 3 (governance): export the tracker, and build the panel pack as at a date from the tab.
The workbook is the one the command line exports (it imports back), and the pack's figures are the
reports' own for that day, the same the command line's `report --json` prints."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from typing import Iterator

import openpyxl
import pytest

from config import Settings
from reports import build_report, history_since
from store.db.engine import make_engine, make_sessionmaker
from store.queries.tables import load_tables
from tests.conftest import TODAY
from tests.web.tab_server import TabServer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROUTES = ("/api/tab/export", "/api/tab/pack", "/api/tab/pack.xlsx", "/api/tab/pack.html")


@pytest.fixture
def tab(database_url: str) -> Iterator[TabServer]:
    with TabServer(database_url) as server:
        yield server


def _figures(url: str, as_at: date) -> dict:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        tables = load_tables(s, since=history_since(as_at))
    engine.dispose()
    report = build_report(tables, as_at, zone=Settings(database_url=url).zone)
    return json.loads(json.dumps(report.figures))


def test_export_is_the_tracker_workbook(tab: TabServer) -> None:
    response = tab.http.get(f"{tab.base}/api/tab/export", headers={"X-Tab-Person": str(tab.ids["grace"])}, timeout=60)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == XLSX
    assert response.headers["Content-Disposition"] == f'attachment; filename="tracker-{TODAY.isoformat()}.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:5] == ["People", "Audits", "Actions", "Inspections", "Lists"]
    grid = tab.get("/api/tab/grid", person="grace", params={"source": "dara", "page_size": "1"}).json()
    assert book["Actions"].max_row - 1 == grid["total"]


@pytest.mark.parametrize("days_back", [0, 60])
def test_pack_figures_are_the_reports_figures_for_the_date(tab: TabServer, database_url: str, days_back: int) -> None:
    as_at = TODAY - timedelta(days=days_back)
    response = tab.get("/api/tab/pack", person="grace", params={"as_at": as_at.isoformat()})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["figures"] == _figures(database_url, as_at)
    assert body["as_at"] == as_at.isoformat() and body["workbook"] == f"audit-panel-pack-{as_at.isoformat()}.xlsx"
    assert body["sentences"]["outstanding"]


def test_pack_without_a_date_is_today(tab: TabServer, database_url: str) -> None:
    assert tab.get("/api/tab/pack", person="grace").json()["figures"] == _figures(database_url, TODAY)


def test_pack_downloads_open_and_carry_the_date(tab: TabServer) -> None:
    as_at = (TODAY - timedelta(days=30)).isoformat()
    xlsx = tab.get("/api/tab/pack.xlsx", person="grace", params={"as_at": as_at})
    assert xlsx.status_code == 200 and xlsx.headers["Content-Type"] == XLSX
    assert f'filename="audit-panel-pack-{as_at}.xlsx"' in xlsx.headers["Content-Disposition"]
    assert "Outstanding by group" in openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames
    html = tab.get("/api/tab/pack.html", person="grace", params={"as_at": as_at})
    assert html.status_code == 200 and html.headers["Content-Type"].startswith("text/html")
    assert html.headers["Content-Disposition"] == f'attachment; filename="audit-panel-pack-{as_at}.html"'
    assert "default-src 'none'" in html.headers["Content-Security-Policy"]
    assert "<h1>Audit &amp; Inspection report</h1>" in html.text
    assert 'src="data:image/png;base64,' in html.text and '.png"' not in html.text  # one file: charts inside


def test_a_date_before_the_first_recorded_change_is_refused_with_the_command_lines_words(tab: TabServer) -> None:
    for route in ROUTES[1:]:
        response = tab.get(route, person="grace", params={"as_at": "2001-01-01"})
        assert response.status_code == 400, route
        error = response.json()["error"]
        assert error.startswith("Nothing had been recorded by 2001-01-01: the tracker's first recorded change is on ")
        assert error.endswith("so every figure would be zero. Choose " + error.split(" on ")[1][:10] + " or later.")


@pytest.mark.parametrize("as_at", ["2026-13-01", "yesterday", (TODAY + timedelta(days=1)).isoformat()])
def test_a_bad_or_future_date_is_a_400_naming_what_to_fix(tab: TabServer, as_at: str) -> None:
    response = tab.get("/api/tab/pack", person="grace", params={"as_at": as_at})
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.json()["error"] or "choose 2026-11-26 or earlier" in response.json()["error"]


@pytest.mark.parametrize("person", ["colin", "sam", "olivia"])
def test_only_governance_exports_or_builds_the_pack(tab: TabServer, person: str) -> None:
    for route in ROUTES:
        response = tab.get(route, person=person)
        assert response.status_code == 403, route
        assert "Strategy & Governance" in response.json()["error"]
        assert tab.get(route).status_code == 401
