"""The tracker as pandas DataFrames, as the report reads them (the store loads them: store/queries/tables.py).

Columns carry the workbook's column names, which are also the field names of the history, so a
past state can be rebuilt column by column (see :mod:`reports.asof`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from domain.localtime import DEFAULT_TIMEZONE, local_to_utc, zone_named

__all__ = [
    "Frames",
    "Tables",
    "frames_from_tables",
    "DATE_FIELDS",
    "BOOL_FIELDS",
    "ENTITIES",
    "day_start",
    "to_dates",
    "DEFAULT_ZONE",
]

# Fields whose history values are ISO dates / 'yes'-'no' (everything else is plain text).
DATE_FIELDS = frozenset(
    {"due_date", "revised_due_date", "implemented_on", "closed_on", "last_update_on", "submitted_on"}
)
BOOL_FIELDS = frozenset({"restricted"})
PORTAL_COLUMNS = ("as_of", "theme", "recommendations", "afis")
# History entities the reports rebuild: entity name -> (frame attribute, key column).
ENTITIES = {"action": ("actions", "ref"), "audit": ("audits", "audit_id"), "inspection": ("inspections", "ref")}


class Tables(Protocol):
    """What the store hands over (store.queries.tables.TrackerTables)."""

    @property
    def actions(self) -> pd.DataFrame: ...
    @property
    def audits(self) -> pd.DataFrame: ...
    @property
    def inspections(self) -> pd.DataFrame: ...
    @property
    def cycles(self) -> pd.DataFrame: ...
    @property
    def cycle_items(self) -> pd.DataFrame: ...
    @property
    def history(self) -> pd.DataFrame: ...
    @property
    def since(self) -> pd.Timestamp | None: ...


@dataclass(frozen=True)
class Frames:
    """The current tracker plus the history needed to rebuild it as at past dates."""

    actions: pd.DataFrame  # ref, audit_id, risk, business_group, owner_email, due_date, revised_due_date,
    #                            status, delay_reason, key_theme, implemented_on (what the figures read)
    audits: pd.DataFrame  # audit_id, title, received, kind, assurance, restricted
    inspections: pd.DataFrame  # ref, inspection, inspection_year, scope, kind, theme, business_group, ...
    cycles: pd.DataFrame  # id, opened_at, closed_at, deadline, status
    cycle_items: pd.DataFrame  # cycle_id, action_id, inspection_id, business_group, responded_at
    history: pd.DataFrame  # at, entity, entity_ref, field, old_value, pos; in (at, id) order, from `since`
    since: pd.Timestamp | None  # the history is complete from this instant on (None: all of it)
    portal: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(PORTAL_COLUMNS)))


DEFAULT_ZONE = zone_named(DEFAULT_TIMEZONE)  # TRACKER_TIMEZONE's default (config.Settings.zone)


def day_start(d: date, *, zone: ZoneInfo = DEFAULT_ZONE) -> pd.Timestamp:
    """Local midnight in ``zone`` at the start of ``d``, as a UTC instant: changes from then on are
    'after' the day before (23:30 UTC on a summer day is already the next day in London)."""
    return pd.Timestamp(local_to_utc(d, time.min, zone))


# pandas' nanosecond timestamps end in 2262 and start in 1677. A stored date beyond them (9999-12-31
# typed as a revised date, 0001-01-01 from some import) is held at these bounds, which keeps its
# meaning for every figure (far future: not overdue, not forthcoming; far past: overdue and stale).
_EARLIEST, _LATEST = pd.Timestamp(1900, 1, 1), pd.Timestamp(2200, 12, 31)


def _bounded(value: Any) -> pd.Timestamp:
    text = value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    try:
        year = int(text.lstrip()[: text.lstrip().index("-", 1)])
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


# Date columns of the store's tables, as the driver gave them (parsed here, where pandas' limits are known).
_DATE_COLUMNS = {
    "actions": ("due_date", "revised_due_date", "implemented_on"),
    "inspections": ("due_date", "submitted_on", "closed_on"),
    "cycles": ("deadline",),
    "portal": ("as_of",),
}


def _with_dates(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    return frame.assign(**{col: to_dates(frame[col]) for col in columns if col in frame})


def frames_from_tables(tables: Tables) -> Frames:
    """The report's frames from the store's tables: dates parsed, history rows located in their frames."""
    actions = _with_dates(tables.actions, _DATE_COLUMNS["actions"])
    inspections = _with_dates(tables.inspections, _DATE_COLUMNS["inspections"])
    cycles = _with_dates(tables.cycles, _DATE_COLUMNS["cycles"])
    history = _positions(tables.history, {"actions": actions, "audits": tables.audits, "inspections": inspections})
    portal = getattr(tables, "portal", None)  # stores built before issue 23 hand over no portal figures
    portal = (
        _with_dates(portal, _DATE_COLUMNS["portal"]) if portal is not None else pd.DataFrame(columns=PORTAL_COLUMNS)
    )
    return Frames(actions, tables.audits, inspections, cycles, tables.cycle_items, history, tables.since, portal)


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
