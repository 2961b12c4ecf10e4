"""store/updates/edits.edit_action refuses everyone but governance (and the operator) itself, so a
caller that forgets to ask (the tab, a later command) cannot change an action's own fields."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from domain.permissions import operator_viewer
from store.db.engine import make_engine, make_sessionmaker
from store.db.models import Action, HistoryEntry, Person
from store.history import ChangeContext
from store.people.viewers import viewer_for
from store.updates.edits import (
    EDITED,
    INVALID,
    KEEP,
    NOT_FOUND,
    NOT_PERMITTED,
    STALE,
    UNCHANGED,
    ActionEdit,
    edit_action,
)
from tests.conftest import NOW, TODAY
from tests.web.tab_server import demo_tracker

CTX = ChangeContext(actor="tester@example.test", channel="tab", at=NOW)
EDIT = ActionEdit(title="Rewritten", risk="low", due_date=date(2027, 5, 1), revised_due_date=None)


@pytest.fixture
def sessions(sqlite_url: str):
    demo_tracker(sqlite_url)
    engine = make_engine(sqlite_url)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        ("grace.gordon@met.police.example", True),
        ("colin.chambers@met.police.example", False),
        ("sam.spencer@met.police.example", False),
        ("olivia.owen@met.police.example", False),
    ],
)
def test_only_governance_may_edit(sessions, email: str, allowed: bool) -> None:
    with sessions() as session:
        person = session.scalar(select(Person).where(Person.email == email))
        viewer = viewer_for(session, person, TODAY)
        unrevised = select(Action).where(Action.revised_due_date.is_(None), Action.risk != "low").order_by(Action.ref)
        # an owner's own action: owning it gives no right to change what governance owns
        action = session.scalar(unrevised.where(Action.owner_id == person.id)) or session.scalar(unrevised)
        before = session.scalar(select(func.count()).select_from(HistoryEntry))
        result = edit_action(session, viewer, action.ref, EDIT, version=action.version, ctx=CTX)
        assert result.outcome == (EDITED if allowed else NOT_PERMITTED)
        added = session.scalar(select(func.count()).select_from(HistoryEntry)) - before
        assert added == (3 if allowed else 0)  # title, risk and due date; the revised date was already empty
        session.rollback()


def test_the_operator_may_edit_and_every_refusal_changes_nothing(sessions) -> None:
    with sessions() as session:
        action = session.scalar(
            select(Action).where(Action.revised_due_date.is_(None), Action.risk != "low").order_by(Action.ref)
        )
        operator = operator_viewer("ops@example.test")
        assert edit_action(session, operator, "NOPE", EDIT, version=1, ctx=CTX).outcome == NOT_FOUND
        assert edit_action(session, operator, action.ref, EDIT, version=action.version + 1, ctx=CTX).outcome == STALE
        bad = edit_action(
            session, operator, action.ref, ActionEdit(risk="severe", audit="NOPE"), version=action.version, ctx=CTX
        )
        assert (bad.outcome, bad.problems) == (INVALID, {"risk": "unknown_risk", "audit": "unknown_audit"})
        same = ActionEdit(title=action.description, risk=action.risk, audit=KEEP)
        assert edit_action(session, operator, action.ref, same, version=action.version, ctx=CTX).outcome == UNCHANGED
        assert (
            session.scalar(select(func.count()).select_from(HistoryEntry).where(HistoryEntry.actor == CTX.actor)) == 0
        )
        done = edit_action(session, operator, action.ref, EDIT, version=action.version, ctx=CTX)
        assert done.outcome == EDITED and done.changed == ("description", "risk", "due_date")
        session.rollback()
