"""Append-only change history: who, when, by which channel, which field, old and new value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.answers import HistoryLine
from store.db.models import HistoryEntry

__all__ = [
    "Change",
    "ChangeContext",
    "as_text",
    "history_values",
    "record",
    "record_created",
    "apply_changes",
    "history_lines",
]

CREATED = "_created"


@dataclass(frozen=True)
class ChangeContext:
    """Who is changing things, through which channel, and when (the injected clock)."""

    actor: str
    channel: str  # import | teams | cli
    at: datetime
    on_behalf_of: str | None = None  # the owner's email when the actor is their cover ("X for Y")


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


def as_text(value: Any) -> str | None:
    """Values are stored as text: ISO dates, 'yes'/'no', plain strings."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def history_values(ctx: ChangeContext, entity: str, ref: str, changes: Iterable[Change]) -> list[dict[str, Any]]:
    """The history rows for ``changes``, as column values: for a bulk INSERT (the import's) or ``record``."""
    return [
        {
            "at": ctx.at,
            "actor": ctx.actor,
            "channel": ctx.channel,
            "entity": entity,
            "entity_ref": ref,
            "field": c.field,
            "old_value": as_text(c.old),
            "new_value": as_text(c.new),
            "on_behalf_of": ctx.on_behalf_of,
        }
        for c in changes
    ]


def record(session: Session, ctx: ChangeContext, entity: str, ref: str, changes: Iterable[Change]) -> int:
    rows = [HistoryEntry(**values) for values in history_values(ctx, entity, ref, changes)]
    session.add_all(rows)
    return len(rows)


def record_created(session: Session, ctx: ChangeContext, entity: str, ref: str) -> None:
    record(session, ctx, entity, ref, [Change(CREATED, None, ref)])


def apply_changes(obj: object, values: dict[str, Any]) -> list[Change]:
    """Set attributes that differ and return what changed (the caller records it)."""
    changes: list[Change] = []
    for name, new in values.items():
        old = getattr(obj, name)
        if old != new:
            changes.append(Change(name, old, new))
            setattr(obj, name, new)
    return changes


def history_lines(session: Session, *, entity: str, ref: str, limit: int | None = None) -> tuple[HistoryLine, ...]:
    """One action's or item's history, newest first: all of it, or the latest ``limit`` rows."""
    stmt = (
        select(HistoryEntry)
        .where(HistoryEntry.entity == entity, HistoryEntry.entity_ref == ref)
        .order_by(HistoryEntry.at.desc(), HistoryEntry.id.desc())
        .limit(limit)
    )
    return tuple(
        HistoryLine(at=h.at.date(), actor=h.actor, field=h.field, old=h.old_value, new=h.new_value)
        for h in session.scalars(stmt)
    )
