"""The tracker as pandas DataFrames, loaded with a handful of SQL queries.

Columns carry the workbook's column names (``ref``, ``audit_id``, ``business_group``,
``owner_email``, ``due_date`` ...), which are also the field names of the history, so a past
state can be rebuilt column by column (see :mod:`reports.asof`). Dates are ``datetime64``
columns (missing = NaT); text columns hold missing values as NA.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Select, String, select, type_coerce
from sqlalchemy.orm import Session

from store.db.models import (
    Action, Audit, BusinessGroup, CycleItem, HistoryEntry, InspectionItem, Person, UpdateCycle,
)

__all__ = ["Frames", "load_frames", "DATE_FIELDS", "BOOL_FIELDS", "ENTITIES", "day_start", "to_dates"]

# Fields whose history values are ISO dates / 'yes'-'no' (everything else is plain text).
DATE_FIELDS = frozenset({"due_date", "revised_due_date", "implemented_on", "closed_on", "last_update_on"})
BOOL_FIELDS = frozenset({"restricted"})
# History entities the reports rebuild: entity name -> (frame attribute, key column).
ENTITIES = {"action": ("actions", "ref"), "audit": ("audits", "audit_id"), "inspection": ("inspections", "ref")}
_BLANK_AS_MISSING = ("delay_reason", "key_theme", "theme")


@dataclass(frozen=True)
class Frames:
    """The current tracker plus the history needed to rebuild it as at past dates."""

    actions: pd.DataFrame      # ref, audit_id, risk, business_group, owner_email, due_date, revised_due_date,
    #                            status, delay_reason, key_theme, implemented_on (what the figures read)
    audits: pd.DataFrame       # audit_id, title, received, kind, assurance, restricted
    inspections: pd.DataFrame  # ref, inspection, inspection_year, scope, kind, theme, business_group, ...
    cycles: pd.DataFrame       # id, opened_at, closed_at, deadline, status
    cycle_items: pd.DataFrame  # cycle_id, action_id, inspection_id, business_group, responded_at
    history: pd.DataFrame      # at, entity, entity_ref, field, old_value, pos; in (at, id) order, from `since`
    since: pd.Timestamp | None  # the history is complete from this instant on (None: all of it)


def day_start(d: date) -> pd.Timestamp:
    """Midnight UTC at the start of ``d``: the instant from which changes are 'after' the day before."""
    return pd.Timestamp(datetime.combine(d, time.min, tzinfo=timezone.utc))


def _raw(column: Any) -> Any:
    """A date/time column fetched as the driver gives it (SQLite: ISO text), parsed later in one go."""
    return type_coerce(column, String).label(column.key)


# pandas' nanosecond timestamps end in 2262 and start in 1677. A stored date beyond them (9999-12-31
# typed as a revised date, 0001-01-01 from some import) is held at these bounds, which keeps its
# meaning for every figure (far future: not overdue, not forthcoming; far past: overdue and stale).
_EARLIEST, _LATEST = pd.Timestamp(1900, 1, 1), pd.Timestamp(2200, 12, 31)


def _bounded(value: Any) -> pd.Timestamp:
    text = value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    try:
        year = int(text.lstrip()[:text.lstrip().index("-", 1)])
    except ValueError:
        return pd.NaT
    return _LATEST if year >= _LATEST.year else _EARLIEST if year <= _EARLIEST.year else pd.NaT


def to_dates(values: pd.Series) -> pd.Series:
    """Stored dates (ISO text on SQLite, date objects on PostgreSQL) as datetime64[ns], never raising."""
    converted = pd.to_datetime(values, errors="coerce", format="ISO8601")
    lost = converted.isna() & values.notna() & (values.astype(object) != "")
    if lost.any():  # rare: only values pandas cannot hold at all take this slow path
        converted = converted.astype(object)
        converted[lost] = [_bounded(v) for v in values[lost]]
        converted = pd.to_datetime(converted)
    # pandas may have kept a coarser unit that holds year 1 or 9999: bring those within bounds too.
    converted = converted.where(converted.isna() | (converted <= _LATEST), _LATEST)
    converted = converted.where(converted.isna() | (converted >= _EARLIEST), _EARLIEST)
    return converted.astype("datetime64[ns]")


def _read(session: Session, stmt: Select, dates: tuple[str, ...] = (), stamps: tuple[str, ...] = ()) -> pd.DataFrame:
    """One query through the Core connection (no ORM row processing) into a DataFrame."""
    result = session.connection().execute(stmt)
    keys = list(result.keys())
    # The driver's plain tuples: no column here needs SQLAlchemy's result processing (dates come raw).
    cursor = getattr(result, "cursor", None)
    rows = cursor.fetchall() if cursor is not None else [tuple(r) for r in result.fetchall()]
    result.close()
    table = np.array(rows, dtype=object).reshape(len(rows), len(keys))  # column slices in C, not per row
    # Text stays in object columns: converting it to pandas' string dtype costs a pass per value.
    frame = pd.DataFrame({key: pd.Series(table[:, i], dtype=object) for i, key in enumerate(keys)})
    for col in dates:
        frame[col] = to_dates(frame[col])
    for col in stamps:
        frame[col] = pd.to_datetime(frame[col], utc=True, format="ISO8601")
    for col in _BLANK_AS_MISSING:
        if col in frame:
            frame[col] = frame[col].where(frame[col].notna() & (frame[col] != ""))
    return frame


def load_frames(session: Session, since: date | None = None) -> Frames:
    """Load the tracker; history only from the start of ``since`` (UTC) on, or all of it when None.

    The frames can rebuild the state as at any day from ``since`` - 1 on: the history from then,
    and the items of every update cycle that can be the latest one by such a day.
    """
    start = day_start(since) if since is not None else None
    actions = _read(session, select(
        Action.ref, Audit.audit_id, Action.risk, BusinessGroup.name.label("business_group"),
        Person.email.label("owner_email"), _raw(Action.due_date), _raw(Action.revised_due_date), Action.status,
        Action.delay_reason, Action.key_theme, _raw(Action.implemented_on),
    ).join(Audit, Audit.id == Action.audit_id).join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
        .join(Person, Person.id == Action.owner_id),
        dates=("due_date", "revised_due_date", "implemented_on"))
    audits = _read(session, select(Audit.audit_id, Audit.title, Audit.received, Audit.kind, Audit.assurance,
                                   Audit.restricted))
    inspections = _read(session, select(
        InspectionItem.ref, InspectionItem.inspection, InspectionItem.inspection_year,
        InspectionItem.scope, InspectionItem.kind, InspectionItem.theme,
        BusinessGroup.name.label("business_group"), _raw(InspectionItem.due_date), InspectionItem.status,
    ).outerjoin(BusinessGroup, BusinessGroup.id == InspectionItem.business_group_id), dates=("due_date",))
    cycles = _read(session, select(UpdateCycle.id, _raw(UpdateCycle.opened_at), _raw(UpdateCycle.closed_at),
                                   _raw(UpdateCycle.deadline), UpdateCycle.status),
                   dates=("deadline",), stamps=("opened_at", "closed_at"))
    items = _read(session, select(CycleItem.cycle_id, CycleItem.action_id, CycleItem.inspection_id,
                                  CycleItem.business_group, _raw(CycleItem.responded_at))
                  .where(CycleItem.cycle_id.in_(_cycles_needed(cycles, start))), stamps=("responded_at",))
    # No entity filter: with one SQLite scans by entity and sorts; (at, id) is the history index's
    # own order. Other entities (people) are few and dropped below.
    restorable = {"_created", *actions.columns, *audits.columns, *inspections.columns}  # not notes, evidence...
    stmt = (select(_raw(HistoryEntry.at), HistoryEntry.entity, HistoryEntry.entity_ref, HistoryEntry.field,
                   HistoryEntry.old_value).where(HistoryEntry.field.in_(sorted(restorable)))
            .order_by(HistoryEntry.at, HistoryEntry.id))
    if start is not None:
        stmt = stmt.where(HistoryEntry.at >= start.to_pydatetime())
    history = _positions(_read(session, stmt, stamps=("at",)), {"actions": actions, "audits": audits,
                                                                "inspections": inspections})
    return Frames(actions, audits, inspections, cycles, items, history, start)


def _positions(history: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Categorical entity and field, and ``pos``: the changed row's position in its frame (-1: gone)."""
    history = history[history["entity"].isin(tuple(ENTITIES))].reset_index(drop=True)
    history["entity"] = history["entity"].astype("category")
    history["field"] = history["field"].astype("category")
    pos = np.full(len(history), -1, dtype=np.int64)
    for entity, (attr, key) in ENTITIES.items():
        mine = (history["entity"] == entity).to_numpy()
        if mine.any():
            pos[mine] = pd.Index(frames[attr][key]).get_indexer(history.loc[mine, "entity_ref"])
    history["pos"] = pos
    return history


def _cycles_needed(cycles: pd.DataFrame, start: pd.Timestamp | None) -> list[int]:
    """Cycles opened from ``start`` on, and the last one opened before it (the latest as at start - 1 day)."""
    if start is None or cycles.empty:
        return [int(i) for i in cycles["id"]]
    before = cycles[cycles["opened_at"] < start].sort_values(["opened_at", "id"]).tail(1)
    return [int(i) for i in pd.concat([cycles.loc[cycles["opened_at"] >= start, "id"], before["id"]])]
