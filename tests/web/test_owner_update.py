"""Issue 21 point 3 (owners: their actions, with the same update form and rules as the card) and 5
(the card's pipeline and words; a history row naming who made it in the tab)."""

from __future__ import annotations

from typing import Any, Iterator

import pytest
import requests
from sqlalchemy import select

from store.db.engine import make_engine, make_sessionmaker
from store.db.models import Action, DueDateProposal, HistoryEntry, InspectionItem, Person
from tests.conftest import TODAY
from tests.web.tab_server import TabServer

OLIVIA = "olivia.owen@met.police.example"


@pytest.fixture
def tab(database_url: str) -> Iterator[TabServer]:
    with TabServer(database_url) as server:
        yield server


def _post(tab: TabServer, ref: str, body: Any, person: str = "olivia") -> requests.Response:
    return tab.http.post(
        f"{tab.base}/api/tab/actions/{ref}/update",
        json=body,
        headers={"X-Tab-Person": str(tab.ids[person])},
        timeout=30,
    )


def _refs(database_url: str, *, owner: str, overdue: bool | None = None) -> list[str]:
    """Outstanding actions of ``owner`` (by e-mail), or of anyone else with ``owner`` prefixed by '!'."""
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as s:
        query = (
            select(Action.ref)
            .join(Person, Person.id == Action.owner_id)
            .where(Action.status.in_(("open", "in progress")))
        )
        query = query.where(Person.email != owner[1:]) if owner.startswith("!") else query.where(Person.email == owner)
        refs = [r for (r,) in s.execute(query.order_by(Action.ref))]
        if overdue is not None:
            due = dict(s.execute(select(Action.ref, Action.due_date).where(Action.ref.in_(refs))).tuples().all())
            refs = [r for r in refs if (due[r] < TODAY) == overdue]
    engine.dispose()
    return refs


def _stored(database_url: str, ref: str) -> dict[str, Any]:
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as s:
        action = s.scalars(select(Action).where(Action.ref == ref)).one()
        found = {
            "status": action.status,
            "delay_reason": action.delay_reason,
            "note": action.last_update_note,
            "version": action.version,
            "history": [
                tuple(h)
                for h in s.execute(
                    select(HistoryEntry.field, HistoryEntry.new_value, HistoryEntry.actor, HistoryEntry.channel)
                    .where(HistoryEntry.entity_ref == ref, HistoryEntry.channel == "tab")
                    .order_by(HistoryEntry.id)
                )
            ],
            "proposals": [
                (p.proposed_date.isoformat(), p.decision)
                for p in s.scalars(select(DueDateProposal).where(DueDateProposal.action_id == action.id))
            ],
        }
    engine.dispose()
    return found


def test_the_owner_sees_the_cards_form(tab: TabServer, database_url: str) -> None:
    ref = _refs(database_url, owner=OLIVIA)[0]
    form = tab.get(f"/api/tab/actions/{ref}/update", person="olivia").json()
    assert [s["title"] for s in form["statuses"]] == ["Open", "In progress", "Implemented (propose for closure)"]
    assert form["delay_reasons"][0] == {"value": "(no delay)", "title": "No delay (back on track)"}
    assert {"value": "Resource challenges", "title": "Resource challenges"} in form["delay_reasons"]
    assert form["version"] == _stored(database_url, ref)["version"]


