"""Issue 21: governance adds a new audit with its actions, and new HMICFRS items, through one store
service that refuses everyone else with a code and adds all of it or nothing, with the import's rules."""

from __future__ import annotations

from datetime import date
from typing import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from domain.import_problems import ImportCode
from domain.permissions import Viewer
from store.db.models import Action, Audit, HistoryEntry, InspectionItem, Person
from store.db.setup import ensure_default_lists
from store.demo.builder import load_demo
from store.history import ChangeContext
from store.people.viewers import viewer_for
from store.updates.creation import CREATED, INVALID, NOT_PERMITTED, add_audit, add_inspection_items
from tests.conftest import NOW, TODAY
from tests.new_audit import AUDIT, GRACE, OLIVIA, new_action

CTX = ChangeContext(GRACE, "tab", NOW)


@pytest.fixture
def demo(sessions: sessionmaker) -> sessionmaker:
    with sessions.begin() as s:
        ensure_default_lists(s)
        load_demo(s, TODAY, NOW)
    return sessions


@pytest.fixture
def s(demo: sessionmaker) -> Iterator[Session]:
    with demo() as session:
        yield session
        session.rollback()


def _viewer(s: Session, email: str) -> Viewer:
    return viewer_for(s, s.scalars(select(Person).where(Person.email == email)).one(), TODAY)


def _counts(s: Session) -> tuple[int, ...]:
    return tuple(
        s.scalar(select(func.count()).select_from(m)) or 0 for m in (Audit, Action, InspectionItem, HistoryEntry)
    )


def test_governance_adds_an_audit_with_its_actions_and_history_naming_them(s: Session) -> None:
    result = add_audit(
        s, _viewer(s, GRACE), AUDIT, [new_action(), new_action(ref="CH-2", risk="medium")], ctx=CTX, today=TODAY
    )
    assert (result.outcome, result.refs) == (CREATED, ("DARA-2026-31", "DARA-2026-31-001", "CH-2"))
    audit = s.scalars(select(Audit).where(Audit.audit_id == "DARA-2026-31")).one()
    assert (audit.title, audit.received, audit.assurance, audit.restricted) == (
        "Custody healthcare",
        "2026/27 Q3",
        "limited",
        False,
    )
    actions = s.scalars(select(Action).where(Action.audit_id == audit.id).order_by(Action.ref)).all()
    assert [(a.ref, a.status, a.risk, a.owner.email, a.due_date) for a in actions] == [
        ("CH-2", "open", "medium", OLIVIA, date(2027, 3, 31)),
        ("DARA-2026-31-001", "open", "high", OLIVIA, date(2027, 3, 31)),
    ]
    history = s.execute(
        select(
            HistoryEntry.entity, HistoryEntry.entity_ref, HistoryEntry.field, HistoryEntry.actor, HistoryEntry.channel
        )
        .where(HistoryEntry.entity_ref.in_(result.refs))
        .order_by(HistoryEntry.id)
    ).all()
    assert [tuple(h) for h in history] == [
        ("audit", "DARA-2026-31", "_created", GRACE, "tab"),
        ("action", "DARA-2026-31-001", "_created", GRACE, "tab"),
        ("action", "CH-2", "_created", GRACE, "tab"),
    ]


@pytest.mark.parametrize("email", ["colin.chambers@met.police.example", "sam.spencer@met.police.example", OLIVIA])
def test_every_other_role_is_refused_and_nothing_is_written(s: Session, email: str) -> None:
    before = _counts(s)
    viewer = _viewer(s, email)
    assert not viewer.is_governance
    assert add_audit(s, viewer, AUDIT, [new_action()], ctx=CTX, today=TODAY).outcome == NOT_PERMITTED
    item = {"ref": "HMI-2026-900", "inspection": "PEEL", "inspection_year": "2026/27", "scope": "force", "kind": "rec"}
    assert add_inspection_items(s, viewer, [item], ctx=CTX, today=TODAY).outcome == NOT_PERMITTED
    s.flush()
    assert _counts(s) == before


