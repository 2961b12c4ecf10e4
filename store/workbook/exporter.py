"""Export the store as the workbook the import reads, plus a History sheet.

Rows stream from the database to the file: the database is read in batches and each row is written as
it is read (store/workbook/xlsx_stream.py), so time and memory grow with the rows, not their square
(issue 25 found `ws[ws.max_row]` read per row made 20,000 actions take minutes).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.db.models import (
    Action,
    Audit,
    BusinessGroup,
    DelayReason,
    HistoryEntry,
    InspectionItem,
    Person,
    PortalFigure,
)
from store.people.cover import history_actor
from store.workbook.columns import SHEETS
from store.workbook.flat import action_flat, audit_flat, inspection_flat, person_flat
from store.workbook.lookups import person_links
from store.workbook.xlsx_stream import StreamedWorkbook

__all__ = ["export_workbook", "write_sheets", "tracker_sheets"]

_HISTORY_COLUMNS = ("at", "actor", "channel", "entity", "ref", "field", "old_value", "new_value")
_BATCH = 2000  # rows read from the database at a time


def write_sheets(
    path: str | Path, sheets: Iterable[tuple[str, list[str], Iterable[Iterable[Any]]]], *, freeze_header: bool = False
) -> dict[str, int]:
    """Each (title, header, rows) as a sheet, the header in bold, dates as real dates, text never turned
    into a formula (store/workbook/xlsx_stream.py); returns the rows written per sheet."""
    book = StreamedWorkbook(path)
    counts: dict[str, int] = {}
    try:
        for title, header, rows in sheets:
            widths: list[float] = [max(12, min(45, len(name) + 4)) for name in header]
            with book.sheet(title, widths, freeze_header=freeze_header) as sheet:
                sheet.header(header)
                count = 0
                for count, values in enumerate(rows, start=1):
                    sheet.row(count + 1, values)
                counts[title] = count
    finally:
        book.close()
    return counts


def _people_rows(session: Session) -> Iterator[list[Any]]:
    for person in session.scalars(select(Person).order_by(Person.email)):
        flat = person_flat(person, *person_links(session, person))
        flat["business_group"] = "; ".join(flat["business_group"]) or None
        flat["active"] = "yes" if flat["active"] else "no"
        yield [flat[c.name] for c in SHEETS["people"]]


def _lists_rows(session: Session) -> Iterator[list[Any]]:
    for name in session.scalars(select(BusinessGroup.name).order_by(BusinessGroup.name)):
        yield ["business_group", name]
    for value in session.scalars(select(DelayReason.value).order_by(DelayReason.position, DelayReason.value)):
        yield ["delay_reason", value]


def _history_rows(session: Session) -> Iterator[list[Any]]:
    # Columns, not objects: a million history rows need no identity map.
    query = select(
        HistoryEntry.at,
        HistoryEntry.actor,
        HistoryEntry.on_behalf_of,
        HistoryEntry.channel,
        HistoryEntry.entity,
        HistoryEntry.entity_ref,
        HistoryEntry.field,
        HistoryEntry.old_value,
        HistoryEntry.new_value,
    ).order_by(HistoryEntry.id)
    for at, actor, behalf, channel, entity, ref, field, old, new in session.execute(
        query.execution_options(yield_per=_BATCH)
    ):
        yield [at.replace(tzinfo=None), history_actor(actor, behalf), channel, entity, ref, field, old, new]


def _objects(session: Session, query: Any) -> Iterator[Any]:
    """ORM rows read in batches: the session keeps unchanged objects only weakly, so each batch is let
    go once written and memory stays flat at 100,000 rows (the many-to-one parents come joined)."""
    for partition in session.scalars(query.execution_options(yield_per=_BATCH)).partitions():
        yield from partition


def _flat_rows(objects: Iterable[Any], flat: Callable[[Any], dict[str, Any]], names: list[str]) -> Iterator[list[Any]]:
    for one in objects:
        values = flat(one)  # once per row, not once per cell
        yield [values[name] for name in names]


def tracker_sheets(session: Session) -> Iterator[tuple[str, list[str], Iterator[list[Any]]]]:
    """(title, header, rows) of each sheet, in the workbook's order; rows are read as they are written."""

    def columns(key: str) -> list[str]:
        return [c.name for c in SHEETS[key]]

    yield "People", columns("people"), _people_rows(session)
    audits = _objects(session, select(Audit).order_by(Audit.audit_id))
    yield "Audits", columns("audits"), _flat_rows(audits, audit_flat, columns("audits"))
    actions = _objects(session, select(Action).order_by(Action.ref))
    yield "Actions", columns("actions"), _flat_rows(actions, action_flat, columns("actions"))
    items = _objects(session, select(InspectionItem).order_by(InspectionItem.ref))
    yield "Inspections", columns("inspections"), _flat_rows(items, inspection_flat, columns("inspections"))
    portal = session.scalars(select(PortalFigure).order_by(PortalFigure.as_of, PortalFigure.theme)).all()
    if portal:  # optional: only a tracker that imported the inspectorate's portal figures has them
        yield "Portal", columns("portal"), iter([[p.as_of, p.theme, p.recommendations, p.afis] for p in portal])
    yield "Lists", columns("lists"), _lists_rows(session)
    yield "History", list(_HISTORY_COLUMNS), _history_rows(session)


def export_workbook(session: Session, path: str | Path) -> dict[str, int]:
    """Write every sheet; returns the number of rows per sheet."""
    return write_sheets(path, tracker_sheets(session))
