"""People on a test tracker, with their roles and the groups they lead: the one way the test
trackers (tests/store/*_tracker.py, the permission matrix) put them in the database."""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.db.models import BusinessGroup, GroupLead, Person, PersonRole

__all__ = ["add_person", "groups_by_name", "own_group_leads"]

_LEADING = ("spoc", "chief_officer")


def groups_by_name(session: Session) -> dict[str, BusinessGroup]:
    """The default business groups (the migrations create them), by name."""
    return {g.name: g for g in session.scalars(select(BusinessGroup))}


def own_group_leads(roles: Iterable[str], group: str) -> tuple[tuple[str, str], ...]:
    """The (role, group) pairs of someone who leads their own group in each leading role they hold."""
    return tuple((role, group) for role in _LEADING if role in roles)


def add_person(
    session: Session, key: str, name: str, *, group: str, roles: Iterable[str], leads: Iterable[tuple[str, str]] = ()
) -> Person:
    """`key`@example.test in `group` (a default business group) with `roles`; `leads`: (role, group)
    pairs, a group_leads row each (a SPOC of one group may be chief officer of another). Flushed."""
    groups = groups_by_name(session)
    person = Person(
        email=f"{key}@example.test", name=name, business_group=groups[group], roles=[PersonRole(role=r) for r in roles]
    )
    session.add(person)
    session.flush()
    session.add_all(GroupLead(person_id=person.id, business_group_id=groups[g].id, role=r) for r, g in leads)
    session.flush()
    return person
