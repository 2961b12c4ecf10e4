"""Claiming outbox messages, and the leases that keep a claim while its sender works.

A claim on PostgreSQL is ``SELECT id ... FOR UPDATE SKIP LOCKED LIMIT n`` then an UPDATE of
exactly those rows, in one transaction: several workers share the queue and each row is claimed
by one (the others skip it without waiting). On SQLite it is one ``UPDATE ... WHERE id IN
(SELECT ... LIMIT n) AND <due>`` statement, which runs under the database write lock.

Leases are short (the worker's default is 24 s) and renewed (`renew`) while the worker holds the
messages, so a killed worker's messages go out again within a lease of another worker running:
a message whose lease has run out is due again, and its next claim marks it in doubt
(domain.delivery.IN_DOUBT in last_error).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from domain.delivery import IN_DOUBT
from store.conversations.references import theirs
from store.db.models import ConversationRef, OutboxMessage, Person
from store.outbox.queue import QUEUED, SENDING, as_utc

__all__ = ["Claimed", "claim_batch", "renew", "has_due", "next_due", "held_by"]


@dataclass(frozen=True)
class Claimed:
    """A claimed message as plain data (the worker holds no ORM objects across awaits)."""

    id: int
    kind: str
    dedupe_key: str
    cycle_id: int | None
    person_id: int | None
    payload: dict[str, Any]
    attempts: int  # including this one
    locked_until: datetime
    reference: dict[str, Any] | None  # where to send; None: the recipient has no conversation


def held_by(worker_id: str) -> ColumnElement[bool]:
    """Claimed, and the claim is still this worker's (not recorded, released or taken over)."""
    return and_(OutboxMessage.status == SENDING, OutboxMessage.locked_by == worker_id)


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(OutboxMessage.status == QUEUED, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == SENDING, OutboxMessage.locked_until < now),
    )


def has_due(session: Session, now: datetime) -> bool:
    """A cheap read: is anything claimable? (Lets idle workers poll without taking write locks.)"""
    return session.scalar(select(OutboxMessage.id).where(_due(now)).limit(1)) is not None


def next_due(session: Session) -> datetime | None:
    """When the next message becomes claimable (a queued one's time, or a lease's end); None: idle."""
    queued = session.scalar(select(func.min(OutboxMessage.next_attempt_at)).where(OutboxMessage.status == QUEUED))
    leased = session.scalar(select(func.min(OutboxMessage.locked_until)).where(OutboxMessage.status == SENDING))
    times = [u for u in (as_utc(queued), as_utc(leased)) if u is not None]
    return min(times) if times else None


def _references(session: Session, person_ids: set[int]) -> dict[int, dict[str, Any]]:
    """The newest personal conversation reference of each person."""
    found: dict[int, dict[str, Any]] = {}
    if not person_ids:
        return found
    rows = session.execute(
        select(ConversationRef.person_id, ConversationRef.reference)
        .join(Person, Person.id == ConversationRef.person_id)
        .where(ConversationRef.person_id.in_(person_ids), ConversationRef.conversation_type == "personal", theirs())
        .order_by(ConversationRef.updated_at)
    )
    for person_id, reference in rows:
        found[person_id] = reference  # later (newer) rows win
    return found


def claim_batch(session: Session, worker_id: str, now: datetime, limit: int, lease: timedelta) -> list[Claimed]:
    """Claim up to `limit` due messages for `worker_id` until now + lease. Commit right after."""
    order = (OutboxMessage.next_attempt_at, OutboxMessage.id)
    until = now + lease
    claim = (
        update(OutboxMessage)
        .values(
            status=SENDING,
            locked_by=worker_id,
            locked_until=until,
            attempts=OutboxMessage.attempts + 1,
            last_error=case((OutboxMessage.status == SENDING, IN_DOUBT), else_=OutboxMessage.last_error),
        )
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    if session.get_bind().dialect.name == "postgresql":
        # Lock the rows first (other claimers skip them), then claim exactly those. (Inside an
        # UPDATE's IN (...) the planner may re-run a LIMIT subquery, so it is a statement of its own.)
        picked = list(
            session.scalars(
                select(OutboxMessage.id)
                .where(_due(now))
                .order_by(*order)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        if not picked:
            return []
        stmt = claim.where(OutboxMessage.id.in_(picked))
    else:
        # SQLite: one statement, so it runs under the database write lock from start to end.
        pick = select(OutboxMessage.id).where(_due(now)).order_by(*order).limit(limit)
        stmt = claim.where(OutboxMessage.id.in_(pick.scalar_subquery()), _due(now))
    ids = [row[0] for row in session.execute(stmt)]
    if not ids:
        return []
    rows = session.execute(
        select(
            OutboxMessage.id,
            OutboxMessage.kind,
            OutboxMessage.dedupe_key,
            OutboxMessage.cycle_id,
            OutboxMessage.person_id,
            OutboxMessage.payload,
            OutboxMessage.attempts,
        )
        .where(OutboxMessage.id.in_(ids))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
    ).all()
    refs = _references(session, {r.person_id for r in rows if r.person_id is not None})
    return [
        Claimed(
            id=r.id,
            kind=r.kind,
            dedupe_key=r.dedupe_key,
            cycle_id=r.cycle_id,
            person_id=r.person_id,
            payload=r.payload,
            attempts=r.attempts,
            locked_until=until,
            reference=(r.payload or {}).get("reference") or refs.get(r.person_id),
        )
        for r in rows
    ]


def renew(session: Session, message_ids: Iterable[int], worker_id: str, until: datetime) -> set[int]:
    """Extend this worker's claims to `until` (a heartbeat while it sends); returns the ids still
    held. An id missing from the answer was recorded, released or taken over: do not send it."""
    ids = list(message_ids)
    if not ids:
        return set()
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), held_by(worker_id))
        .values(locked_until=until)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    return {row[0] for row in result}
