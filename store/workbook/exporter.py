"""Export the store as the workbook the import reads, plus a History sheet."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.text import clean
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
from store.workbook.apply import person_links
from store.workbook.columns import SHEETS
from store.workbook.flat import action_flat, audit_flat, inspection_flat, person_flat

__all__ = ["export_workbook", "write_rows"]

# Text starting with these would be read by spreadsheet programs as a formula (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@")
_HISTORY_COLUMNS = ("at", "actor", "channel", "entity", "ref", "field", "old_value", "new_value")


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


def write_rows(ws: Worksheet, header: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
    """Header in bold, dates as real dates, text never turned into a formula."""
    header = list(header)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for values in rows:
        ws.append([_cell_value(v) for v in values])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                cell.data_type = "s"  # openpyxl would otherwise store '=...' as a formula
                cell.quotePrefix = True
            elif isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    for index, name in enumerate(header, start=1):
        ws.column_dimensions[ws.cell(1, index).column_letter].width = max(12, min(45, len(name) + 4))


def _people_rows(session: Session) -> list[list[Any]]:
    rows = []
    for person in session.scalars(select(Person).order_by(Person.email)):
        flat = person_flat(person, *person_links(session, person))
        flat["business_group"] = "; ".join(flat["business_group"]) or None
        flat["active"] = "yes" if flat["active"] else "no"
        rows.append([flat[c.name] for c in SHEETS["people"]])
    return rows


def export_workbook(session: Session, path: str | Path) -> dict[str, int]:
    """Write every sheet; returns the number of rows per sheet."""
    wb = Workbook()
    wb.remove(wb.active)
    counts: dict[str, int] = {}

    def sheet(title: str, key: str, rows: list[list[Any]]) -> None:
        write_rows(wb.create_sheet(title), [c.name for c in SHEETS[key]], rows)
        counts[title] = len(rows)

    sheet("People", "people", _people_rows(session))
    sheet(
        "Audits",
        "audits",
        [
            [audit_flat(a)[c.name] for c in SHEETS["audits"]]
            for a in session.scalars(select(Audit).order_by(Audit.audit_id))
        ],
    )
    sheet(
        "Actions",
        "actions",
        [
            [action_flat(a)[c.name] for c in SHEETS["actions"]]
            for a in session.scalars(select(Action).order_by(Action.ref))
        ],
    )
    sheet(
        "Inspections",
        "inspections",
        [
            [inspection_flat(i)[c.name] for c in SHEETS["inspections"]]
            for i in session.scalars(select(InspectionItem).order_by(InspectionItem.ref))
        ],
    )
    portal = session.scalars(select(PortalFigure).order_by(PortalFigure.as_of, PortalFigure.theme)).all()
    if portal:  # optional: only a tracker that imported the inspectorate's portal figures has them
        sheet("Portal", "portal", [[p.as_of, p.theme, p.recommendations, p.afis] for p in portal])
    lists = [["business_group", n] for n in session.scalars(select(BusinessGroup.name).order_by(BusinessGroup.name))]
    lists += [
        ["delay_reason", v]
        for v in session.scalars(select(DelayReason.value).order_by(DelayReason.position, DelayReason.value))
    ]
    sheet("Lists", "lists", lists)
    history = [
        [
            h.at.replace(tzinfo=None),
            history_actor(h.actor, h.on_behalf_of),
            h.channel,
            h.entity,
            h.entity_ref,
            h.field,
            h.old_value,
            h.new_value,
        ]
        for h in session.scalars(select(HistoryEntry).order_by(HistoryEntry.id))
    ]
    write_rows(wb.create_sheet("History"), _HISTORY_COLUMNS, history)
    counts["History"] = len(history)
    wb.save(path)
    return counts
