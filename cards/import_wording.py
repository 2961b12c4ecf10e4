"""The words for a workbook import: each problem the store found, where it is, and what was imported.

store/workbook/ returns ImportProblem codes and facts (domain/import_problems.py) and the counts of
an ImportResult; the command line's `import` (cli/tracker.py) prints these words. Lower case, no
full stop: they are printed as lines under "error: FILE: N problems; nothing was imported:".
"""

from __future__ import annotations

from datetime import date
from typing import Callable, Iterable, Mapping

from cards.update_wording import problem_words as update_problem_words
from domain import update_problems as U
from domain.import_preview import ADDED, CLOSED, ImportPreview
from domain.import_problems import ImportCode as C
from domain.import_problems import ImportProblem
from domain.phrases import count_of
from domain.update_problems import UpdateProblem

__all__ = ["reason_words", "problem_line", "problem_lines", "problems_heading", "import_summary", "preview_lines"]


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _listed(values: Iterable[str]) -> str:
    return ", ".join(values)


_ON_THE_LISTS = "is not in the configured list"
_NOT_ON_PEOPLE = "is not on the People sheet or in the tracker"

_REASONS: dict[C, Callable[[ImportProblem], str]] = {
    C.FILE_NOT_FOUND: lambda p: "file not found",
    C.NOT_A_WORKBOOK: lambda p: "not an .xlsx workbook",
    C.NOT_PERMITTED: lambda p: "only Strategy & Governance staff import the tracker",
    C.NO_TRACKER_SHEETS: lambda p: f"no tracker sheets found: expected {_listed(p.choices)}",
    C.SECOND_SHEET: lambda p: f"a second '{p.value}' sheet",
    C.MAPPING_UNREADABLE: lambda p: f"the mapping cannot be read: {p.value}",
    C.MAPPING_UNKNOWN_SHEET: lambda p: f"the mapping names sheet '{p.value}': use one of {_listed(p.choices)}",
    C.MAPPING_UNKNOWN_COLUMN: lambda p: f"the mapping names column '{p.value}': use one of {_listed(p.choices)}",
    C.UNKNOWN_COLUMN: lambda p: f"unknown column '{p.value}': expected {_listed(p.choices)}",
    C.COLUMN_MISSING: lambda p: "required column is missing",
    C.VALUE_REQUIRED: lambda p: "a value is required",
    # one wording for text over its cap, whether typed in Teams or imported
    C.TOO_LONG: lambda p: update_problem_words(UpdateProblem(U.TOO_LONG, count=p.count, limit=p.limit)),
    C.NOT_AN_EMAIL: lambda p: f"'{p.value}' is not an email address",
    C.NOT_A_DATE: lambda p: f"'{p.value}' is not a date: use an Excel date or YYYY-MM-DD",
    C.NOT_IN_DATE_FORMAT: lambda p: f"'{p.value}' is not a date written as the mapping says ({_listed(p.choices)})",
    C.NOT_A_CHOICE: lambda p: f"'{p.value}' is not one of: {_listed(p.choices)}",
    C.NOT_A_QUARTER: lambda p: f"'{p.value}' is not a quarter like 2019/20 Q4 (or only a financial year like 2017/18)",
    C.NOT_A_COUNT: lambda p: f"'{p.value}' is not a count (a whole number, 0 or more)",
    C.NOT_A_FINANCIAL_YEAR: lambda p: f"'{p.value}' is not a financial year like 2018/19",
    C.YEARS_NOT_CONSECUTIVE: lambda p: f"{p.value} is not a financial year (expected {_listed(p.choices)})",
    C.NOT_YES_NO: lambda p: f"'{p.value}' is not yes or no",
    C.NOT_ACTIVE_OR_LEFT: lambda p: f"'{p.value}' is not yes or no (no: the person has left)",
    C.UNKNOWN_ROLES: lambda p: f"unknown role {_listed(p.choices)}: use {_listed(p.allowed)}",
    C.NOT_A_LINK: lambda p: f"'{p.value}' is not a web link (http:// or https://)",
    C.DATE_OUT_OF_RANGE: lambda p: (
        f"{_iso(p.on)} is not between {_iso(p.earliest)} and {_iso(p.latest)} (ten years from today): check the year"
    ),
    C.DUPLICATE_KEY: lambda p: f"duplicate {p.column} '{p.value}' (also on row {p.other_row})",
    C.UNKNOWN_GROUP: lambda p: (
        f"unknown business group '{p.value}' {_ON_THE_LISTS}: check the spelling or add it on the Lists sheet"
    ),
    C.UNKNOWN_DELAY_REASON: lambda p: (
        f"unknown delay reason '{p.value}' {_ON_THE_LISTS}: pick one from the list or add it on the Lists sheet"
    ),
    C.UNKNOWN_AUDIT: lambda p: f"audit '{p.value}' is not on the Audits sheet or in the tracker",
    C.FOLLOWS_ITSELF: lambda p: f"audit '{p.value}' cannot follow up itself",
    C.FOLLOWS_NOT_A_FOLLOW_UP: lambda p: (
        f"only a follow-up follows another audit: set kind to follow-up or leave follows empty (it names '{p.value}')"
    ),
    C.UNKNOWN_OWNER: lambda p: f"owner '{p.value}' {_NOT_ON_PEOPLE}",
    C.UNKNOWN_DELEGATE: lambda p: f"delegate '{p.value}' {_NOT_ON_PEOPLE}",
    C.DUE_DATE_FIXED: lambda p: (
        f"the original due date cannot change after import (stored {_iso(p.on)}); "
        "put a new date in revised_due_date instead"
    ),
    C.ID_IN_USE: lambda p: (
        f"{p.column} '{p.value}' already belongs to {p.held_by} in the tracker: "
        "check the id; to move it, clear theirs in one import and give it here in the next"
    ),
    C.ALREADY_ON_TRACKER: lambda p: (
        f"{p.column} '{p.value}' is already on the tracker: give a new one, or change the existing one on its page"
    ),
}


