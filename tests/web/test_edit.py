"""Issue 21 point 3 (governance edits) and 5 (same services, history naming who changed it in the tab):
PATCH /api/tab/actions/{ref}, all or nothing, refused for every other role."""

from __future__ import annotations

from typing import Any, Iterator

import pytest
from sqlalchemy import func, select

from store.db.engine import make_engine, make_sessionmaker
from store.db.models import Action, HistoryEntry
from tests.web.tab_server import TabServer


@pytest.fixture
def tab(database_url: str) -> Iterator[TabServer]:
    with TabServer(database_url) as server:
        yield server


def _patch(tab: TabServer, ref: str, body: Any, person: str = "grace"):
    return tab.http.patch(
        f"{tab.base}/api/tab/actions/{ref}", json=body, headers={"X-Tab-Person": str(tab.ids[person])}, timeout=30
    )


def _outstanding_ref(tab: TabServer) -> str:
    rows = tab.get("/api/tab/grid", person="grace", params={"source": "dara", "status": "open"}).json()["rows"]
    return rows[0]["ref"]


def _history(database_url: str, ref: str) -> list[tuple[str, str, str, str | None, str | None]]:
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as s:
        rows = s.execute(
            select(
                HistoryEntry.actor,
                HistoryEntry.channel,
                HistoryEntry.field,
                HistoryEntry.old_value,
                HistoryEntry.new_value,
            )
            .where(HistoryEntry.entity_ref == ref)
            .order_by(HistoryEntry.id)
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def test_governance_edits_its_fields_with_history_naming_them_in_the_tab(tab: TabServer, database_url: str) -> None:
    ref = _outstanding_ref(tab)
    before = tab.get(f"/api/tab/actions/{ref}", person="grace").json()
    audit = next(
        a["id"] for a in tab.get("/api/tab/choices", person="grace").json()["audits"] if a["title"] != before["audit"]
    )
    body = {
        "version": before["version"],
        "title": "  Publish the revised vetting policy  ",
        "risk": "low" if before["risk"] != "low" else "high",
        "audit": audit,
        "due_date": "2027-03-31",
        "revised_due_date": "2027-06-30",
        "owner_email": "sam.spencer@met.police.example",
    }
    response = _patch(tab, ref, body)
    assert response.status_code == 200, response.text
    assert response.json()["message"].startswith(f"Saved {ref}: title, risk, audit, due date, revised due date, owner")
    after = tab.get(f"/api/tab/actions/{ref}", person="grace").json()
    assert after["description"] == "Publish the revised vetting policy" and after["risk"] == body["risk"]
    assert (after["due_date"], after["revised_due_date"], after["owner"]) == ("2027-03-31", "2027-06-30", "Sam Spencer")
    assert after["version"] > before["version"]
    new_rows = _history(database_url, ref)[len(before["history"]) :]
    assert {(actor, channel) for actor, channel, *_ in new_rows} == {("grace.gordon@met.police.example", "tab")}
    assert {field for _a, _c, field, *_ in new_rows} == {
        "description",
        "risk",
        "audit",
        "due_date",
        "revised_due_date",
        "owner_email",
    }
    stale = _patch(tab, ref, {**body, "risk": "medium"})
    assert stale.status_code == 409 and "changed by someone else" in stale.json()["error"]


@pytest.mark.parametrize("person", ["colin", "sam", "olivia"])
def test_every_other_role_is_refused_and_nothing_changes(tab: TabServer, database_url: str, person: str) -> None:
    ref = _outstanding_ref(tab)
    version = tab.get(f"/api/tab/actions/{ref}", person="grace").json()["version"]
    history = _history(database_url, ref)
    refused = _patch(tab, ref, {"version": version, "risk": "low", "title": "Taken over"}, person=person)
    assert refused.status_code == 403 and "Only Strategy & Governance" in refused.json()["error"]
    assert _history(database_url, ref) == history


def test_all_or_nothing_and_bad_input_says_what_to_fix(tab: TabServer, database_url: str) -> None:
    ref = _outstanding_ref(tab)
    page = tab.get(f"/api/tab/actions/{ref}", person="grace").json()
    history = _history(database_url, ref)
    unknown_owner = _patch(tab, ref, {"version": page["version"], "title": "New words", "owner_email": "nobody@x.test"})
    assert unknown_owner.status_code == 422 and "not on the tracker" in unknown_owner.json()["problems"]["owner_email"]
    invalid = _patch(tab, ref, {"version": page["version"], "risk": "severe", "audit": "NO-SUCH", "title": " "})
    assert invalid.status_code == 422
    assert invalid.json()["problems"] == {
        "risk": "Risk must be high, medium or low.",
        "audit": "No audit has that id: choose one from the list.",
        "title": "Give the action a title.",
    }
    for body, words in (
        ({"risk": "low"}, "version"),
        ({"version": page["version"], "due_date": "31/03/2027"}, "due_date must be a date"),
        ({"version": page["version"], "status": "closed"}, "status cannot be edited here"),
        ([1, 2], "JSON object"),
    ):
        response = _patch(tab, ref, body)
        assert response.status_code == 400 and words in response.json()["error"], response.text
    assert _history(database_url, ref) == history
    assert tab.get(f"/api/tab/actions/{ref}", person="grace").json()["description"] == page["description"]
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as s:
        assert s.scalar(select(func.count()).select_from(Action).where(Action.description == "New words")) == 0
    engine.dispose()
