"""Issue 21 point 3 (governance starts an update cycle with the bot's scope and preview, watches its
progress and reminds) and 5 (the same store services and words): /api/tab/cycle/*."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Iterator

import pytest
import requests
from sqlalchemy import select, update

from cards.cycle_wording import remind_words
from domain.cycles import CycleScope
from store.cycles.lifecycle import preview
from store.cycles.reminders import RemindResult
from store.cycles.status import cycle_status
from store.db.engine import make_engine, make_sessionmaker
from store.db.models import CycleItem, OutboxMessage, UpdateCycle
from tests.conftest import NOW, TODAY
from tests.web.tab_server import TabServer

DEADLINE = (TODAY + timedelta(days=14)).isoformat()
FORM = {"scope": "group", "group": "Met Operations", "deadline": DEADLINE, "message": "Before the panel, please."}


@pytest.fixture
def tab(database_url: str) -> Iterator[TabServer]:
    with TabServer(database_url) as server:
        yield server


def _post(tab: TabServer, path: str, body: Any, person: str = "grace") -> requests.Response:
    headers = {"X-Tab-Person": str(tab.ids[person])}
    return tab.http.post(f"{tab.base}{path}", json=body, headers=headers, timeout=30)


def _session(database_url: str) -> Any:
    return make_sessionmaker(make_engine(database_url))


def test_the_preview_is_the_bots_and_says_what_to_fix(tab: TabServer, database_url: str) -> None:
    body = tab.get("/api/tab/cycle/preview", person="grace", params=FORM).json()
    with _session(database_url)() as s:
        expected = preview(s, CycleScope("group", group="Met Operations"), TODAY)
    assert (body["owners"], body["actions"], body["unreachable"]) == (
        expected.owners,
        expected.actions,
        list(expected.unreachable),
    )
    assert body["scope_words"] == "outstanding monitored actions in Met Operations" and body["reminder_dates"]
    bad = tab.get(
        "/api/tab/cycle/preview",
        person="grace",
        params={"scope": "group", "group": "Nowhere", "deadline": "2020-01-01", "reminders": "soon"},
    )
    assert bad.status_code == 422
    problems = bad.json()["problems"]
    assert problems["deadline"] == "The deadline 2020-01-01 is in the past: choose today or a later date."
    assert problems["reminders"].startswith("Reminder days 'soon' should be whole numbers")
    unknown = tab.get("/api/tab/cycle/preview", person="grace", params={**FORM, "group": "Nowhere"})
    assert unknown.status_code == 422 and unknown.json()["problems"]["group"].startswith(
        "Unknown business group 'Nowhere': choose one of"
    )
    for person in ("colin", "sam", "olivia"):
        assert tab.get("/api/tab/cycle/preview", person=person, params=FORM).status_code == 403
        assert tab.get("/api/tab/cycle/form", person=person).status_code == 403


def test_starting_queues_the_bots_messages_and_progress_follows_answers(tab: TabServer, database_url: str) -> None:
    form = tab.get("/api/tab/cycle/form", person="grace").json()
    assert "Met Operations" in form["groups"] and form["deadline"] == DEADLINE and form["reminders"] == "7,2,0"
    assert tab.get("/api/tab/cycle/progress", person="grace").json() == {
        "cycle": None,
        "message": "No update cycle has been opened yet.",
    }
    for person in ("colin", "sam", "olivia"):
        assert _post(tab, "/api/tab/cycle", FORM, person).status_code == 403
    with _session(database_url)() as s:
        assert s.scalars(select(UpdateCycle)).all() == []

    started = _post(tab, "/api/tab/cycle", FORM)
    assert started.status_code == 201, started.text
    body = started.json()
    with _session(database_url)() as s:
        cycle = s.scalars(select(UpdateCycle)).one()
        assert (cycle.opened_by, cycle.message, cycle.deadline.isoformat()) == (
            "grace.gordon@met.police.example",
            "Before the panel, please.",
            DEADLINE,
        )
        messages = s.execute(select(OutboxMessage.kind, OutboxMessage.person_id, OutboxMessage.dedupe_key)).all()
        owners = {o for (o,) in s.execute(select(CycleItem.owner_id).where(CycleItem.cycle_id == cycle.id))}
    requests_ = {(p, k) for kind, p, k in messages if kind == "request"}
    assert requests_ == {(o, f"cycle:{cycle.id}:request:{o}") for o in owners}  # one per owner, the bot's keys
    assert [(p) for kind, p, _k in messages if kind == "progress"] == [tab.ids["grace"]]  # her live card in Teams
    assert body["owners"] == len(owners) and body["queued"] + body["not_installed"] == len(owners)

    again = _post(tab, "/api/tab/cycle", FORM)
    assert again.status_code == 409 and again.json()["error"].startswith(f"Update cycle {cycle.id} (deadline")

    progress = tab.get("/api/tab/cycle/progress", person="grace").json()
    assert progress["response_rate"] == {"asked": progress["response_rate"]["asked"], "responded": 0, "pct": 0}
    # an owner answers (the owner-update service marks the cycle item): the progress follows
    with _session(database_url).begin() as s:
        item = s.scalars(select(CycleItem).order_by(CycleItem.id).limit(1)).one()
        item.responded_at = NOW
    after = tab.get("/api/tab/cycle/progress", person="grace").json()
    with _session(database_url)() as s:
        assert after == {**cycle_status(s).as_json(), "scope_words": progress["scope_words"], "manage": True}
    assert after["response_rate"]["responded"] == 1
    # a chief officer sees his groups only, as on his progress card in the bot; an owner nothing
    colin = tab.get("/api/tab/cycle/progress", person="colin").json()
    assert {g["group"] for g in colin["by_group"]} == {"Met Operations"} and colin["manage"] is False
    assert tab.get("/api/tab/cycle/progress", person="olivia").status_code == 403


def test_remind_queues_the_bots_reminders_and_says_so_in_its_words(tab: TabServer, database_url: str) -> None:
    assert _post(tab, "/api/tab/cycle/remind", {}).json()["error"] == (
        "There is no open update cycle to send reminders for."
    )
    assert _post(tab, "/api/tab/cycle", FORM).status_code == 201
    with _session(database_url).begin() as s:  # the sender delivered the requests
        s.execute(update(OutboxMessage).where(OutboxMessage.kind == "request").values(status="sent", sent_at=NOW))
    for person in ("colin", "sam", "olivia"):
        assert _post(tab, "/api/tab/cycle/remind", {}, person).status_code == 403
    response = _post(tab, "/api/tab/cycle/remind", {})
    assert response.status_code == 200, response.text
    with _session(database_url)() as s:
        kinds = [k for (k,) in s.execute(select(OutboxMessage.kind))]
    result = RemindResult(1, kinds.count("reminder"), 0, kinds.count("digest"), 0, 0, 0)
    assert result.reminders > 0 and result.digests > 0
    assert response.json()["message"] == remind_words(result)
