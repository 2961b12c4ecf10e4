"""Recording what became of a claimed message: sent, to retry, failed for good, or given back.

Exactly once: sending is an effect outside the database, so no transaction can contain it.
The worker claims (and commits) first, sends, and records the outcome in its own one-row
transaction immediately after the connector answers. A crash before the request leaves
leaves the row 'sending' until its lease expires; it is then claimed again and sent once.
The only window left is a crash (or a connector timeout) after the connector accepted the
message and before ``mark_sent`` commits: the row is then sent again when its lease expires
(at least once, never zero times); such re-claims are recorded in ``last_error``
(domain.delivery.IN_DOUBT). See docs/journeys/cycles.md.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import func, update
from sqlalchemy.orm import Session

from store.db.models import OutboxMessage
from store.db.rows import affected
from store.outbox.claims import held_by
from store.outbox.queue import FAILED, NOT_INSTALLED, QUEUED, SENDING, SENT

__all__ = ["mark_sent", "mark_retry", "mark_failed", "release"]


def _settle(session: Session, *where: Any, **values: Any) -> int:
    """One UPDATE of the rows `where` matches that ends their claims: nobody holds them after it."""
    result = session.execute(
        update(OutboxMessage)
        .where(*where)
        .values(**values, locked_by=None, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    return affected(result)


def mark_sent(
    session: Session, message_id: int, now: datetime, *, activity_id: str | None, http_status: int | None = None
) -> bool:
    """Record a delivery. Delivery is a fact, so this wins over any claim (even a newer one)."""
    delivered = dict(status=SENT, sent_at=now, activity_id=activity_id, last_status=http_status)
    return (
        _settle(session, OutboxMessage.id == message_id, OutboxMessage.status.in_((QUEUED, SENDING)), **delivered) == 1
    )


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
    again = dict(
        status=QUEUED, next_attempt_at=next_attempt_at, last_status=http_status, last_error=(error or "")[:1000] or None
    )
    return _settle(session, OutboxMessage.id == message_id, held_by(worker_id), **again) == 1


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
    final = dict(status=final_status, last_status=http_status, last_error=error[:1000])
    return _settle(session, OutboxMessage.id == message_id, held_by(worker_id), **final) == 1


def release(session: Session, message_ids: Iterable[int], worker_id: str, *, next_attempt_at: datetime) -> int:
    """Give claimed messages back unsent (not an attempt): shutting down, or paced for later."""
    ids = list(message_ids)
    if not ids:
        return 0
    greatest = func.max if session.get_bind().dialect.name == "sqlite" else func.greatest
    return _settle(
        session,
        OutboxMessage.id.in_(ids),
        held_by(worker_id),
        status=QUEUED,
        next_attempt_at=next_attempt_at,
        attempts=greatest(OutboxMessage.attempts - 1, 0),
    )
