"""What the bot and the CLI do before a report: the store loads the tables, reports computes."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from reports import Frames, Report, frames_from_tables, history_since
from reports import build_report as report_from_tables
from reports import figures_as_of as figures_from_tables
from store.queries.tables import load_tables

__all__ = ["load_frames", "build_report", "figures_as_of"]


def load_frames(session: Session, since: date | None = None) -> Frames:
    return frames_from_tables(load_tables(session, since))


def build_report(session: Session, as_of: date) -> Report:
    return report_from_tables(load_tables(session, since=history_since(as_of)), as_of)


def figures_as_of(session: Session, as_of: date) -> dict[str, Any]:
    return figures_from_tables(load_tables(session, since=history_since(as_of)), as_of)
