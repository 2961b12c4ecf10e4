"""Issue 21 point 3: the governance grid over HTTP in local mode: filters, sort, paging, an action's
page with its full history, and bad input answered with what to fix."""

from __future__ import annotations

from datetime import timedelta
from typing import Iterator

import pytest

from store.db.engine import make_engine, make_sessionmaker
from store.history import Change, ChangeContext, record
from tests.conftest import NOW
from tests.web.tab_server import TabServer


@pytest.fixture
def tab(database_url: str) -> Iterator[TabServer]:
    with TabServer(database_url) as server:
        yield server


def _all_rows(tab: TabServer, person: str, **params: str) -> list[dict]:
    rows: list[dict] = []
    page = 0
    while True:
        body = tab.get("/api/tab/grid", person=person, params={**params, "page": page, "page_size": 100}).json()
        rows += body["rows"]
        if len(rows) >= body["total"] or not body["rows"]:
            return rows
        page += 1


def test_governance_sees_the_whole_tracker_both_sources(tab: TabServer) -> None:
    body = tab.get("/api/tab/grid", person="grace").json()
    rows = _all_rows(tab, "grace")
    assert len(rows) == body["total"] > 100
    assert {r["source"] for r in rows} == {"dara", "hmicfrs"}
    assert len({(r["kind"], r["ref"]) for r in rows}) == len(rows), "paging repeats no row"
    groups = tab.get("/api/tab/choices", person="grace").json()["groups"]
    assert len(groups) > 3 and {r["group"] for r in rows if r["group"]} <= set(groups)


def test_filters_narrow_and_agree_with_each_row(tab: TabServer) -> None:
    rows = _all_rows(tab, "grace", group="Met Operations", risk="high", status="open")
    assert rows and all(
        r["group"] == "Met Operations" and r["risk"] == "high" and r["status"] == "open" and r["source"] == "dara"
        for r in rows
    )
    overdue = _all_rows(tab, "grace", overdue="1")
    assert overdue and all(r["overdue"] and r["days_overdue"] > 0 and r["kind"] == "action" for r in overdue)
    items = _all_rows(tab, "grace", source="hmicfrs")
    assert items and all(r["kind"] == "inspection" and r["risk"] is None for r in items)
    window = _all_rows(tab, "grace", due_from="2026-12-01", due_to="2027-03-31")
    assert window and all("2026-12-01" <= r["due"] <= "2027-03-31" for r in window)
    owner = rows[0]["owner_id"]
    assert all(r["owner_id"] == owner for r in _all_rows(tab, "grace", owner=str(owner)))
    audit = tab.get("/api/tab/choices", person="grace").json()["audits"][0]
    by_audit = _all_rows(tab, "grace", audit=audit["id"])
    assert by_audit and all(r["audit"] == audit["title"] for r in by_audit)
    word = rows[0]["ref"].lower()
    assert any(r["ref"] == rows[0]["ref"] for r in _all_rows(tab, "grace", q=word.upper()))


def test_sorting_and_paging(tab: TabServer) -> None:
    first = tab.get("/api/tab/grid", person="grace", params={"sort": "due", "page_size": 10}).json()
    second = tab.get("/api/tab/grid", person="grace", params={"sort": "due", "page_size": 10, "page": 1}).json()
    dues = [r["due"] for r in first["rows"] + second["rows"] if r["due"]]
    assert dues == sorted(dues) and len(first["rows"]) == 10
    assert not {r["ref"] for r in first["rows"]} & {r["ref"] for r in second["rows"]}
    newest = tab.get("/api/tab/grid", person="grace", params={"sort": "due", "dir": "desc"}).json()["rows"]
    assert newest[0]["due"] >= newest[-1]["due"]
    risks = [r["risk"] for r in tab.get("/api/tab/grid", person="grace", params={"sort": "risk"}).json()["rows"]]
    assert risks[0] == "high"


def _add_history(database_url: str, ref: str, n: int) -> None:
    engine = make_engine(database_url)
    with make_sessionmaker(engine).begin() as session:
        for i in range(n):
            at = NOW - timedelta(days=n - i)
            record(
                session,
                ChangeContext("grace.gordon@met.police.example", "teams", at),
                "action",
                ref,
                [Change("delay_reason", f"r{i}", f"r{i + 1}")],
            )
    engine.dispose()


def test_an_action_page_has_its_full_history(tab: TabServer, database_url: str) -> None:
    ref = _all_rows(tab, "grace", source="dara")[0]["ref"]
    before = len(tab.get(f"/api/tab/actions/{ref}", person="grace").json()["history"])
    _add_history(database_url, ref, 12)
    page = tab.get(f"/api/tab/actions/{ref}", person="grace").json()
    assert len(page["history"]) == before + 12 > 8, "all of it, more than the bot's card shows"
    assert page["history"][0] == {
        "at": (NOW - timedelta(days=1)).date().isoformat(),
        "actor": "grace.gordon@met.police.example",
        "field": "delay_reason",
        "old": "r11",
        "new": "r12",
    }
    assert page["owner"] and page["group"] and page["description"]
    item = _all_rows(tab, "grace", source="hmicfrs")[0]
    assert tab.get(f"/api/tab/items/{item['ref']}", person="grace").json()["ref"] == item["ref"]
    missing = tab.get("/api/tab/actions/NO-SUCH-REF", person="grace")
    assert missing.status_code == 404 and "check the reference" in missing.json()["error"]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"status": "finished"}, "status 'finished' is not one of"),
        ({"due_from": "31/12/2026"}, "due_from must be a date as YYYY-MM-DD"),
        ({"page_size": "1000"}, "page_size must be a whole number from 1 to 100"),
        ({"sort": "colour"}, "sort must be one of"),
        ({"source": "police"}, "source must be dara or hmicfrs"),
        ({"due_from": "2027-01-01", "due_to": "2026-01-01"}, "due_from is after due_to"),
        ({"q": "x" * 201}, "longer than 200 characters"),
    ],
)
def test_bad_filters_say_what_to_fix(database_url: str, params: dict, words: str) -> None:
    if "postgresql" in database_url:
        pytest.skip("parsing happens before the database: SQLite is enough")
    with TabServer(database_url) as tab:
        response = tab.get("/api/tab/grid", person="grace", params=params)
    assert response.status_code == 400 and words in response.json()["error"]


def test_local_mode_lists_demo_people_and_needs_one_picked(tab: TabServer) -> None:
    assert tab.get("/api/tab/config").json() == {"localMode": True, "appId": None}
    people = tab.get("/api/tab/local/people").json()["people"]
    assert {"Grace Gordon", "Colin Chambers", "Sam Spencer", "Olivia Owen"} <= {p["name"] for p in people}
    refused = tab.get("/api/tab/grid")
    assert refused.status_code == 401 and refused.json()["code"] == "pick_person"
    me = tab.get("/api/tab/me", person="colin").json()
    assert me["roles"] == ["chief_officer"] and me["leads"] == [{"role": "chief_officer", "group": "Met Operations"}]
