"""Who someone is on the tracker: a person found by their Teams ids, loaded as a Viewer.

What a Viewer may see and do is decided in domain/permissions.py, and nowhere else. `Viewer` is
imported here too only for the modules that loaded it from here before the rules moved."""

from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from domain.permissions import Viewer
from domain.words import OWNER
from store.db.models import BusinessGroup, Cover, Delegation, GroupLead, Person

__all__ = ["Viewer", "match_person", "is_same_user", "viewer_for", "find_viewer", "group_leads"]


# Every turn and tab request loads its viewer: these statements are built once, their values bound,
# so SQLAlchemy finds their compiled form without walking them again (issue 19, bench/RESULTS.md).
@cache
def _by_object_id() -> Select[tuple[Person]]:
    return select(Person).where(Person.aad_object_id == bindparam("oid"))


@cache
def _by_email() -> Select[tuple[Person]]:
    return select(Person).where(func.lower(Person.email) == bindparam("email"), Person.aad_object_id.is_(None))


@cache
def _covered() -> Select[tuple[int]]:
    return (
        select(Cover.owner_id)
        .where(Cover.cover_id == bindparam("person"), Cover.starts_on <= bindparam("day"))
        .where(Cover.ends_on >= bindparam("day"))
        .order_by(Cover.owner_id)
        .distinct()
    )


@cache
def _led() -> Select[tuple[str, str]]:
    return (
        select(BusinessGroup.name, GroupLead.role)
        .join(GroupLead, GroupLead.business_group_id == BusinessGroup.id)
        .where(GroupLead.person_id == bindparam("person"))
        .order_by(BusinessGroup.name, GroupLead.role)
    )


@cache
def _delegated() -> Select[tuple[int]]:
    return (
        select(Delegation.owner_id).where(Delegation.delegate_id == bindparam("person")).order_by(Delegation.owner_id)
    )


def match_person(session: Session, aad_object_id: str | None, email_or_upn: str | None) -> Person | None:
    """By aad_object_id; by email/UPN (case-insensitively) only a person who has no object id yet.

    The spec's rule, and the one that stops a takeover: a user whose roster e-mail equals a known
    person's, but whose object id differs, is not that person.
    """
    if aad_object_id:
        person = session.scalar(_by_object_id(), {"oid": aad_object_id})
        if person is not None:
            return person
    if email_or_upn:
        return session.scalar(_by_email(), {"email": email_or_upn.strip().lower()})
    return None


def covered_owner_ids(session: Session, cover_id: int, today: date) -> tuple[int, ...]:
    """Owners whose cover this person is on `today` (a local day)."""
    return tuple(session.scalars(_covered(), {"person": cover_id, "day": today}))


def is_same_user(person: Person, *aad_object_ids: str | None) -> bool:
    """False when the person is known by an object id and any of the given ids is another one."""
    return person.aad_object_id is None or all(a is None or a == person.aad_object_id for a in aad_object_ids)


def viewer_for(session: Session, person: Person, today: date | None = None) -> Viewer:
    """`today` (local) brings in the owners this person covers that day; without it, none."""
    led = session.execute(_led(), {"person": person.id}).all()
    roles = frozenset(person.role_names or {OWNER})
    leads = tuple((role, name) for name, role in led if role in roles)
    # in a fixed order: a Viewer is part of the answer cache's keys, and equal viewers must be equal
    acts_for = tuple(session.scalars(_delegated(), {"person": person.id}))
    covering = covered_owner_ids(session, person.id, today) if today is not None else ()
    acts_for = tuple(dict.fromkeys((*acts_for, *covering)))
    return Viewer(
        person_id=person.id,
        name=person.name,
        email=person.email,
        roles=roles,
        group=person.business_group.name if person.business_group else None,
        leads=leads,
        acts_for=acts_for,
        covering=covering,
    )


def find_viewer(
    session: Session, aad_object_id: str | None, email_or_upn: str | None, today: date | None = None
) -> Viewer | None:
    person = match_person(session, aad_object_id, email_or_upn)
    return viewer_for(session, person, today) if person else None


def group_leads(session: Session, group: str, role: str) -> list[Person]:
    return list(
        session.scalars(
            select(Person)
            .join(GroupLead, GroupLead.person_id == Person.id)
            .join(BusinessGroup, BusinessGroup.id == GroupLead.business_group_id)
            .where(BusinessGroup.name == group, GroupLead.role == role)
            .order_by(Person.name)
        )
    )
