"""Issue 21 point 3 (chief officers and SPOCs: their groups' figures read-only, the bot's charts, a
nudge to non-responders) and "the figures in the tab equal the bot's for the same date"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Iterator

import pytest
import requests
from sqlalchemy import select, update

from cards.answers import count_sentence, summary_facts
from cards.charts import chart_words
from domain.answers import Answer
from domain.question import Question
from store.db.engine import make_engine, make_sessionmaker
from store.db.models import CycleItem, OutboxMessage, Person
from store.people.viewers import viewer_for
from store.queries import answer_question
from tests.conftest import TODAY
from tests.web.tab_server import TabServer
from web.figures import FIGURES

MET = "Met Operations"
FORM = {"scope": "all", "deadline": (TODAY + timedelta(days=14)).isoformat()}


@pytest.fixture
def tab(database_url: str) -> Iterator[TabServer]:
    with TabServer(database_url) as server:
        yield server


def _post(tab: TabServer, path: str, body: Any, person: str) -> requests.Response:
    return tab.http.post(f"{tab.base}{path}", json=body, headers={"X-Tab-Person": str(tab.ids[person])}, timeout=30)


def _bots_answers(database_url: str, person_id: int, group: str | None) -> list[Answer]:
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as s:
        viewer = viewer_for(s, s.get_one(Person, person_id), TODAY)
        found = [
            answer_question(s, viewer, Question(intent=i, text=t, groups=(group,) if group else ()), TODAY)
            for i, t in FIGURES
        ]
    engine.dispose()
    assert all(isinstance(a, Answer) for a in found)
    return found  # type: ignore[return-value]


@pytest.mark.parametrize(("person", "group"), [("colin", None), ("sam", MET), ("grace", None), ("grace", MET)])
def test_the_figures_are_the_bots_for_the_same_day(tab: TabServer, database_url: str, person: str, group: str) -> None:
    body = tab.get("/api/tab/figures", person=person, params={"group": group} if group else None).json()
    answers = _bots_answers(database_url, tab.ids[person], group)
    assert [a["headline"] for a in body["answers"]] == [count_sentence(a)[0] for a in answers]
    assert body["facts"] == [
        {"label": label, "value": str(value)} for label, value in summary_facts(answers[0].figures) if value is not None
    ]
    titles = [c["title"] for a in body["answers"] for c in a["charts"]]
    assert titles == [chart_words(c).title for a in answers for c in a.charts if not c.empty] and titles
    groups = {g["group"] for g in body["by_group"]}
    if person == "grace" and not group:
        assert len(groups) > 1  # the force
    else:
        assert groups == {MET}  # exactly their group: Colin and Sam lead Met Operations only


def test_other_groups_and_owners_are_refused(tab: TabServer) -> None:
    outside = tab.get("/api/tab/figures", person="colin", params={"group": "Frontline Policing"})
    assert outside.status_code == 403
    assert outside.json()["error"] == (
        "Frontline Policing is outside the groups you lead, so I can't show its actions. You can ask about Met Operations."
    )
    assert tab.get("/api/tab/figures", person="olivia").status_code == 403


def test_a_spoc_nudges_their_groups_non_responders_only(tab: TabServer, database_url: str) -> None:
    none_open = _post(tab, "/api/tab/nudge", {}, "sam")
    assert none_open.status_code == 409
    assert none_open.json()["error"] == "There is no open update cycle to send reminders for."
    assert _post(tab, "/api/tab/cycle", FORM, "grace").status_code == 201
    engine = make_engine(database_url)
    with make_sessionmaker(engine).begin() as s:  # the sender delivered the requests
        s.execute(update(OutboxMessage).where(OutboxMessage.kind == "request").values(status="sent"))
        met_owners = set(s.scalars(select(CycleItem.owner_id).where(CycleItem.business_group == MET)))
        everyone = set(s.scalars(select(CycleItem.owner_id)))
    assert met_owners and everyone - met_owners, "the cycle reaches owners outside Met Operations too"
    # the cycle's progress, as the bot shows a chief officer: his group only, though it asks every group
    progress = tab.get("/api/tab/cycle/progress", person="colin").json()
    assert {g["group"] for g in progress["by_group"]} == {MET}
    assert {g["group"] for g in tab.get("/api/tab/figures", person="sam").json()["cycle"]["by_group"]} == {MET}
    assert len(tab.get("/api/tab/cycle/progress", person="grace").json()["by_group"]) > 1

    wrong = _post(tab, "/api/tab/nudge", {"group": "Frontline Policing"}, "sam")
    assert wrong.status_code == 403 and "groups you lead only (Met Operations)" in wrong.json()["error"]
    assert _post(tab, "/api/tab/nudge", {}, "olivia").status_code == 403

    nudged = _post(tab, "/api/tab/nudge", {}, "sam")
    assert nudged.status_code == 200, nudged.text
    with make_sessionmaker(engine)() as s:
        sent = s.execute(select(OutboxMessage.kind, OutboxMessage.person_id).where(OutboxMessage.kind != "request"))
        found = [tuple(r) for r in sent if r[0] != "progress"]
    assert found and {k for k, _p in found} == {"reminder"}  # no digest: Sam reads the digest
    assert {p for _k, p in found} == met_owners
    assert nudged.json()["message"] == f"{len(met_owners)} reminders to owners are on the way."
    # Colin nudges the same group the same day: the owners are not reminded twice
    again = _post(tab, "/api/tab/nudge", {"group": MET}, "colin").json()
    assert again["reminders"] == 0 and "already reminded today" in again["message"]
    engine.dispose()
