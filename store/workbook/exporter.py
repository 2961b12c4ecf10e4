"""Export the store as the workbook the import reads, plus a History sheet.

Rows stream from the database to the file: the workbook is openpyxl's write-only kind (each row is
written out as it is appended, so time and memory grow with the rows, not their square: issue 25 found
`ws[ws.max_row]` per row made 20,000 actions take minutes), and the database is read in batches.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.text import clean
from store.db.models import Action, Audit, BusinessGroup, DelayReason, HistoryEntry, InspectionItem, Person
from store.people.cover import history_actor
from store.workbook.apply import person_links
from store.workbook.columns import SHEETS
from store.workbook.flat import action_flat, audit_flat, inspection_flat, person_flat

__all__ = ["export_workbook", "write_rows", "tracker_sheets"]

# Text starting with these would be read by spreadsheet programs as a formula (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@")
_HISTORY_COLUMNS = ("at", "actor", "channel", "entity", "ref", "field", "old_value", "new_value")
_BATCH = 2000  # rows read from the database at a time
_BOLD = Font(bold=True)


def _cell_value(value: Any) -> Any:
    if isinstance(value, tuple):
        return clean(", ".join(value)) if value else None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        # Rows stored before text was cleaned at input may hold a NUL or a vertical tab, which
        # openpyxl refuses (IllegalCharacterError): clean on the way out so old rows still export.
        return clean(value)
    return value


def _cell(ws: WriteOnlyWorksheet, raw: Any) -> Any:
    """The value as written; a styled cell only where a plain value would be read wrongly."""
    value = _cell_value(raw)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell = WriteOnlyCell(ws, value)
        cell.data_type = "s"  # openpyxl would otherwise store '=...' as a formula
        cell.quotePrefix = True
        return cell
    if isinstance(value, datetime):
        cell = WriteOnlyCell(ws, value)
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return value


def write_rows(ws: WriteOnlyWorksheet, header: Iterable[str], rows: Iterable[Iterable[Any]]) -> int:
    """Header in bold, dates as real dates, text never turned into a formula; returns the rows written.

    ``ws`` belongs to a ``Workbook(write_only=True)``: column widths are set before the first row."""
    header = list(header)
    for index, name in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(12, min(45, len(name) + 4))
    head = []
    for name in header:
        cell = WriteOnlyCell(ws, name)
        cell.font = _BOLD
        head.append(cell)
    ws.append(head)
    count = 0
    for values in rows:
        ws.append([_cell(ws, v) for v in values])
        count += 1
    return count


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


def tracker_sheets(session: Session) -> Iterator[tuple[str, list[str], Iterator[list[Any]]]]:
    """(title, header, rows) of each sheet, in the workbook's order; rows are read as they are written."""

    def columns(key: str) -> list[str]:
        return [c.name for c in SHEETS[key]]

    yield "People", columns("people"), _people_rows(session)
    audits = _objects(session, select(Audit).order_by(Audit.audit_id))
    yield "Audits", columns("audits"), ([audit_flat(a)[c] for c in columns("audits")] for a in audits)
    actions = _objects(session, select(Action).order_by(Action.ref))
    yield "Actions", columns("actions"), ([action_flat(a)[c] for c in columns("actions")] for a in actions)
    items = _objects(session, select(InspectionItem).order_by(InspectionItem.ref))
    yield (
        "Inspections",
        columns("inspections"),
        ([inspection_flat(i)[c] for c in columns("inspections")] for i in items),
    )
    yield "Lists", columns("lists"), _lists_rows(session)
    yield "History", list(_HISTORY_COLUMNS), _history_rows(session)


def export_workbook(session: Session, path: str | Path) -> dict[str, int]:
    """Write every sheet; returns the number of rows per sheet."""
    wb = Workbook(write_only=True)
    counts = {
        title: write_rows(wb.create_sheet(title), header, rows) for title, header, rows in tracker_sheets(session)
    }
    wb.save(path)
    return counts