def reason_words(problem: ImportProblem) -> str:
    """What is wrong, e.g. "'31/02/2021' is not a date: use an Excel date or YYYY-MM-DD"."""
    return _REASONS[problem.code](problem)


def problem_line(problem: ImportProblem) -> str:
    """Where and what: 'Actions row 4, column due_date: ...'; the file or a whole sheet has no row."""
    column = f"'{problem.source}' ({problem.column})" if problem.source else problem.column
    where = (
        problem.sheet.strip()
        + (f" row {problem.row}" if problem.row else "")
        + (f", column {column}" if column else "")
    )
    return f"{where}: {reason_words(problem)}"


def problem_lines(problems: Iterable[ImportProblem]) -> list[str]:
    """Every problem's line, by sheet, row and column (then by their words, so the order never varies)."""
    ordered = sorted(problems, key=lambda p: (p.sheet, p.row, p.column, reason_words(p)))
    return [problem_line(p) for p in ordered]


def problems_heading(source: str, problems: int) -> str:
    """'tracker.xlsx: 3 problems; nothing was imported', above the problem lines (command line and tab)."""
    return f"{source}: {count_of(problems, 'problem')}; nothing was imported"


def import_summary(created: Mapping[str, int], updated: Mapping[str, int]) -> str:
    """'actions: 2 new, 0 changed; people: 1 new, 1 changed', or 'nothing to import'."""
    parts = [
        f"{sheet}: {created.get(sheet, 0)} new, {updated.get(sheet, 0)} changed"
        for sheet in sorted(set(created) | set(updated))
    ]
    return "; ".join(parts) or "nothing to import"


def _value(text: str | None) -> str:
    return f"'{text}'" if text is not None else "(empty)"


def preview_lines(preview: ImportPreview) -> list[str]:
    """The dry run: the counts ('actions: 2 new, 1 changed'; '1 action would be closed'), then a line
    per row: 'added action R-9', 'closed action R-1: status 'in progress' -> 'closed''."""
    lines = [import_summary(preview.added, preview.changed)]
    closed = [count_of(n, entity) for entity, n in sorted(preview.closed.items())]
    if closed:
        lines.append(f"closed: {', '.join(closed)}")
    for row in preview.rows:
        head = f"{row.kind} {row.entity} {row.ref}"
        if row.kind == ADDED or not row.changes:
            lines.append(head)
            continue
        fields = "; ".join(f"{c.field} {_value(c.old)} -> {_value(c.new)}" for c in row.changes)
        lines.append(f"{head}: {fields}" if row.kind != CLOSED or fields else head)
    return lines
