"""Governance adds a new audit with its actions (the quarter's new DARA report), or new HMICFRS items.

The tab's forms send rows shaped like the workbook's. They are checked by the import's own rules,
nothing written again here: each cell by its column's parser (store/workbook/columns.py), dates by
the import's window (domain/text.py), then references and database limits by the importer
(store/workbook/importer.py), whose Applier adds them with one "created" history row each, naming
the person and the channel. What adding needs beyond an import: what is new must be new (an import
would update an audit or ref already on the tracker; here that is refused). All or nothing; outcome
codes and ImportProblems (cards/import_wording.py words them), never sentences.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterator, Mapping, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.import_problems import CellError, ImportCode, ImportProblem, WorkbookError
from domain.permissions import Viewer
from domain.text import IMPORT_EARLIEST, date_window, outside_window
from store.db.models import Action, Audit, InspectionItem
from store.history import ChangeContext
from store.workbook.columns import KEYS, SHEETS
from store.workbook.importer import import_parsed
from store.workbook.reader import ParsedRow, ParsedWorkbook

__all__ = [
    "CREATED",
    "NOT_PERMITTED",
    "INVALID",
    "AUDIT",
    "ACTIONS",
    "ITEMS",
    "AUDIT_FIELDS",
    "ACTION_FIELDS",
    "ITEM_FIELDS",
    "Creation",
    "add_audit",
    "add_inspection_items",
]

log = logging.getLogger(__name__)

CREATED, NOT_PERMITTED, INVALID = "created", "not_permitted", "invalid"
# The forms' sections: a problem's ``sheet``, its ``row`` the row in the section (1 = the first).
AUDIT, ACTIONS, ITEMS = "audit", "actions", "items"

AUDIT_FIELDS = ("audit_id", "title", "received", "kind", "assurance", "restricted", "follows")
# A new report's actions are open and have no history of updates yet: those columns are not offered.
ACTION_FIELDS = ("ref", "description", "risk", "business_group", "owner_email", "due_date", "key_theme")
ITEM_FIELDS = (
    "ref",
    "inspection",
    "inspection_year",
    "scope",
    "kind",
    "theme",
    "business_group",
    "owner_email",
    "due_date",
    "status",
    "submitted_on",
    "closed_on",
)
_NEW_STATUS = "open"


@dataclass(frozen=True)
class Creation:
    outcome: str  # CREATED | NOT_PERMITTED | INVALID
    refs: tuple[str, ...] = ()  # what was added: the audit's id, then each action's ref; or the items' refs
    problems: tuple[ImportProblem, ...] = ()  # INVALID: every one, by section, row and field


def _cell(spec: Any, raw: Any, where: tuple[str, int, str], today: date) -> tuple[Any, ImportProblem | None]:
    """One value read as the workbook's column reads it (blank, required, parsed, dates in the window)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, ImportProblem(*where, ImportCode.VALUE_REQUIRED) if spec.required else None
    try:
        value = spec.parse(raw)
    except CellError as exc:
        return None, exc.at(*where)
    if isinstance(value, date) and outside_window(value, earliest=IMPORT_EARLIEST, today=today):
        problem = ImportProblem(
            *where, ImportCode.DATE_OUT_OF_RANGE, on=value, earliest=IMPORT_EARLIEST, latest=date_window(today)
        )
        return None, problem
    return value, None


def _rows(
    section: str,
    sheet: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    fields: tuple[str, ...],
    fixed: Mapping[str, Any],
    today: date,
) -> tuple[list[ParsedRow], list[ImportProblem]]:
    """The form's rows as the workbook's sheet ``sheet`` would have them; ``fixed``: columns the form
    does not offer, set for every row."""
    specs = {c.name: c for c in SHEETS[sheet]}
    parsed: list[ParsedRow] = []
    problems: list[ImportProblem] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        for name in sorted(set(row) - set(fields)):
            problems.append(ImportProblem(section, number, name, ImportCode.UNKNOWN_COLUMN, value=name, choices=fields))
        values: dict[str, Any] = {}
        for name in (*fields, *fixed):
            raw = fixed[name] if name in fixed else row.get(name)
            values[name], problem = _cell(specs[name], raw, (section, number, name), today)
            if problem is not None:
                problems.append(problem)
        key = values.get(KEYS[sheet])
        if key is not None:
            first = seen.setdefault(str(key).lower(), number)
            if first != number:
                problems.append(
                    ImportProblem(section, number, KEYS[sheet], ImportCode.DUPLICATE_KEY, value=key, other_row=first)
                )
        parsed.append(ParsedRow(number, values))
    return parsed, problems


