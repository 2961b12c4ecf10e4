"""Cover for an owner's absence, and who receives a message meant for someone (issue 13 point 3).

An owner (or their group's SPOC, or governance: `Viewer.may_name_cover`) names a cover from one
local day to another. During it the cover's Viewer acts for the owner (domain/permissions.py
`viewer_for`), requests and reminders meant for the owner go to the cover (`recipients`, used by
the outbox when it queues), and history rows the cover writes say "cover for owner". People who
have left (`Person.active` false) receive nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.permissions import Viewer
from store.db.models import Cover, Person
from store.history import Change, ChangeContext, record
from store.people.operator import person_named

__all__ = [
    "COVER_SET",
    "REFUSED",
    "UNKNOWN_OWNER",
    "UNKNOWN_COVER",
    "PERSON_LEFT",
    "SAME_PERSON",
    "BAD_DATES",
    "MAX_COVER_DAYS",
    "CoverOutcome",
    "Recipient",
    "set_cover",
    "current_cover",
    "recipients",
    "history_actor",
]

log = logging.getLogger(__name__)

COVER_SET, REFUSED, UNKNOWN_OWNER, UNKNOWN_COVER = "cover_set", "refused", "unknown_owner", "unknown_cover"
PERSON_LEFT, SAME_PERSON, BAD_DATES = "person_left", "same_person", "bad_dates"
MAX_COVER_DAYS = 366  # longer than a year is not cover but a new owner: reassign instead


@dataclass(frozen=True)
class CoverOutcome:
    outcome: str
    owner_name: str | None = None
    owner_email: str | None = None
    cover_name: str | None = None
    cover_email: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    problem: str | None = None  # for BAD_DATES: "order" | "past" | "too_long"


@dataclass(frozen=True)
class Recipient:
    """Who a message meant for `person_id` goes to: None when they have left."""

    person_id: int | None
    cover_for: str | None = None  # the owner's name when the cover receives it


def set_cover(
    session: Session,
    viewer: Viewer,
    owner_email: str,
    cover_email: str,
    *,
    starts_on: date,
    ends_on: date,
    ctx: ChangeContext,
    today: date,
) -> CoverOutcome:
    """Record that `cover_email` covers `owner_email` from `starts_on` to `ends_on` (inclusive)."""
    owner = person_named(session, owner_email)
    if owner is None:
        return CoverOutcome(UNKNOWN_OWNER, owner_email=(owner_email or "").strip())
    group = owner.business_group.name if owner.business_group else None
    if not viewer.may_name_cover(owner.id, group):
        return CoverOutcome(REFUSED, owner.name, owner.email)
    cover = person_named(session, cover_email)
    if cover is None:
        return CoverOutcome(UNKNOWN_COVER, owner.name, owner.email, cover_email=(cover_email or "").strip())
    base: dict[str, Any] = dict(
        owner_name=owner.name,
        owner_email=owner.email,
        cover_name=cover.name,
        cover_email=cover.email,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    if not cover.active or not owner.active:
        return CoverOutcome(PERSON_LEFT, **base)
    if cover.id == owner.id:
        return CoverOutcome(SAME_PERSON, **base)
    problem = (
        "order"
        if ends_on < starts_on
        else "past"
        if ends_on < today
        else "too_long"
        if ends_on - starts_on > timedelta(days=MAX_COVER_DAYS)
        else None
    )
    if problem:
        return CoverOutcome(BAD_DATES, **base, problem=problem)
    session.add(
        Cover(
            owner_id=owner.id,
            cover_id=cover.id,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=ctx.actor,
            created_at=ctx.at,
        )
    )
    record(
        session,
        ctx,
        "person",
        owner.email,
        [Change("cover", None, f"{cover.email} from {starts_on.isoformat()} to {ends_on.isoformat()}")],
    )
    session.flush()
    log.info("%s covers %s from %s to %s (set by %s)", cover.email, owner.email, starts_on, ends_on, ctx.actor)
    return CoverOutcome(COVER_SET, **base)


def current_cover(session: Session, owner_id: int, today: date) -> Person | None:
    """The owner's cover on `today` (the most recently named, when periods overlap), if still here."""
    return session.scalar(
        select(Person)
        .join(Cover, Cover.cover_id == Person.id)
        .where(Cover.owner_id == owner_id, Cover.starts_on <= today, Cover.ends_on >= today, Person.active.is_(True))
        .order_by(Cover.created_at.desc(), Cover.id.desc())
        .limit(1)
    )


def recipients(session: Session, person_ids: Iterable[int], today: date) -> dict[int, Recipient]:
    """Who receives what is meant for these people: their cover today (cover_for: the owner's name),
    or nobody (person_id None: they have left). People with neither are not in the answer."""
    ids = set(person_ids)
    if not ids:
        return {}
    found: dict[int, Recipient] = {}
    for start in range(0, len(ids), 500):
        chunk = sorted(ids)[start : start + 500]
        left = set(session.scalars(select(Person.id).where(Person.id.in_(chunk), Person.active.is_(False))))
        found.update({pid: Recipient(None) for pid in left})
        # one query for the covers of the whole chunk; the most recently named wins where they overlap
        covers = session.execute(
            select(Cover.owner_id, Cover.cover_id)
            .join(Person, Person.id == Cover.cover_id)
            .where(Cover.owner_id.in_(chunk), Cover.starts_on <= today, Cover.ends_on >= today, Person.active.is_(True))
            .order_by(Cover.created_at, Cover.id)
        ).all()
        chosen = {owner: cover for owner, cover in covers if owner not in left}
        names: dict[int, str] = {
            pid: name for pid, name in session.execute(select(Person.id, Person.name).where(Person.id.in_(chosen)))
        }
        found.update({owner: Recipient(cover, cover_for=names.get(owner)) for owner, cover in chosen.items()})
    return found  # a person with neither is left out: their messages go to them as before


def history_actor(actor: str, on_behalf_of: str | None) -> str:
    """How a history row names who made a change: "X for Y" when X was Y's cover."""
    return f"{actor} for {on_behalf_of}" if on_behalf_of else actor
