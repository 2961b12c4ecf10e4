"""All-or-nothing import: check every row against the workbook and the store, then apply.

The caller owns the transaction; on any problem nothing is added to the session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.import_problems import ImportCode
from domain.permissions import Viewer
from store.db.models import Action, Audit, BusinessGroup, DelayReason, Person
from store.history import ChangeContext
from store.workbook.apply import Applier
from store.workbook.constraints import constraint_problems
from store.workbook.mapping import Mapping
from store.workbook.reader import ImportProblem, ParsedWorkbook, WorkbookError, read_workbook

__all__ = ["ImportResult", "import_workbook", "import_parsed"]


@dataclass
class ImportResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    history_rows: int = 0


class _Known:
    """Names the workbook may refer to: what the store has plus what the workbook adds."""

    def __init__(self, session: Session, wb: ParsedWorkbook):
        self.groups = {n.lower(): n for n in session.scalars(select(BusinessGroup.name))}
        self.reasons = {v.lower(): v for v in session.scalars(select(DelayReason.value))}
        for row in wb.sheets.get("lists", []):
            target = self.groups if row.values.get("list") == "business_group" else self.reasons
            value = row.values.get("value")
            if value:
                target.setdefault(value.lower(), value)
        self.audits = set(session.scalars(select(Audit.audit_id)))
        self.audits |= {r.values["audit_id"] for r in wb.sheets.get("audits", []) if r.values.get("audit_id")}
        self.emails = {e.lower() for e in session.scalars(select(Person.email))}
        self.emails |= {r.values["email"] for r in wb.sheets.get("people", []) if r.values.get("email")}
        self.due_dates = dict(session.execute(select(Action.ref, Action.due_date)).tuples().all())


def _check_references(wb: ParsedWorkbook, known: _Known) -> list[ImportProblem]:
    problems: list[ImportProblem] = []

    def need(sheet: str, row: int, column: str, value: Any, pool: Any, code: ImportCode) -> None:
        if value is not None and value.lower() not in pool:
            problems.append(ImportProblem(wb.titles[sheet], row, column, code, value=value))

    for r in wb.sheets.get("people", []):
        for group in r.values.get("business_group") or ():
            need("people", r.row, "business_group", group, known.groups, ImportCode.UNKNOWN_GROUP)
        for email in r.values.get("delegates") or ():
            need("people", r.row, "delegates", email, known.emails, ImportCode.UNKNOWN_DELEGATE)
    audits = {a.lower() for a in known.audits}
    for r in wb.sheets.get("audits", []):
        v = r.values
        need("audits", r.row, "follows", v.get("follows"), audits, ImportCode.UNKNOWN_AUDIT)
        if v.get("follows") and str(v["follows"]).lower() == str(v.get("audit_id") or "").lower():
            problems.append(
                ImportProblem(wb.titles["audits"], r.row, "follows", ImportCode.FOLLOWS_ITSELF, value=v["follows"])
            )
        elif v.get("follows") and v.get("kind") == "original":
            problems.append(
                ImportProblem(
                    wb.titles["audits"], r.row, "follows", ImportCode.FOLLOWS_NOT_A_FOLLOW_UP, value=v["follows"]
                )
            )
    for r in wb.sheets.get("actions", []):
        v = r.values
        need("actions", r.row, "audit_id", v.get("audit_id"), audits, ImportCode.UNKNOWN_AUDIT)
        need("actions", r.row, "business_group", v.get("business_group"), known.groups, ImportCode.UNKNOWN_GROUP)
        need("actions", r.row, "owner_email", v.get("owner_email"), known.emails, ImportCode.UNKNOWN_OWNER)
        need("actions", r.row, "delay_reason", v.get("delay_reason"), known.reasons, ImportCode.UNKNOWN_DELAY_REASON)
        stored = known.due_dates.get(str(v.get("ref")))
        if stored is not None and v.get("due_date") is not None and v["due_date"] != stored:
            problems.append(
                ImportProblem(wb.titles["actions"], r.row, "due_date", ImportCode.DUE_DATE_FIXED, on=stored)
            )
    for r in wb.sheets.get("inspections", []):
        v = r.values
        need("inspections", r.row, "business_group", v.get("business_group"), known.groups, ImportCode.UNKNOWN_GROUP)
        need("inspections", r.row, "owner_email", v.get("owner_email"), known.emails, ImportCode.UNKNOWN_OWNER)
    return problems


def import_workbook(
    session: Session,
    viewer: Viewer,
    *,
    path: str | Path,
    ctx: ChangeContext,
    today: date | None = None,
    mapping: Mapping | None = None,
) -> ImportResult:
    """Import the file as `viewer`, or raise WorkbookError listing every problem (the session is untouched).

    Only someone who may import (domain/permissions.py) does: anyone else gets NOT_PERMITTED, before
    the file is read. ``today`` (local; default the day of ``ctx.at``) bounds the dates: 1 January
    2000 to ten years on. ``mapping`` reads a force's own layout (store/workbook/mapping.py; else a
    Mapping sheet in the file)."""
    if not viewer.may_import:
        raise WorkbookError([ImportProblem(str(path), 0, "", ImportCode.NOT_PERMITTED)])
    wb = read_workbook(path, today=today or ctx.at.date(), mapping=mapping)
    return import_parsed(session, wb, ctx=ctx)


def import_parsed(
    session: Session, wb: ParsedWorkbook, *, ctx: ChangeContext, problems: Iterable[ImportProblem] = ()
) -> ImportResult:
    """Check parsed rows against the store and apply them, or raise WorkbookError with every problem
    (``problems``: those the caller found first) and the session untouched. The file's import and the
    tab's new-audit form (store/updates/creation.py, rows not read from a file) both come through here."""
    known = _Known(session, wb)
    # Reference checks run even when cells failed to parse, so one run reports every problem.
    found = [
        *problems,
        *wb.problems,
        *wb.named(_check_references(wb, known)),
        *wb.named(constraint_problems(session, wb)),
    ]
    if found:
        raise WorkbookError(found)
    applier = Applier(session, ctx, canonical_groups=known.groups, canonical_reasons=known.reasons)
    applier.apply(wb)
    return ImportResult(created=applier.created, updated=applier.updated, history_rows=applier.history_rows)
