"""What an import would change, without storing anything: the dry run (`import --dry-run`) and, later,
the tab's preview page call this one service.

The import runs for real inside a savepoint, so the preview is exactly what the import would do
(every check, every translation of a mapping); the changes are read back from the history rows it
wrote, and the savepoint is rolled back whatever happens. The caller's transaction is left as it was.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.permissions import Viewer
from domain.import_preview import ADDED, CHANGED, CLOSED, FieldChange, ImportPreview, RowPreview
from store.db.models import HistoryEntry
from store.history import CREATED, ChangeContext
from store.workbook.importer import import_workbook
from store.workbook.mapping import Mapping

__all__ = ["RowPreview", "FieldChange", "ImportPreview", "preview_import"]

_CLOSED = ("closed",)


def _rows(entries: list[HistoryEntry]) -> tuple[RowPreview, ...]:
    grouped: dict[tuple[str, str], list[HistoryEntry]] = {}
    for entry in entries:
        grouped.setdefault((entry.entity, entry.entity_ref), []).append(entry)
    out = []
    for (entity, ref), group in grouped.items():
        if any(e.field == CREATED for e in group):
            out.append(RowPreview(entity, ref, ADDED))
            continue
        changes = tuple(FieldChange(e.field, e.old_value, e.new_value) for e in group)
        closing = any(c.field == "status" and c.new in _CLOSED and c.old not in _CLOSED for c in changes)
        out.append(RowPreview(entity, ref, CLOSED if closing else CHANGED, changes))
    return tuple(out)


def preview_import(
    session: Session,
    viewer: Viewer,
    *,
    path: str | Path,
    ctx: ChangeContext,
    today: date | None = None,
    mapping: Mapping | None = None,
) -> ImportPreview:
    """What importing ``path`` as ``viewer`` would add, change and close; nothing is kept. Raises
    WorkbookError as the import would (every problem listed, NOT_PERMITTED included)."""
    last = session.scalar(select(func.max(HistoryEntry.id))) or 0
    savepoint = session.begin_nested()
    try:
        result = import_workbook(session, viewer, path=path, ctx=ctx, today=today, mapping=mapping)
        mine = (HistoryEntry.id > last, HistoryEntry.at == ctx.at, HistoryEntry.actor == ctx.actor)
        entries = list(session.scalars(select(HistoryEntry).where(*mine).order_by(HistoryEntry.id)))
        rows = _rows(entries)
    finally:
        savepoint.rollback()
    closed: dict[str, int] = {}
    for row in rows:
        if row.kind == CLOSED:
            closed[row.entity] = closed.get(row.entity, 0) + 1
    return ImportPreview(dict(result.created), dict(result.updated), closed, rows)
