"""The store's workbook import with its problems worded as the command line says them.

The store returns codes and facts (domain/import_problems.py); these tests were written against
the words a user reads, so they import the store through this wrapper: each problem keeps its
sheet, row and column and gains ``reason`` (cards/import_wording.py) and a ``str`` that is the
command line's line for it. The codes themselves are tested in tests/store/workbook/test_import_codes.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from cards.import_wording import problem_line, reason_words
from domain import import_problems
from domain.permissions import operator_viewer
from store.history import ChangeContext
from store.workbook import ImportResult
from store.workbook import import_workbook as store_import
from store.workbook.mapping import Mapping

__all__ = ["ShownProblem", "WorkbookError", "import_workbook"]


@dataclass(frozen=True)
class ShownProblem:
    sheet: str
    row: int
    column: str
    reason: str
    line: str

    def __str__(self) -> str:
        return self.line


class WorkbookError(Exception):
    def __init__(self, error: import_problems.WorkbookError):
        super().__init__(str(error))
        self.codes = [p.code for p in error.problems]
        self.problems = [
            ShownProblem(p.sheet, p.row, p.column, reason_words(p), problem_line(p)) for p in error.problems
        ]


def import_workbook(
    session: Session, path: str | Path, ctx: ChangeContext, *, today: date | None = None, mapping: Mapping | None = None
) -> ImportResult:
    try:
        return store_import(session, operator_viewer(ctx.actor), path=path, ctx=ctx, today=today, mapping=mapping)
    except import_problems.WorkbookError as exc:
        raise WorkbookError(exc) from exc
