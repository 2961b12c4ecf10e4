"""One panel report as at a date: the figures, the tables and the data behind the charts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from reports.asof import state_as_of
from reports.figures import Flags, compute_figures, figures_from_state, headline, previous_quarter_end, response_rate
from reports.frames import DEFAULT_ZONE, Frames, Tables, frames_from_tables
from reports.sections import section_figures
from reports.tables import open_by_quarter_due, pack_tables

__all__ = ["Report", "build_report", "report_from_frames", "history_since", "figures_as_of"]


@dataclass(frozen=True)
class Report:
    as_of: date
    figures: dict[str, Any]  # exactly the `report --json` document
    tables: dict[str, pd.DataFrame]  # sheet name -> table
    open_by_quarter: pd.DataFrame  # outstanding by quarter due (rows) x business group (columns)
    current_quarter: str
    # The update cycle before the latest one, as the seed compares them ("45%, down from 80%").
    # Not one of the `--json` figures, whose keys are fixed.
    previous_response_rate: dict[str, Any] | None = None


def history_since(as_of: date) -> date:
    """The first day whose changes a report as at ``as_of`` needs (the previous quarter is rebuilt too):
    the previous quarter's last day, as the store loads from UTC midnight and a local day may start
    before it (British Summer Time)."""
    return previous_quarter_end(as_of)


def report_from_frames(frames: Frames, as_of: date, *, zone: ZoneInfo = DEFAULT_ZONE) -> Report:
    state = state_as_of(frames, as_of, zone=zone)
    flags = Flags(state)
    figures = figures_from_state(state)
    before = state_as_of(frames, previous_quarter_end(as_of), zone=zone)
    figures["previous_quarter"] = headline(Flags(before))
    figures.update(section_figures(flags))
    by_quarter, current = open_by_quarter_due(flags)
    same_cycle = before.cycle is None or (state.cycle is not None and before.cycle["id"] == state.cycle["id"])
    previous_rate = None if same_cycle else response_rate(before)
    tables = pack_tables(flags, figures, previous_response_rate=previous_rate)
    return Report(as_of, figures, tables, by_quarter, current, previous_rate)


def build_report(tables: Tables, as_of: date, *, zone: ZoneInfo = DEFAULT_ZONE) -> Report:
    """The report from the store's tables, loaded with history from ``history_since(as_of)`` on
    (``store.queries.tables.load_tables``)."""
    return report_from_frames(frames_from_tables(tables), as_of, zone=zone)


def figures_as_of(tables: Tables, as_of: date, *, zone: ZoneInfo = DEFAULT_ZONE) -> dict[str, Any]:
    """The figures only (the bot's card, `report --json`)."""
    return compute_figures(frames_from_tables(tables), as_of, zone=zone)