def _taken(session: Session, section: str, column: Any, rows: list[ParsedRow], name: str) -> Iterator[ImportProblem]:
    """Identifiers already on the tracker (matched without case, as people type them)."""
    wanted = {str(r.values[name]).upper(): r for r in rows if r.values.get(name)}
    if not wanted:
        return
    for found in session.scalars(select(column).where(func.upper(column).in_(list(wanted)))):
        row = wanted[found.upper()]
        yield ImportProblem(section, row.row, name, ImportCode.ALREADY_ON_TRACKER, value=found)


def _add(
    session: Session, wb: ParsedWorkbook, problems: list[ImportProblem], ctx: ChangeContext, refs: tuple[str, ...]
) -> Creation:
    try:
        import_parsed(session, wb, ctx=ctx, problems=problems)
    except WorkbookError as refused:
        # The import's "due date cannot change" concerns a ref already on the tracker, refused as such.
        found = (p for p in refused.problems if p.code != ImportCode.DUE_DATE_FIXED)
        return Creation(INVALID, problems=tuple(found))
    log.info("%s added by %s in %s: %s", ", ".join(wb.sheets), ctx.actor, ctx.channel, ", ".join(refs))
    return Creation(CREATED, refs=refs)


def add_audit(
    session: Session,
    viewer: Viewer,
    audit: Mapping[str, Any],
    actions: Sequence[Mapping[str, Any]],
    *,
    ctx: ChangeContext,
    today: date,
) -> Creation:
    """Add a new audit (AUDIT_FIELDS) with its actions (ACTION_FIELDS; a blank ref becomes
    ``{audit_id}-001``, ``-002``, ... by position), all of them or none."""
    if not viewer.may_import:
        log.info("new audit refused: %s may not add to the tracker", viewer.email)
        return Creation(NOT_PERMITTED)
    audits, problems = _rows(AUDIT, "audits", [audit], fields=AUDIT_FIELDS, fixed={}, today=today)
    audit_id = audits[0].values.get("audit_id") or ""
    rows = [dict(a, ref=a.get("ref") or f"{audit_id}-{n:03d}") for n, a in enumerate(actions, start=1)]
    fixed = {"audit_id": audit_id, "status": _NEW_STATUS}
    parsed, action_problems = _rows(ACTIONS, "actions", rows, fields=ACTION_FIELDS, fixed=fixed, today=today)
    # A fault in the audit's id is the audit's problem: it is not repeated on every action.
    problems += [p for p in action_problems if p.column != "audit_id"]
    if not actions:
        problems.append(ImportProblem(ACTIONS, 0, "", ImportCode.VALUE_REQUIRED))
    problems += _taken(session, AUDIT, Audit.audit_id, audits, "audit_id")
    problems += _taken(session, ACTIONS, Action.ref, parsed, "ref")
    wb = ParsedWorkbook(
        sheets={"audits": audits, "actions": parsed},
        columns={"audits": set(AUDIT_FIELDS), "actions": {*ACTION_FIELDS, *fixed}},
        titles={"audits": AUDIT, "actions": ACTIONS},
    )
    return _add(session, wb, problems, ctx, (audit_id, *(str(r.values["ref"]) for r in parsed)))


def add_inspection_items(
    session: Session, viewer: Viewer, items: Sequence[Mapping[str, Any]], *, ctx: ChangeContext, today: date
) -> Creation:
    """Add new HMICFRS items (ITEM_FIELDS; a blank status is open), all of them or none."""
    if not viewer.may_import:
        log.info("new inspection items refused: %s may not add to the tracker", viewer.email)
        return Creation(NOT_PERMITTED)
    rows = [dict(i, status=i.get("status") or _NEW_STATUS) for i in items]
    parsed, problems = _rows(ITEMS, "inspections", rows, fields=ITEM_FIELDS, fixed={}, today=today)
    if not items:
        problems.append(ImportProblem(ITEMS, 0, "", ImportCode.VALUE_REQUIRED))
    problems += _taken(session, ITEMS, InspectionItem.ref, parsed, "ref")
    wb = ParsedWorkbook(
        sheets={"inspections": parsed}, columns={"inspections": set(ITEM_FIELDS)}, titles={"inspections": ITEMS}
    )
    return _add(session, wb, problems, ctx, tuple(str(r.values["ref"]) for r in parsed))
