"""What the database would refuse, found before anything is written: every unique constraint and
every column length of the tables an import writes, reported by sheet, row and column.

The reader already refuses a repeated key (email, audit_id, ref) within a sheet; this adds what needs
the store or the whole workbook: an Entra object id given twice, or one the tracker already gives to
someone else; a value repeated in a list of the Lists sheet; and text longer
than its database column (SQLite would keep it, PostgreSQL refuses it). The limits are read from the
models, so a column made shorter or longer there changes the check with it.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Iterator

from sqlalchemy import String, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from domain.import_problems import ImportCode, ImportProblem
from store.db.models import Action, Audit, BusinessGroup, DelayReason, InspectionItem, Person
from store.workbook.reader import ParsedWorkbook

__all__ = ["UNIQUE_CHECKS", "constraint_problems"]

_MODELS: dict[str, Any] = {"people": Person, "audits": Audit, "actions": Action, "inspections": InspectionItem}
# Cells stored in another table's column than their sheet's own.
_STORED_IN: dict[tuple[str, str], InstrumentedAttribute[Any]] = {
    ("people", "business_group"): BusinessGroup.name,
    ("people", "delegates"): Person.email,
    ("actions", "audit_id"): Audit.audit_id,
    ("actions", "business_group"): BusinessGroup.name,
    ("actions", "owner_email"): Person.email,
    ("inspections", "business_group"): BusinessGroup.name,
    ("inspections", "owner_email"): Person.email,
    ("lists", "business_group"): BusinessGroup.name,
    ("lists", "delay_reason"): DelayReason.value,
}
# Each unique column an import writes, and where it is kept unique (tests/store/workbook/
# test_import_constraints.py checks that this covers every unique constraint of those tables).
UNIQUE_CHECKS = {
    "people.email": "reader: a repeated email is DUPLICATE_KEY; emails are stored lower case",
    "people.aad_object_id": "here: _object_ids",
    "audits.audit_id": "reader: DUPLICATE_KEY",
    "actions.ref": "reader: DUPLICATE_KEY",
    "inspection_items.ref": "reader: DUPLICATE_KEY",
    "business_groups.name": "here: _list_repeats (and the importer matches names without case)",
    "delay_reasons.value": "here: _list_repeats (and the importer matches names without case)",
    "person_roles": "primary key of a set: the roles of a row are a set",
    "group_leads": "primary key of a set: the importer writes a set of (group, role)",
    "delegations": "primary key of a set: the delegates of a row are a set",
}


def constraint_problems(session: Session, wb: ParsedWorkbook) -> list[ImportProblem]:
    """Every row the database would refuse, found before anything is added to the session."""
    return [*_too_long(wb), *_list_repeats(wb), *_object_ids(session, wb)]


@cache
def _limit(sheet: str, column: str, kind: str | None) -> int | None:
    """The length of the database column a cell goes to (``kind``: the list a Lists row is of)."""
    if sheet == "lists":
        attribute = _STORED_IN.get((sheet, str(kind)))
    else:
        attribute = _STORED_IN.get((sheet, column)) or getattr(_MODELS[sheet], column, None)
    kind_of = getattr(attribute, "type", None)
    return kind_of.length if isinstance(kind_of, String) else None


def _too_long(wb: ParsedWorkbook) -> Iterator[ImportProblem]:
    for sheet, rows in wb.sheets.items():
        if sheet not in _MODELS and sheet != "lists":
            continue
        for r in rows:
            kind = r.values.get("list") if sheet == "lists" else None
            for column, value in r.values.items():
                limit = _limit(sheet, column, kind)
                if limit is None:
                    continue
                for text in value if isinstance(value, tuple) else (value,):
                    if isinstance(text, str) and len(text) > limit:
                        yield ImportProblem(
                            wb.titles[sheet], r.row, column, ImportCode.TOO_LONG, count=len(text), limit=limit
                        )
                        break


def _list_repeats(wb: ParsedWorkbook) -> Iterator[ImportProblem]:
    """A value twice in one list of the Lists sheet (the same words, whatever their case)."""
    first: dict[tuple[str, str], int] = {}
    for r in wb.sheets.get("lists", []):
        kind, value = r.values.get("list"), r.values.get("value")
        if not kind or not value:
            continue
        seen = first.setdefault((kind, value.lower()), r.row)
        if seen != r.row:
            yield ImportProblem(
                wb.titles["lists"], r.row, "value", ImportCode.DUPLICATE_KEY, value=value, other_row=seen
            )


def _object_ids(session: Session, wb: ParsedWorkbook) -> Iterator[ImportProblem]:
    """An Entra object id belongs to one person: not two rows of the workbook, nor a row and someone
    else the tracker gives it to. Moving an id takes two imports (clear it, then give it): within one,
    the database could meet the new holder's row before the old holder's is cleared."""
    if "aad_object_id" not in wb.columns.get("people", set()):
        return
    stored = session.execute(select(Person.aad_object_id, Person.email).where(Person.aad_object_id.is_not(None)))
    holders = {aad.lower(): email for aad, email in stored.tuples() if aad is not None}
    first: dict[str, int] = {}
    for r in wb.sheets.get("people", []):
        aad, email = r.values.get("aad_object_id"), r.values.get("email")
        if not aad or not email:
            continue
        seen = first.setdefault(aad.lower(), r.row)
        holder = holders.get(aad.lower())
        if seen != r.row:
            yield ImportProblem(
                wb.titles["people"], r.row, "aad_object_id", ImportCode.DUPLICATE_KEY, value=aad, other_row=seen
            )
        elif holder is not None and holder != email:
            yield ImportProblem(
                wb.titles["people"], r.row, "aad_object_id", ImportCode.ID_IN_USE, value=aad, held_by=holder
            )
