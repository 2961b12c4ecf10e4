"""The demo tracker is shaped like the seed report and never goes stale."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.rules import is_monitored, is_outstanding
from store.db.models import Action, InspectionItem, Person
from store.demo.builder import load_demo
from store.demo.data import PLAYGROUND_PEOPLE


def _outstanding(session: Session) -> list[Action]:
    return [
        a
        for a in session.scalars(select(Action))
        if is_monitored(a.risk, a.audit.assurance) and is_outstanding(a.status)
    ]


def test_shape_resembles_the_report(session: Session, today: date, now: datetime) -> None:
    load_demo(session, today, now)
    actions = _outstanding(session)
    by_group = Counter(a.business_group.name for a in actions)
    overdue = Counter(a.business_group.name for a in actions if a.due_date < today)
    assert by_group == {"Corporate Services": 44, "Frontline Policing": 8, "Met Operations": 49, "Professionalism": 42}
    assert overdue == {"Corporate Services": 34, "Frontline Policing": 7, "Met Operations": 16, "Professionalism": 40}
    assert 130 <= len(actions) <= 160
    assert sum(1 for a in actions if a.delay_reason) > 40
    titles = {a.audit.title for a in actions}
    assert "Framework Supporting Inclusion & Diversity Strategy" in titles
    assert (
        session.scalar(select(InspectionItem).where(InspectionItem.theme == "Undercover Policing")).status == "holding"
    )


def test_every_role_has_a_playground_person(session: Session, today: date, now: datetime) -> None:
    load_demo(session, today, now)
    for email, _name, _group, roles, aad in PLAYGROUND_PEOPLE:
        person = session.scalar(select(Person).where(Person.email == email))
        assert person.aad_object_id == aad and set(roles) <= person.role_names
    olivia = session.scalar(select(Person).where(Person.email == PLAYGROUND_PEOPLE[3][0]))
    mine = [a for a in _outstanding(session) if a.owner_id == olivia.id]
    assert len(mine) >= 5 and any(a.due_date < today for a in mine) and any(a.due_date >= today for a in mine)
    items = session.scalars(select(InspectionItem).where(InspectionItem.owner_id == olivia.id)).all()
    assert len(items) >= 3 and any(i.status == "open" for i in items)


def test_dates_follow_today(session: Session, now: datetime) -> None:
    later = date(2031, 5, 2)
    load_demo(session, later, now)
    actions = _outstanding(session)
    assert min(a.due_date for a in actions) > later - timedelta(days=5 * 365)
    assert any(a.due_date > later for a in actions)


def test_no_description_says_a_word_twice_in_a_row(session: Session, today: date, now: datetime) -> None:
    """'Reconcile custody records records' (issue 24): a topic must not repeat its template's word."""
    load_demo(session, today, now)
    doubled = [
        a.description
        for a in session.scalars(select(Action))
        if any(w.lower() == v.lower() for w, v in zip(a.description.split(), a.description.split()[1:]))
    ]
    assert doubled == []
