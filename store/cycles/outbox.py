"""The durable per-recipient outbox: the unit of work of the proactive send pipeline.

Life of a message::

    queued --claim--> sending --mark_sent--> sent
       ^                 |----mark_retry---> queued (next_attempt_at later: 429, 5xx, timeouts)
       |                 |----mark_failed--> failed | not_installed   (final: 403, 404, ...)
       +--lease expired--+  (a crashed worker's claim is taken over by another claim)

Leases are short (the worker's default is 24 s) and renewed (`renew`) while the worker holds the
messages, so a killed worker's messages go out again within a lease of another worker running.

A claim on PostgreSQL is ``SELECT id ... FOR UPDATE SKIP LOCKED LIMIT n`` then an UPDATE of
exactly those rows, in one transaction: several workers share the queue and each row is claimed
by one (the others skip it without waiting). On SQLite it is one ``UPDATE ... WHERE id IN
(SELECT ... LIMIT n) AND <due>`` statement, which runs under the database write lock.

Exactly once: sending is an effect outside the database, so no transaction can contain it.
The worker claims (and commits) first, sends, and records the outcome in its own one-row
transaction immediately after the connector answers. A crash before the request leaves
leaves the row 'sending' until its lease expires; it is then claimed again and sent once.
The only window left is a crash (or a connector timeout) after the connector accepted the
message and before ``mark_sent`` commits: the row is then sent again when its lease expires
(at least once, never zero times); such re-claims are recorded in ``last_error``.
See docs/journeys/cycles.md.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from store.conversations.references import theirs
from store.db.models import ConversationRef, OutboxMessage, Person
from store.people.cover import recipients

__all__ = [
    "QUEUED",
    "SENDING",
    "SENT",
    "FAILED",
    "NOT_INSTALLED",
    "STATUSES",
    "Claimed",
    "NewMessage",
    "enqueue",
    "claim_batch",
    "mark_sent",
    "mark_retry",
    "mark_failed",
    "release",
    "has_due",
    "next_due",
    "status_counts",
    "requeue",
    "cancel_queued",
    "as_utc",
    "IN_DOUBT",
    "renew",
    "LEFT",
]

QUEUED, SENDING, SENT, FAILED, NOT_INSTALLED = "queued", "sending", "sent", "failed", "not_installed"
STATUSES = (QUEUED, SENDING, SENT, FAILED, NOT_INSTALLED)
IN_DOUBT = "in doubt: the previous worker's lease expired before it recorded an outcome; sent again"


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back (stored as UTC); PostgreSQL aware ones."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


@dataclass(frozen=True)
class NewMessage:
    kind: str  # request | reminder | digest | outcome
    dedupe_key: str
    payload: dict[str, Any]
    person_id: int | None = None
    cycle_id: int | None = None
    status: str = QUEUED  # or NOT_INSTALLED when the recipient cannot be reached


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


LEFT = "not sent: the recipient has left (marked inactive in the People sheet)"


def _routed(session: Session, messages: Iterable[NewMessage], now: datetime) -> list[NewMessage]:
    """Messages to people who have left are not sent; to people with a cover, go to the cover."""
    messages = list(messages)
    routes = recipients(
        session,
        {
            m.person_id
            for m in messages
            if m.person_id is not None and m.kind != "progress" and not (m.payload or {}).get("reference")
        },
        now.date(),
    )
    out = []
    for m in messages:
        route = routes.get(m.person_id) if m.person_id is not None and m.kind != "progress" else None
        if route is None:
            out.append(m)
        elif route.person_id is None:
            out.append(replace(m, status=FAILED))
        elif route.cover_for is not None:
            out.append(
                replace(
                    m, person_id=route.person_id, status=QUEUED, payload={**m.payload, "cover_for": route.cover_for}
                )
            )
        else:
            out.append(m)
    return out


def _first_error(m: NewMessage) -> str | None:
    if m.status == NOT_INSTALLED:
        return "no personal conversation with the bot (not installed)"
    return LEFT if m.status == FAILED else None


def enqueue(session: Session, messages: Iterable[NewMessage], now: datetime) -> int:
    """Insert messages, skipping any whose dedupe_key already exists; returns how many were new.

    Routed first: nothing is sent to someone who has left, and a covered owner's messages go to
    the cover (store/cover.py)."""
    rows = [
        {
            "kind": m.kind,
            "dedupe_key": m.dedupe_key,
            "payload": m.payload,
            "person_id": m.person_id,
            "cycle_id": m.cycle_id,
            "status": m.status,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
            "last_error": _first_error(m),
        }
        for m in _routed(session, messages, now)
    ]
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    inserted = 0
    for start in range(0, len(rows), 500):
        stmt = insert(OutboxMessage).values(rows[start : start + 500])
        stmt = stmt.on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(OutboxMessage.id)
        inserted += len(session.execute(stmt).all())
    return inserted


def _due(now: datetime):
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
    times = [as_utc(t) for t in (queued, leased) if t is not None]
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
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == SENDING, OutboxMessage.locked_by == worker_id)
        .values(locked_until=until)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    return {row[0] for row in result}


def mark_sent(
    session: Session, message_id: int, now: datetime, *, activity_id: str | None, http_status: int | None = None
) -> bool:
    """Record a delivery. Delivery is a fact, so this wins over any claim (even a newer one)."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status.in_((QUEUED, SENDING)))
        .values(
            status=SENT,
            sent_at=now,
            activity_id=activity_id,
            last_status=http_status,
            locked_by=None,
            locked_until=None,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _ours(message_id: int, worker_id: str):
    return and_(OutboxMessage.id == message_id, OutboxMessage.status == SENDING, OutboxMessage.locked_by == worker_id)


def mark_retry(
    session: Session,
    message_id: int,
    worker_id: str,
    *,
    next_attempt_at: datetime,
    http_status: int | None,
    error: str | None,
) -> bool:
    """Back to the queue, due again at `next_attempt_at` (only while the claim is still ours)."""
    result = session.execute(
        update(OutboxMessage)
        .where(_ours(message_id, worker_id))
        .values(
            status=QUEUED,
            next_attempt_at=next_attempt_at,
            last_status=http_status,
            last_error=(error or "")[:1000] or None,
            locked_by=None,
            locked_until=None,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def mark_failed(
    session: Session,
    message_id: int,
    worker_id: str,
    *,
    http_status: int | None,
    error: str,
    final_status: str = FAILED,
) -> bool:
    """A final outcome: 'failed' (403, 404, gave up) or 'not_installed' (no conversation)."""
    if final_status not in (FAILED, NOT_INSTALLED):
        raise ValueError(f"not a final status: {final_status}")
    result = session.execute(
        update(OutboxMessage)
        .where(_ours(message_id, worker_id))
        .values(
            status=final_status, last_status=http_status, last_error=error[:1000], locked_by=None, locked_until=None
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def release(session: Session, message_ids: Iterable[int], worker_id: str, *, next_attempt_at: datetime) -> int:
    """Give claimed messages back unsent (not an attempt): shutting down, or paced for later."""
    ids = list(message_ids)
    if not ids:
        return 0
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == SENDING, OutboxMessage.locked_by == worker_id)
        .values(
            status=QUEUED,
            next_attempt_at=next_attempt_at,
            locked_by=None,
            locked_until=None,
            attempts=func.max(OutboxMessage.attempts - 1, 0)
            if session.get_bind().dialect.name == "sqlite"
            else func.greatest(OutboxMessage.attempts - 1, 0),
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def requeue(session: Session, message_ids: Iterable[int], now: datetime) -> int:
    """Queue final messages again (e.g. a request to an owner who has since installed the bot)."""
    ids = list(message_ids)
    if not ids:
        return 0
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status.in_((FAILED, NOT_INSTALLED)))
        .values(status=QUEUED, next_attempt_at=now, attempts=0, last_error=None, last_status=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def cancel_queued(session: Session, cycle_id: int, reason: str) -> int:
    """Fail a cycle's messages that are still waiting (the cycle closed). Claimed ones finish."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.cycle_id == cycle_id, OutboxMessage.status == QUEUED)
        .values(status=FAILED, last_error=reason[:1000])
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def status_counts(session: Session, *, cycle_id: int | None = None, kind: str | None = None) -> Counter[str]:
    query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    if cycle_id is not None:
        query = query.where(OutboxMessage.cycle_id == cycle_id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    counts: Counter[str] = Counter({status: 0 for status in STATUSES})
    counts.update({status: n for status, n in session.execute(query)})
    return counts
