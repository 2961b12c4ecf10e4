"""The durable per-recipient outbox: the unit of work of the proactive send pipeline.

Life of a message::

    queued --claim--> sending --mark_sent--> sent
       ^                 |----mark_retry---> queued (next_attempt_at later: 429, 5xx, timeouts)
       |                 |----mark_failed--> failed | not_installed   (final: 403, 404, ...)
       +--lease expired--+  (a crashed worker's claim is taken over by another claim)

This module is the queue's front: its statuses, `enqueue` (routed: never to someone who has left,
to the cover during a cover), `requeue`, `cancel_queued` and `status_counts`. What a message says
is a typed domain.messages value, written to the row's JSON by that module's codec. The senders'
side is in two modules of its own: claims and their leases (claims.py), and the outcomes they
record (outcomes.py, which also says what "exactly once" can and cannot mean here).
See docs/journeys/cycles.md and docs/architecture.md ("The outbox").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, Iterable, overload

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from domain import delivery
from domain.messages import Message, Progress, covered, encode
from store.db.models import OutboxMessage
from store.db.rows import affected
from store.people.cover import recipients

__all__ = [
    "QUEUED",
    "SENDING",
    "SENT",
    "FAILED",
    "NOT_INSTALLED",
    "STATUSES",
    "NewMessage",
    "as_utc",
    "enqueue",
    "requeue",
    "cancel_queued",
    "status_counts",
]

QUEUED, SENDING, SENT, FAILED, NOT_INSTALLED = "queued", "sending", "sent", "failed", "not_installed"
STATUSES = (QUEUED, SENDING, SENT, FAILED, NOT_INSTALLED)


@overload
def as_utc(value: datetime) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
def as_utc(value: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back (stored as UTC); PostgreSQL aware ones."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


@dataclass(frozen=True)
class NewMessage:
    """A message to queue: what it says (typed), and where it goes."""

    message: Message
    dedupe_key: str
    person_id: int | None = None
    cycle_id: int | None = None
    status: str = QUEUED  # or NOT_INSTALLED when the recipient cannot be reached
    # A conversation to send to instead of the person's own chat (kept in the row's JSON under
    # "reference", which store/outbox/claims.py reads; not part of what the message says).
    reference: dict[str, Any] | None = None

    @property
    def kind(self) -> str:
        return self.message.kind

    def payload(self) -> dict[str, Any]:
        """The row's JSON: the message's own (domain.messages.encode), and the reference if any."""
        json = encode(self.message)
        return {**json, "reference": self.reference} if self.reference else json


def _routed(session: Session, messages: Iterable[NewMessage], now: datetime) -> list[NewMessage]:
    """Messages to people who have left are not sent; to people with a cover, go to the cover."""
    messages = list(messages)
    routes = recipients(
        session,
        {
            m.person_id
            for m in messages
            if m.person_id is not None and not isinstance(m.message, Progress) and not m.reference
        },
        now.date(),
    )
    out = []
    for m in messages:
        # the opener's progress card goes to the opener, whoever covers for them
        route = routes.get(m.person_id) if m.person_id is not None and not isinstance(m.message, Progress) else None
        if route is None:
            out.append(m)
        elif route.person_id is None:
            out.append(replace(m, status=FAILED))
        elif route.cover_for is not None:
            out.append(
                replace(m, person_id=route.person_id, status=QUEUED, message=covered(m.message, route.cover_for))
            )
        else:
            out.append(m)
    return out


def _first_error(m: NewMessage) -> str | None:
    """A code (domain/delivery.py), worded where it is shown (cards/cycle_wording.py)."""
    if m.status == NOT_INSTALLED:
        return delivery.NOT_INSTALLED
    return delivery.RECIPIENT_LEFT if m.status == FAILED else None


def enqueue(session: Session, messages: Iterable[NewMessage], now: datetime) -> int:
    """Insert messages, skipping any whose dedupe_key already exists; returns how many were new.

    Routed first: nothing is sent to someone who has left, and a covered owner's messages go to
    the cover (store/people/cover.py)."""
    rows = [
        {
            "kind": m.kind,
            "dedupe_key": m.dedupe_key,
            "payload": m.payload(),
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
        stmt = (
            insert(OutboxMessage)
            .values(rows[start : start + 500])
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(OutboxMessage.id)
        )
        inserted += len(session.execute(stmt).all())
    return inserted


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
    return affected(result)


def cancel_queued(session: Session, cycle_id: int, reason: str) -> int:
    """Fail a cycle's messages that are still waiting (the cycle closed). Claimed ones finish.

    `reason` is recorded in last_error: a code of domain/delivery.py."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.cycle_id == cycle_id, OutboxMessage.status == QUEUED)
        .values(status=FAILED, last_error=reason[:1000])
        .execution_options(synchronize_session=False)
    )
    return affected(result)


def status_counts(session: Session, *, cycle_id: int | None = None, kind: str | None = None) -> Counter[str]:
    query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    if cycle_id is not None:
        query = query.where(OutboxMessage.cycle_id == cycle_id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    counts: Counter[str] = Counter({status: 0 for status in STATUSES})
    counts.update({status: n for status, n in session.execute(query)})
    return counts
