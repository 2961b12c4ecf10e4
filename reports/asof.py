"""The tracker as it stood at the end of any past day, rebuilt from the append-only history.

Start from the current rows; drop the rows whose ``_created`` entry is after the day; then, for
every (entity, ref, field) changed after the day, put back the ``old_value`` of the EARLIEST such
change (parsed back to its type: ISO dates, 'yes'/'no'). Nothing is read from a stored copy.
"A day" ends at local midnight (TRACKER_TIMEZONE, passed in as `zone`): in British Summer Time a
change recorded at 23:30 UTC on D is already part of D + 1, not of the state as at D.
All of it is vectorised: one pass per field name, never per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from reports.frames import BOOL_FIELDS, DATE_FIELDS, DEFAULT_ZONE, ENTITIES, Frames, day_start, to_dates

__all__ = ["State", "restore", "state_as_of", "parse_values"]

CREATED = "_created"


@dataclass(frozen=True)
class State:
    """The tracker as at the end of ``as_of``."""

    as_of: date
    actions: pd.DataFrame  # action columns + the audit's title, received, kind, assurance
    audits: pd.DataFrame
    inspections: pd.DataFrame
    cycle: pd.Series | None  # the latest update cycle opened by then (None: none yet)
    cycle_items: pd.DataFrame  # its items; ``responded`` says whether the owner answered in time
    portal: pd.DataFrame | None = None  # the inspectorate portal's counts imported for dates up to as_of


def parse_values(field: str, values: pd.Series) -> pd.Series:
    """History text back to the column's type."""
    if field in DATE_FIELDS:
        return to_dates(values)
    if field in BOOL_FIELDS:
        return values.map({"yes": True, "no": False}).fillna(False).astype(bool)
    return values.astype(object).where(values.notna(), None)


def restore(frame: pd.DataFrame, history: pd.DataFrame, entity: str, key: str, after: pd.Timestamp) -> pd.DataFrame:
    """``frame`` (current rows of ``entity``, keyed by ``key``) as it was before the instant ``after``.

    ``history`` needs at, entity, entity_ref, field, old_value (and id, to order changes made in the
    same instant, unless it is already in (at, id) order); a ``pos`` column (the row's position in
    ``frame``, as frames_from_tables adds) saves looking the refs up.
    """
    h = history[(history["entity"] == entity) & (history["at"] >= after)]
    if h.empty:
        return frame
    if not h["at"].is_monotonic_increasing:
        h = h.sort_values(["at", "id"] if "id" in h else ["at"], kind="stable")
    pos = h["pos"].to_numpy() if "pos" in h else pd.Index(frame[key]).get_indexer(h["entity_ref"])
    field = h["field"] if isinstance(h["field"].dtype, pd.CategoricalDtype) else h["field"].astype("category")
    codes, names = field.cat.codes.to_numpy(), list(field.cat.categories)
    # The earliest change after the instant of each (row, field): first in time order, on int keys.
    first = ~pd.Series(pos.astype(np.int64) * len(names) + codes).duplicated().to_numpy() & (pos >= 0)
    restored = {}
    for code, name in enumerate(names):
        if name == CREATED or name not in frame.columns:
            continue
        chosen = first & (codes == code)
        if chosen.any():
            column = frame[name].to_numpy(copy=True)
            column[pos[chosen]] = parse_values(name, h["old_value"][chosen]).to_numpy()
            restored[name] = pd.Series(column, index=frame.index, name=name)
    out = frame.assign(**restored) if restored else frame
    keep = np.ones(len(frame), dtype=bool)
    if CREATED in names:
        keep[pos[(codes == names.index(CREATED)) & (pos >= 0)]] = False
    return out[keep] if not keep.all() else out


def _cycle_as_of(frames: Frames, end: pd.Timestamp) -> tuple[pd.Series | None, pd.DataFrame]:
    cycles = frames.cycles[frames.cycles["opened_at"] < end]
    if cycles.empty:
        return None, frames.cycle_items.iloc[0:0].assign(responded=pd.Series(dtype=bool))
    cycle = cycles.sort_values(["opened_at", "id"]).iloc[-1]
    items = frames.cycle_items[frames.cycle_items["cycle_id"] == cycle["id"]].copy()
    closed = cycle["closed_at"] if pd.notna(cycle["closed_at"]) and cycle["closed_at"] < end else None
    answered = items["responded_at"].notna() & (items["responded_at"] < end)
    if closed is not None:
        answered &= items["responded_at"] <= closed
    items["responded"] = answered
    return cycle, items


def state_as_of(frames: Frames, as_of: date, *, zone: ZoneInfo = DEFAULT_ZONE) -> State:
    """The tracker at the end of ``as_of`` in ``zone`` (changes from the next local midnight on are undone)."""
    after = day_start(as_of + timedelta(days=1), zone=zone)
    if frames.since is not None and frames.since > after:
        # the store loads from UTC midnight; the day itself is enough whatever the zone
        raise ValueError(
            f"the history was loaded from {frames.since.date()} only; "
            f"load it from {as_of} or earlier to rebuild {as_of}"
        )
    rebuilt = {
        attr: restore(getattr(frames, attr), frames.history, entity, key, after)
        for entity, (attr, key) in ENTITIES.items()
    }
    audits = rebuilt["audits"]
    actions = rebuilt["actions"].merge(
        audits[["audit_id", "title", "received", "kind", "assurance"]], on="audit_id", how="left"
    )
    cycle, items = _cycle_as_of(frames, after)
    portal = frames.portal[frames.portal["as_of"] <= pd.Timestamp(as_of)] if len(frames.portal) else frames.portal
    return State(as_of, actions, audits, rebuilt["inspections"], cycle, items, portal)
