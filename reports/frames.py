"""The tracker as pandas DataFrames, loaded with a handful of SQL queries.

Columns carry the workbook's column names (``ref``, ``audit_id``, ``business_group``,
``owner_email``, ``due_date`` ...), which are also the field names of the history, so a past
state can be rebuilt column by column (see :mod:`reports.asof`). Dates are ``datetime64``
columns (missing = NaT); text columns hold missing values as NA.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone

import pandas as pd
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from store.models import (
    Action, Audit, BusinessGroup, CycleItem, HistoryEntry, InspectionItem, Person, UpdateCycle,
)

__all__ = ["Frames", "load_frames", "DATE_FIELDS", "BOOL_FIELDS", "ENTITIES", "day_start"]

# Fields whose history values are ISO dates / 'yes'-'no' (everything else is plain text).
DATE_FIELDS = frozenset({"due_date", "revised_due_date", "implemented_on", "closed_on", "last_update_on"})
BOOL_FIELDS = frozenset({"restricted"})
# History entities the reports rebuild: entity name -> (frame attribute, key column).
ENTITIES = {"action": ("actions", "ref"), "audit": ("audits", "audit_id"), "inspection": ("inspections", "ref")}
_BLANK_AS_MISSING = ("delay_reason", "key_theme", "theme")


@dataclass(frozen=True)
class Frames:
    """The current tracker plus the history needed to rebuild it as at past dates."""

    actions: pd.DataFrame      # id, ref, audit_id, risk, business_group, owner_email, due_date, ...
    audits: pd.DataFrame       # audit_id, title, received, kind, assurance, restricted
    inspections: pd.DataFrame  # ref, inspection, inspection_year, scope, kind, theme, business_group, ...
    cycles: pd.DataFrame       # id, opened_at, closed_at, deadline, status
    cycle_items: pd.DataFrame  # cycle_id, action_id, inspection_id, business_group, responded_at
    history: pd.DataFrame      # id, at, entity, entity_ref, field, old_value (changes at/after `since`)
    since: pd.Timestamp | None  # the history is complete from this instant on (None: all of it)


def day_start(d: date) -> pd.Timestamp:
    """Midnight UTC at the start of ``d``: the instant from which changes are 'after' the day before."""
    return pd.Timestamp(datetime.combine(d, time.min, tzinfo=timezone.utc))


def _read(session: Session, stmt: Select, dates: tuple[str, ...] = (), stamps: tuple[str, ...] = ()) -> pd.DataFrame:
    result = session.execute(stmt)
    frame = pd.DataFrame.from_records(list(result), columns=list(result.keys()))
    for col in dates:
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    for col in stamps:
        frame[col] = pd.to_datetime(frame[col], utc=True)
    for col in _BLANK_AS_MISSING:
        if col in frame:
            frame[col] = frame[col].where(frame[col].notna() & (frame[col] != ""))
    return frame


def load_frames(session: Session, since: date | None = None) -> Frames:
    """Load the tracker; history only from the start of ``since`` (UTC) on, or all of it when None.

    To rebuild the state as at day D, pass ``since`` <= D + 1 day.
    """
    actions = _read(session, select(
        Action.id, Action.ref, Audit.audit_id, Action.risk, BusinessGroup.name.label("business_group"),
        Person.email.label("owner_email"), Action.due_date, Action.revised_due_date, Action.status,
        Action.delay_reason, Action.key_theme, Action.implemented_on, Action.closed_on, Action.last_update_on,
    ).join(Audit, Audit.id == Action.audit_id).join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
        .join(Person, Person.id == Action.owner_id),
        dates=("due_date", "revised_due_date", "implemented_on", "closed_on", "last_update_on"))
    audits = _read(session, select(Audit.audit_id, Audit.title, Audit.received, Audit.kind, Audit.assurance,
                                   Audit.restricted))
    inspections = _read(session, select(
        InspectionItem.id, InspectionItem.ref, InspectionItem.inspection, InspectionItem.inspection_year,
        InspectionItem.scope, InspectionItem.kind, InspectionItem.theme,
        BusinessGroup.name.label("business_group"), InspectionItem.due_date, InspectionItem.status,
    ).outerjoin(BusinessGroup, BusinessGroup.id == InspectionItem.business_group_id), dates=("due_date",))
    cycles = _read(session, select(UpdateCycle.id, UpdateCycle.opened_at, UpdateCycle.closed_at,
                                   UpdateCycle.deadline, UpdateCycle.status),
                   dates=("deadline",), stamps=("opened_at", "closed_at"))
    items = _read(session, select(CycleItem.cycle_id, CycleItem.action_id, CycleItem.inspection_id,
                                  CycleItem.business_group, CycleItem.responded_at), stamps=("responded_at",))
    start = day_start(since) if since is not None else None
    stmt = select(HistoryEntry.id, HistoryEntry.at, HistoryEntry.entity, HistoryEntry.entity_ref,
                  HistoryEntry.field, HistoryEntry.old_value).where(HistoryEntry.entity.in_(tuple(ENTITIES)))
    if start is not None:
        stmt = stmt.where(HistoryEntry.at >= start.to_pydatetime())
    history = _read(session, stmt, stamps=("at",))
    return Frames(actions, audits, inspections, cycles, items, history, start)
