"""Issue 21 point 3 (decisions awaiting governance, one or in bulk) and 5 (the bot's service and its
words; history naming the person in the tab): GET and POST /api/tab/decisions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Iterator

import pytest
import requests
from sqlalchemy import select

from store.db.engine import make_engine, make_sessionmaker
from store.db.models import Action, DueDateProposal, HistoryEntry, OutboxMessage
from tests.conftest import NOW, TODAY
from tests.web.tab_server import TabServer


def propose(database_url: str, count: int) -> list[tuple[int, str, str]]:
    """Revised dates proposed on `count` open actions: (proposal id, action ref, proposed date)."""
    engine = make_engine(database_url)
    made = []
    with make_sessionmaker(engine).begin() as s:
        actions = s.scalars(select(Action).where(Action.status == "open").order_by(Action.ref).limit(count)).all()
        for n, action in enumerate(actions):
            proposal = DueDateProposal(
                action_id=action.id,
                proposed_date=TODAY + timedelta(days=90 + n),
                delay_reason="Recruitment",
                proposed_by_id=action.owner_id,
                proposed_at=NOW - timedelta(days=1),
                decision="pending",
            )
            s.add(proposal)
            s.flush()
            made.append((proposal.id, action.ref, proposal.proposed_date.isoformat()))
    engine.dispose()
    return made


@pytest.fixture
def tab(database_url: str) -> Iterator[TabServer]:
    with TabServer(database_url) as server:
        yield server


def _post(tab: TabServer, body: Any, person: str = "grace") -> requests.Response:
    headers = {"X-Tab-Person": str(tab.ids[person])}
    return tab.http.post(f"{tab.base}/api/tab/decisions", json=body, headers=headers, timeout=30)


def _rows(database_url: str, query: Any) -> list[Any]:
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as s:
        found = [tuple(r) for r in s.execute(query)]
    engine.dispose()
    return found


def test_governance_sees_what_waits_and_no_one_else_does(tab: TabServer, database_url: str) -> None:
    made = propose(database_url, 2)
    body = tab.get("/api/tab/decisions", person="grace").json()
    assert [(r["proposal_id"], r["ref"], r["proposed"]) for r in body["revised"]] == made
    assert body["closures"], "the demo tracker has implemented actions proposed for closure"
    for person in ("colin", "sam", "olivia"):
        refused = tab.get("/api/tab/decisions", person=person)
        assert refused.status_code == 403
        assert refused.json()["error"] == "Only Strategy & Governance staff decide revised dates and closures."


def test_a_bulk_decision_goes_through_the_bots_service_with_its_words(tab: TabServer, database_url: str) -> None:
    made = propose(database_url, 2)
    closure = tab.get("/api/tab/decisions", person="grace").json()["closures"][0]
    items = [{"kind": "revised", "id": pid} for pid, _ref, _d in made] + [
        {"kind": "closure", "id": closure["action_id"]}
    ]
    response = _post(tab, {"accept": True, "reason": "Agreed at the panel", "items": items})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["decided"], body["refused"]) == (3, 0)
    assert [r["message"] for r in body["results"]] == [
        *(f"{ref}: revised due date {day} accepted" for _pid, ref, day in made),
        f"{closure['ref']}: closure accepted",
    ]
    # the tracker changed: the dates are in force, the closure is closed
    refs = [ref for _p, ref, _d in made]
    dates = dict(_rows(database_url, select(Action.ref, Action.revised_due_date).where(Action.ref.in_(refs))))
    assert {ref: d.isoformat() for ref, d in dates.items()} == {ref: day for _p, ref, day in made}
    assert _rows(database_url, select(Action.status).where(Action.ref == closure["ref"])) == [("closed",)]
    decided = _rows(database_url, select(DueDateProposal.decision, DueDateProposal.decision_reason))
    assert set(decided) == {("accepted", "Agreed at the panel")}
    # the history names Grace, in the tab
    history = _rows(
        database_url,
        select(HistoryEntry.actor, HistoryEntry.channel).where(
            HistoryEntry.entity_ref.in_([*refs, closure["ref"]]), HistoryEntry.at == NOW
        ),
    )
    assert history and set(history) == {("grace.gordon@met.police.example", "tab")}
    # each owner is told, by the bot's outcome message in the outbox
    told = _rows(database_url, select(OutboxMessage.kind, OutboxMessage.status, OutboxMessage.payload))
    assert told and {(k, s) for k, s, _p in told} == {("outcome", "queued")}
    assert sorted(i["ref"] for *_x, p in told for i in p["items"]) == sorted([*refs, closure["ref"]])
    # nothing waits any more; deciding again is refused item by item, in the bot's words
    assert tab.get("/api/tab/decisions", person="grace").json()["revised"] == []
    again = _post(tab, {"accept": False, "reason": "No", "items": items[:1]}).json()
    assert again["results"][0]["message"] == f"{made[0][1]}: already accepted" and again["decided"] == 0


def test_rejecting_needs_a_reason_and_changes_nothing_without_one(tab: TabServer, database_url: str) -> None:
    made = propose(database_url, 1)
    body = _post(tab, {"accept": False, "reason": "  ", "items": [{"kind": "revised", "id": made[0][0]}]}).json()
    # the bot's line word for word: a refusal before the proposal is read names it by its number
    assert body["results"][0]["message"] == f"revised {made[0][0]}: a reason is needed to reject"
    assert _rows(database_url, select(DueDateProposal.decision)) == [("pending",)]
    assert _rows(database_url, select(OutboxMessage.id)) == []


@pytest.mark.parametrize("person", ["colin", "sam", "olivia"])
def test_every_other_role_is_refused_and_nothing_changes(tab: TabServer, database_url: str, person: str) -> None:
    made = propose(database_url, 1)
    response = _post(tab, {"accept": True, "reason": "", "items": [{"kind": "revised", "id": made[0][0]}]}, person)
    assert response.status_code == 403
    assert _rows(database_url, select(DueDateProposal.decision)) == [("pending",)]
    assert _rows(database_url, select(OutboxMessage.id)) == []


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ([], "JSON object"),
        ({"reason": "x", "items": [{"kind": "revised", "id": 1}]}, "accept must be true"),
        ({"accept": True, "items": []}, "select an item first"),
        ({"accept": True, "items": [{"kind": "revised", "id": "1"}]}, "whole number"),
        ({"accept": True, "items": [{"kind": "revised", "id": 1}] * 101}, "at most 100"),
        ({"accept": True, "reason": 7, "items": [{"kind": "revised", "id": 1}]}, "reason must be text"),
    ],
)
def test_a_malformed_request_says_what_to_fix(tab: TabServer, body: Any, words: str) -> None:
    response = _post(tab, body)
    assert response.status_code == 400 and words in response.json()["error"]