def test_one_bad_row_adds_nothing_and_every_problem_is_named(s: Session) -> None:
    before = _counts(s)
    taken = s.scalar(select(Action.ref).limit(1))
    rows = [
        new_action(),
        new_action(owner_email="nobody@met.police.example", due_date="31/03/2027", risk="very high"),
        new_action(ref=taken, business_group="Narnia"),
        new_action(description="", colour="red"),
    ]
    result = add_audit(s, _viewer(s, GRACE), dict(AUDIT, received="2026/28 Q1"), rows, ctx=CTX, today=TODAY)
    assert result.outcome == INVALID
    assert {(p.sheet, p.row, p.column, p.code) for p in result.problems} == {
        ("audit", 1, "received", ImportCode.YEARS_NOT_CONSECUTIVE),
        ("actions", 2, "owner_email", ImportCode.UNKNOWN_OWNER),
        ("actions", 2, "due_date", ImportCode.NOT_A_DATE),
        ("actions", 2, "risk", ImportCode.NOT_A_CHOICE),
        ("actions", 3, "ref", ImportCode.ALREADY_ON_TRACKER),
        ("actions", 3, "business_group", ImportCode.UNKNOWN_GROUP),
        ("actions", 4, "description", ImportCode.VALUE_REQUIRED),
        ("actions", 4, "colour", ImportCode.UNKNOWN_COLUMN),
    }
    s.flush()
    assert _counts(s) == before


def test_an_audit_already_on_the_tracker_is_not_updated(s: Session) -> None:
    existing = s.scalars(select(Audit).limit(1)).one()
    title = existing.title
    result = add_audit(
        s, _viewer(s, GRACE), dict(AUDIT, audit_id=existing.audit_id.lower()), [new_action()], ctx=CTX, today=TODAY
    )
    assert result.outcome == INVALID
    assert [(p.sheet, p.column, p.code, p.value) for p in result.problems] == [
        ("audit", "audit_id", ImportCode.ALREADY_ON_TRACKER, existing.audit_id)
    ]
    assert existing.title == title


def test_an_audit_needs_at_least_one_action_and_refs_once(s: Session) -> None:
    viewer = _viewer(s, GRACE)
    assert [p.code for p in add_audit(s, viewer, AUDIT, [], ctx=CTX, today=TODAY).problems] == [
        ImportCode.VALUE_REQUIRED
    ]
    twice = add_audit(s, viewer, AUDIT, [new_action(ref="X-1"), new_action(ref="x-1")], ctx=CTX, today=TODAY)
    assert [(p.row, p.code, p.other_row) for p in twice.problems] == [(2, ImportCode.DUPLICATE_KEY, 1)]


def test_governance_adds_inspection_items_all_or_nothing(s: Session) -> None:
    viewer = _viewer(s, GRACE)
    base = {
        "inspection": "PEEL 2026",
        "inspection_year": "2026/27",
        "scope": "force",
        "business_group": "Met Operations",
    }
    items = [
        base | {"ref": "HMI-2026-901", "kind": "rec", "owner_email": OLIVIA, "due_date": "2027-06-30"},
        base
        | {"ref": "HMI-2026-902", "kind": "afi & rec", "status": "submitted for closure", "submitted_on": "2026-11-20"},
    ]
    before = _counts(s)
    bad = add_inspection_items(
        s, viewer, [*items, base | {"ref": "HMI-2026-903", "kind": "finding"}], ctx=CTX, today=TODAY
    )
    assert [(p.sheet, p.row, p.column, p.code) for p in bad.problems] == [("items", 3, "kind", ImportCode.NOT_A_CHOICE)]
    s.flush()
    assert _counts(s) == before
    result = add_inspection_items(s, viewer, items, ctx=CTX, today=TODAY)
    assert (result.outcome, result.refs) == (CREATED, ("HMI-2026-901", "HMI-2026-902"))
    stored = s.scalars(
        select(InspectionItem).where(InspectionItem.ref.in_(result.refs)).order_by(InspectionItem.ref)
    ).all()
    assert [(i.kind, i.status, i.submitted_on, i.owner.email if i.owner else None) for i in stored] == [
        ("rec", "open", None, OLIVIA),
        ("afi & rec", "submitted for closure", date(2026, 11, 20), None),
    ]
    channels = s.execute(
        select(HistoryEntry.actor, HistoryEntry.channel).where(HistoryEntry.entity_ref.in_(result.refs))
    ).all()
    assert [tuple(c) for c in channels] == [(GRACE, "tab")] * 2
