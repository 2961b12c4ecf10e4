"""New actions and every history row of an import, inserted with one executemany INSERT each.

Issue 25: an ORM object and a flush per row was most of a 20,000-action import. The rows go in, in
the caller's transaction, after the sheets are applied (store/workbook/apply.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from store.db.models import Action, HistoryEntry
from store.history import CREATED, Change, ChangeContext, history_values

__all__ = ["BulkRows"]

_STATEMENT_ROWS = 5000  # bounded statements; the triggers fire per row


class BulkRows:
    def __init__(self, session: Session, ctx: ChangeContext) -> None:
        self.s, self.ctx = session, ctx
        self.actions: list[dict[str, Any]] = []
        self.history: list[dict[str, Any]] = []

    @property
    def history_rows(self) -> int:
        return len(self.history)

    def record(self, entity: str, ref: str, created: bool, changes: list[Change]) -> None:
        """The history rows of one sheet row: one "created" row for a new one, else one per change."""
        rows = history_values(self.ctx, entity, ref, [Change(CREATED, None, ref)] if created else changes)
        self.history.extend(rows)  # in the order the ORM would have flushed them: ids run the same

    def insert_all(self) -> None:
        for model, rows in ((Action, self.actions), (HistoryEntry, self.history)):
            for start in range(0, len(rows), _STATEMENT_ROWS):
                # render_nulls: a None is sent as NULL, not left out, so rows with blanks in different
                # columns still share one executemany (else they split into runs of a row or two).
                self.s.execute(
                    insert(model).execution_options(render_nulls=True), rows[start : start + _STATEMENT_ROWS]
                )
