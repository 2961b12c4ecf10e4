"""All-or-nothing import: check every row against the workbook and the store, then apply.

The caller owns the transaction; on any problem nothing is added to the session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.history import ChangeContext
from store.db.models import Action, Audit, BusinessGroup, DelayReason, Person
from store.workbook.apply import Applier
from store.workbook.reader import ImportProblem, ParsedWorkbook, WorkbookError, read_workbook

__all__ = ["ImportResult", "import_workbook"]


@dataclass
class ImportResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    history_rows: int = 0

    def summary(self) -> str:
        parts = [
            f"{sheet}: {self.created.get(sheet, 0)} new, {self.updated.get(sheet, 0)} changed"
            for sheet in sorted(set(self.created) | set(self.updated))
        ]
        return "; ".join(parts) or "nothing to import"


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

    def need(sheet: str, row: int, column: str, value: Any, pool: Any, what: str) -> None:
        if value is not None and value.lower() not in pool:
            problems.append(ImportProblem(wb.titles[sheet], row, column, f"{what} '{value}' {_hint(sheet, what)}"))

    for r in wb.sheets.get("people", []):
        for group in r.values.get("business_group") or ():
            need("people", r.row, "business_group", group, known.groups, "unknown business group")
        for email in r.values.get("delegates") or ():
            need("people", r.row, "delegates", email, known.emails, "delegate")
    for r in wb.sheets.get("actions", []):
        v = r.values
        need("actions", r.row, "audit_id", v.get("audit_id"), {a.lower() for a in known.audits}, "audit")
        need("actions", r.row, "business_group", v.get("business_group"), known.groups, "unknown business group")
        need("actions", r.row, "owner_email", v.get("owner_email"), known.emails, "owner")
        need("actions", r.row, "delay_reason", v.get("delay_reason"), known.reasons, "unknown delay reason")
        stored = known.due_dates.get(v.get("ref"))
        if stored is not None and v.get("due_date") is not None and v["due_date"] != stored:
            problems.append(
                ImportProblem(
                    wb.titles["actions"],
                    r.row,
                    "due_date",
                    f"the original due date cannot change after import (stored {stored.isoformat()}); "
                    "put a new date in revised_due_date instead",
                )
            )
    for r in wb.sheets.get("inspections", []):
        need(
            "inspections",
            r.row,
            "business_group",
            r.values.get("business_group"),
            known.groups,
            "unknown business group",
        )
        need("inspections", r.row, "owner_email", r.values.get("owner_email"), known.emails, "owner")
    return problems


def _hint(sheet: str, what: str) -> str:
    if "group" in what:
        return "is not in the configured list: check the spelling or add it on the Lists sheet"
    if "reason" in what:
        return "is not in the configured list: pick one from the list or add it on the Lists sheet"
    if what == "audit":
        return "is not on the Audits sheet or in the tracker"
    return "is not on the People sheet or in the tracker"


def import_workbook(
    session: Session, path: str | Path, ctx: ChangeContext, *, today: date | None = None
) -> ImportResult:
    """Import the file, or raise WorkbookError listing every problem (the session is untouched).

    ``today`` (local; default the day of ``ctx.at``) bounds the dates: 1 January 2000 to ten years on."""
    wb = read_workbook(path, today=today or ctx.at.date())
    known = _Known(session, wb)
    # Reference checks run even when cells failed to parse, so one run reports every problem.
    problems = list(wb.problems) + _check_references(wb, known)
    if problems:
        raise WorkbookError(problems)
    applier = Applier(session, ctx, canonical_groups=known.groups, canonical_reasons=known.reasons)
    applier.apply(wb)
    return ImportResult(created=applier.created, updated=applier.updated, history_rows=applier.history_rows)