def test_the_owner_updates_status_with_a_delay_reason_and_a_revised_date(tab: TabServer, database_url: str) -> None:
    ref = _refs(database_url, owner=OLIVIA, overdue=True)[0]
    before = _stored(database_url, ref)
    body = {
        "version": before["version"],
        "status": "in progress",
        "progress_note": "Contract drafted; waiting for legal review",
        "delay_reason": "Resource challenges",
        "revised_date": "2027-06-30",
    }
    response = _post(tab, ref, body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["message"] == "Saved. Revised date 30 Jun 2027 proposed — awaiting Strategy & Governance."
    assert answer["next"].startswith("Your revised date of 30 Jun 2027 goes to Strategy & Governance for a decision")
    after = _stored(database_url, ref)
    assert (after["status"], after["delay_reason"], after["note"]) == (
        "in progress",
        "Resource challenges",
        "Contract drafted; waiting for legal review",
    )
    assert after["version"] == before["version"] + 1 == answer["version"]
    assert after["proposals"] == [("2027-06-30", "pending")]
    fields = {field for field, *_ in after["history"]}
    assert {"status", "last_update_note", "delay_reason", "proposed_date"} <= fields
    assert {(actor, channel) for _f, _n, actor, channel in after["history"]} == {(OLIVIA, "tab")}


def test_the_cards_rules_and_words_come_back_beside_each_field(tab: TabServer, database_url: str) -> None:
    ref = _refs(database_url, owner=OLIVIA, overdue=True)[0]
    before = _stored(database_url, ref)
    back_on_track = _post(
        tab, ref, {"version": before["version"], "status": "in progress", "delay_reason": "(no delay)"}
    )
    assert back_on_track.status_code == 422, back_on_track.text
    assert back_on_track.json()["error"] == "Not saved yet: please fix the fields marked below."
    assert back_on_track.json()["problems"] == {
        "delay_reason": (
            "This action is past its original due date, so it keeps a delay reason: "
            "choose the reason that applies (or mark it implemented when it is done)."
        )
    }
    done = _post(tab, ref, {"version": before["version"], "status": "implemented"})
    assert done.json()["problems"] == {
        "evidence_note": "Evidence is required when marking an action implemented: add a note, a link, or both."
    }
    closed = _post(tab, ref, {"version": before["version"], "status": "closed"})
    assert closed.json()["problems"]["status"].startswith("Choose open, in progress or implemented.")
    assert _stored(database_url, ref) == before


def test_a_stale_version_is_refused_with_the_cards_words(tab: TabServer, database_url: str) -> None:
    ref = _refs(database_url, owner=OLIVIA)[0]
    before = _stored(database_url, ref)
    response = _post(tab, ref, {"version": before["version"] - 1, "progress_note": "Still going"})
    assert response.status_code == 409
    assert response.json()["error"].startswith(f"Not saved: {ref} was changed after this card was sent.")
    assert _stored(database_url, ref) == before


def test_an_owner_may_update_only_their_own_actions(tab: TabServer, database_url: str) -> None:
    """Another owner's action is not in Olivia's scope: the same 404 as an unknown one, nothing saved."""
    other = _refs(database_url, owner=f"!{OLIVIA}")[0]
    before = _stored(database_url, other)
    response = _post(tab, other, {"version": before["version"], "progress_note": "Not mine"})
    assert (response.status_code, response.json()["error"]) == (
        404,
        "No such action in what you may see: check the reference.",
    )
    assert tab.get(f"/api/tab/actions/{other}/update", person="olivia").status_code == 404
    assert _stored(database_url, other) == before


def test_a_chief_officer_who_sees_an_action_may_not_update_it(tab: TabServer, database_url: str) -> None:
    """Colin leads the group and sees the action, read-only: the pipeline refuses with the card's words."""
    ref = _refs(database_url, owner=OLIVIA)[0]
    assert tab.get(f"/api/tab/actions/{ref}", person="colin").status_code == 200
    before = _stored(database_url, ref)
    response = _post(tab, ref, {"version": before["version"], "progress_note": "Chasing"}, person="colin")
    assert response.status_code == 403
    assert response.json()["error"].startswith(f"You can't update {ref}: only its owner, a delegate they have named")
    assert tab.get(f"/api/tab/actions/{ref}/update", person="colin").status_code == 403
    assert _stored(database_url, ref) == before


@pytest.mark.parametrize(
    "body, words",
    [
        ({"status": "open"}, "version (the action's version when you opened it) is required"),
        ({"version": 1, "owner_email": "x@y.z"}, "owner_email is not part of an update; send status, progress_note, "),
        ({"version": 1, "status": 3}, "each field of an update is text"),
    ],
)
def test_a_malformed_update_is_a_400(tab: TabServer, database_url: str, body: Any, words: str) -> None:
    ref = _refs(database_url, owner=OLIVIA)[0]
    response = _post(tab, ref, body)
    assert response.status_code == 400
    assert response.json()["error"].startswith(words)


def _item(database_url: str, ref: str) -> tuple[Any, ...]:
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as s:
        item = s.scalars(select(InspectionItem).where(InspectionItem.ref == ref)).one()
        rows = s.execute(
            select(HistoryEntry.field, HistoryEntry.actor, HistoryEntry.channel).where(
                HistoryEntry.entity_ref == ref, HistoryEntry.channel == "tab"
            )
        ).all()
        found = (item.status, item.evidence_note, item.version, sorted(tuple(r) for r in rows))
    engine.dispose()
    return found


def test_the_owner_submits_an_inspection_item_for_closure_as_on_the_card(tab: TabServer, database_url: str) -> None:
    holding = tab.get("/api/tab/items/HMI-2013-002/update", person="olivia").json()
    assert [s["value"] for s in holding["statuses"]] == ["open", "submitted for closure", "holding"]
    form = tab.get("/api/tab/items/HMI-2017-026/update", person="olivia").json()
    assert [s["title"] for s in form["statuses"]] == ["Open", "Submitted for closure"]
    url = f"{tab.base}/api/tab/items/HMI-2017-026/update"
    headers = {"X-Tab-Person": str(tab.ids["olivia"])}
    body = {"version": form["version"], "status": "submitted for closure"}
    refused = tab.http.post(url, json=body, headers=headers, timeout=30)
    assert refused.status_code == 422
    assert refused.json()["problems"] == {
        "evidence_note": "Evidence is required when submitting an item for closure: add a note, a link, or both."
    }
    body["evidence_note"] = "Policy published on the intranet"
    saved = tab.http.post(url, json=body, headers=headers, timeout=30)
    assert saved.status_code == 200, saved.text
    assert saved.json()["message"] == "Saved. Submitted for closure — awaiting Strategy & Governance."
    status, note, version, history = _item(database_url, "HMI-2017-026")
    assert (status, note, version) == ("submitted for closure", "Policy published on the intranet", form["version"] + 1)
    assert {(actor, channel) for _f, actor, channel in history} == {(OLIVIA, "tab")}
    assert {"status", "evidence_note"} <= {f for f, _a, _c in history}
    other = tab.http.post(url, json=body, headers={"X-Tab-Person": str(tab.ids["grace"])}, timeout=30)
    assert other.status_code == 409  # a stale version now, whoever sends it
    assert tab.get("/api/tab/items/HMI-2017-026/update", person="colin").status_code == 403
