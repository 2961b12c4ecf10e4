"""The tracker as pandas DataFrames for the quarterly report, read with a handful of SQL queries.

The store hands these tables to reports/ (reports.frames.frames_from_tables), which never runs SQL.
Columns carry the workbook's column names (``ref``, ``audit_id``, ``business_group``,
``owner_email``, ``due_date`` ...), which are also the field names of the history, so a past
state can be rebuilt column by column (see reports/asof.py). Dates come as the driver gives them
(ISO text on SQLite, ``date`` on PostgreSQL) and reports parses them (reports.frames.to_dates holds
dates pandas cannot, such as 9999-12-31); timestamps are UTC ``datetime64``; text holds missing as NA.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Select, String, func, select, type_coerce
from sqlalchemy.orm import Session

from store.db.models import (
    Action,
    Audit,
    BusinessGroup,
    CycleItem,
    HistoryEntry,
    InspectionItem,
    Person,
    PortalFigure,
    UpdateCycle,
)

__all__ = ["TrackerTables", "load_tables", "first_change_at"]

_BLANK_AS_MISSING = ("delay_reason", "key_theme", "theme")


@dataclass(frozen=True)
class TrackerTables:
    """The current tracker plus the history needed to rebuild it as at past dates."""

    actions: pd.DataFrame  # ref, audit_id, risk, business_group, owner_email, due_date, revised_due_date,
    #                            status, delay_reason, key_theme, implemented_on (what the figures read)
    audits: pd.DataFrame  # audit_id, title, received, kind, assurance, restricted, follows
    inspections: pd.DataFrame  # ref, inspection, inspection_year, scope, kind, theme, business_group, ...
    #                                submitted_on, closed_on
    cycles: pd.DataFrame  # id, opened_at, closed_at, deadline, status
    cycle_items: pd.DataFrame  # cycle_id, action_id, inspection_id, business_group, responded_at
    history: pd.DataFrame  # at, entity, entity_ref, field, old_value; in (at, id) order, from `since`
    since: pd.Timestamp | None  # the history is complete from this instant on (None: all of it)
    # The inspectorate portal's counts: as_of, theme, recommendations, afis (every date imported).
    portal: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["as_of", "theme", "recommendations", "afis"])
    )


def _day_start(d: date) -> pd.Timestamp:
    return pd.Timestamp(datetime.combine(d, time.min, tzinfo=timezone.utc))


def _raw(column: Any) -> Any:
    """A date/time column fetched as the driver gives it (SQLite: ISO text), parsed later in one go."""
    return type_coerce(column, String).label(column.key)


def _read(session: Session, stmt: Select[Any], stamps: tuple[str, ...] = ()) -> pd.DataFrame:
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
    for col in stamps:
        frame[col] = pd.to_datetime(frame[col], utc=True, format="ISO8601")
    for col in _BLANK_AS_MISSING:
        if col in frame:
            frame[col] = frame[col].where(frame[col].notna() & (frame[col] != ""))
    return frame


def load_tables(session: Session, since: date | None = None) -> TrackerTables:
    """Load the tracker; history only from the start of ``since`` (UTC) on, or all of it when None.

    The tables can rebuild the state as at any day from ``since`` - 1 on: the history from then,
    and the items of every update cycle that can be the latest one by such a day.
    """
    start = _day_start(since) if since is not None else None
    actions = _read(
        session,
        select(
            Action.ref,
            Audit.audit_id,
            Action.risk,
            BusinessGroup.name.label("business_group"),
            Person.email.label("owner_email"),
            _raw(Action.due_date),
            _raw(Action.revised_due_date),
            Action.status,
            Action.delay_reason,
            Action.key_theme,
            _raw(Action.implemented_on),
        )
        .join(Audit, Audit.id == Action.audit_id)
        .join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
        .join(Person, Person.id == Action.owner_id),
    )
    audits = _read(
        session,
        select(
            Audit.audit_id, Audit.title, Audit.received, Audit.kind, Audit.assurance, Audit.restricted, Audit.follows
        ),
    )
    inspections = _read(
        session,
        select(
            InspectionItem.ref,
            InspectionItem.inspection,
            InspectionItem.inspection_year,
            InspectionItem.scope,
            InspectionItem.kind,
            InspectionItem.theme,
            BusinessGroup.name.label("business_group"),
            _raw(InspectionItem.due_date),
            InspectionItem.status,
            _raw(InspectionItem.submitted_on),
            _raw(InspectionItem.closed_on),
        ).outerjoin(BusinessGroup, BusinessGroup.id == InspectionItem.business_group_id),
    )
    cycles = _read(
        session,
        select(
            UpdateCycle.id,
            _raw(UpdateCycle.opened_at),
            _raw(UpdateCycle.closed_at),
            _raw(UpdateCycle.deadline),
            UpdateCycle.status,
        ),
        stamps=("opened_at", "closed_at"),
    )
    items = _read(
        session,
        select(
            CycleItem.cycle_id,
            CycleItem.action_id,
            CycleItem.inspection_id,
            CycleItem.business_group,
            _raw(CycleItem.responded_at),
        ).where(CycleItem.cycle_id.in_(_cycles_needed(cycles, start))),
        stamps=("responded_at",),
    )
    # No entity filter: with one SQLite scans by entity and sorts; (at, id) is the history index's
    # own order. Other entities (people) are few and dropped by the report.
    restorable = {"_created", *actions.columns, *audits.columns, *inspections.columns}  # not notes, evidence...
    stmt = (
        select(
            _raw(HistoryEntry.at),
            HistoryEntry.entity,
            HistoryEntry.entity_ref,
            HistoryEntry.field,
            HistoryEntry.old_value,
        )
        .where(HistoryEntry.field.in_(sorted(restorable)))
        .order_by(HistoryEntry.at, HistoryEntry.id)
    )
    if start is not None:
        stmt = stmt.where(HistoryEntry.at >= start.to_pydatetime())
    history = _read(session, stmt, stamps=("at",))
    portal = _read(
        session, select(_raw(PortalFigure.as_of), PortalFigure.theme, PortalFigure.recommendations, PortalFigure.afis)
    )
    return TrackerTables(actions, audits, inspections, cycles, items, history, start, portal)


def first_change_at(session: Session) -> datetime | None:
    """When the first change was recorded (None: nothing recorded): a report as at an earlier day would
    rebuild an empty tracker."""
    first = session.scalar(select(func.min(HistoryEntry.at)))
    if isinstance(first, str):  # SQLite without the ORM's type processing
        first = datetime.fromisoformat(first)
    if first is not None and first.tzinfo is None:
        first = first.replace(tzinfo=timezone.utc)
    return first


def _cycles_needed(cycles: pd.DataFrame, start: pd.Timestamp | None) -> list[int]:
    """Cycles opened from ``start`` on, and the last one opened before it (the latest as at start - 1 day)."""
    if start is None or cycles.empty:
        return [int(i) for i in cycles["id"]]
    before = cycles[cycles["opened_at"] < start].sort_values(["opened_at", "id"]).tail(1)
    return [int(i) for i in pd.concat([cycles.loc[cycles["opened_at"] >= start, "id"], before["id"]])]
