"""Pieces both update journeys (DARA actions and HMICFRS items) share.

Idempotency (``ProcessedSubmission``), the version compare-and-set that keeps a stale or
duplicate card from overwriting a newer state, and recording the owner's response to an open
update cycle.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from domain.permissions import Viewer
from domain.update_views import UpdateOutcome
from store.db.models import CycleItem, HistoryEntry, Person, ProcessedSubmission, UpdateCycle
from store.db.rows import affected

__all__ = [
    "CycleColumn",
    "viewer_owners",
    "already_processed",
    "remember",
    "bump_version",
    "mark_cycle_response",
    "open_cycle_deadline",
    "last_change",
]


class CycleColumn:
    """Which CycleItem column points at the updated row."""

    ACTION = "action_id"
    INSPECTION = "inspection_id"


def viewer_owners(viewer: Viewer) -> tuple[int, ...]:
    """The owners whose items the viewer works on as their own: themselves and who delegated to them."""
    return (viewer.person_id, *viewer.acts_for)


def already_processed(session: Session, key: str) -> UpdateOutcome | None:
    """The outcome saved the first time this exact submission arrived, marked as a replay."""
    row = session.get(ProcessedSubmission, key)
    if row is None:
        return None
    outcome = UpdateOutcome.from_json(row.result)
    return dataclasses.replace(outcome, replayed=True)


def remember(session: Session, key: str, outcome: UpdateOutcome, at: datetime) -> None:
    """Keep the saved outcome under the submission's key, in the same transaction as the update."""
    session.add(ProcessedSubmission(key=key, at=at, result=outcome.to_json()))
    session.flush()


def bump_version(session: Session, model: Any, row_id: int, expected: int) -> bool:
    """UPDATE ... SET version = expected + 1 WHERE version = expected; False when someone got there first.

    On PostgreSQL a concurrent writer waits for our row lock and then finds the version moved;
    on SQLite writers are serialised by the database lock, with the same result.
    """
    result = session.execute(
        update(model)
        .where(model.id == row_id, model.version == expected)
        .values(version=expected + 1)
        .execution_options(synchronize_session="evaluate")
    )
    return affected(result) == 1


def mark_cycle_response(session: Session, column: str, row_id: int, at: datetime) -> int:
    """An owner's update during an open cycle is their response to it (issue 5 counts these)."""
    open_cycles = select(UpdateCycle.id).where(UpdateCycle.status == "open")
    result = session.execute(
        update(CycleItem)
        .where(
            getattr(CycleItem, column) == row_id, CycleItem.responded_at.is_(None), CycleItem.cycle_id.in_(open_cycles)
        )
        .values(responded_at=at)
        .execution_options(synchronize_session=False)
    )
    return affected(result)


def open_cycle_deadline(session: Session, column: str, row_id: int) -> date | None:
    """The earliest deadline of the open update cycles that asked about this row (the card's "by when")."""
    deadline: date | None = session.scalar(
        select(func.min(UpdateCycle.deadline))
        .join(CycleItem, CycleItem.cycle_id == UpdateCycle.id)
        .where(UpdateCycle.status == "open", getattr(CycleItem, column) == row_id)
    )
    return deadline


def last_change(session: Session, entity: str, ref: str) -> tuple[str | None, str | None, datetime | None]:
    """Who (name, else the recorded actor) made the latest recorded change, for whom when they were
    the owner's cover (else None), and when: for a stale card."""
    row = session.execute(
        select(HistoryEntry.actor, HistoryEntry.at, HistoryEntry.on_behalf_of)
        .where(HistoryEntry.entity == entity, HistoryEntry.entity_ref == ref)
        .order_by(HistoryEntry.at.desc(), HistoryEntry.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None, None, None
    actor, at, owner = row

    def name(email: str) -> str:
        return session.scalar(select(Person.name).where(Person.email == email)) or email

    return name(actor), (name(owner) if owner else None), at
