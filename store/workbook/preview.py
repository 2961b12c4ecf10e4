"""What an import would change, without storing anything: the dry run (`import --dry-run`) and the
tab's upload preview call this one service; the tab's "apply" calls `import_previewed`.

The import runs for real inside a savepoint, so the preview is exactly what the import would do
(every check, every translation of a mapping); the changes are read back from the history rows it
wrote, and the savepoint is rolled back whatever happens. The caller's transaction is left as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.import_preview import ADDED, CHANGED, CLOSED, FieldChange, ImportPreview, RowPreview, preview_digest
from domain.permissions import Viewer
from store.db.models import HistoryEntry
from store.history import CREATED, ChangeContext
from store.workbook.importer import ImportResult, import_workbook
from store.workbook.mapping import Mapping

__all__ = [
    "RowPreview",
    "FieldChange",
    "ImportPreview",
    "preview_import",
    "import_previewed",
    "Previewed",
    "APPLIED",
    "STALE",
]

_CLOSED = ("closed",)
APPLIED, STALE = "applied", "stale"


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


def _read_back(session: Session, last: int, ctx: ChangeContext, result: ImportResult) -> ImportPreview:
    """What the import just did, from the history rows it wrote after row ``last``."""
    mine = (HistoryEntry.id > last, HistoryEntry.at == ctx.at, HistoryEntry.actor == ctx.actor)
    rows = _rows(list(session.scalars(select(HistoryEntry).where(*mine).order_by(HistoryEntry.id))))
    closed: dict[str, int] = {}
    for row in rows:
        if row.kind == CLOSED:
            closed[row.entity] = closed.get(row.entity, 0) + 1
    return ImportPreview(dict(result.created), dict(result.updated), closed, rows)


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
        return _read_back(session, last, ctx, result)
    finally:
        savepoint.rollback()


@dataclass(frozen=True)
class Previewed:
    """APPLIED: ``result`` was imported and ``preview`` is what it did. STALE: nothing was kept, and
    ``preview`` is what the import would do now (the tracker changed since the person's preview)."""

    outcome: str
    preview: ImportPreview
    result: ImportResult | None = None


def import_previewed(
    session: Session,
    viewer: Viewer,
    *,
    path: str | Path,
    ctx: ChangeContext,
    expected: str,
    today: date | None = None,
    mapping: Mapping | None = None,
) -> Previewed:
    """Import ``path`` only if it changes exactly what the preview the person approved showed
    (``expected``: its ``preview_digest``), all or nothing: between a preview and its "apply" an owner
    may have answered, or another instance imported, and the person agreed to what they saw. Raises
    WorkbookError as the import does; every check runs again, nothing is taken from the preview."""
    last = session.scalar(select(func.max(HistoryEntry.id))) or 0
    savepoint = session.begin_nested()
    try:
        result = import_workbook(session, viewer, path=path, ctx=ctx, today=today, mapping=mapping)
        done = _read_back(session, last, ctx, result)
    except BaseException:
        savepoint.rollback()
        raise
    if preview_digest(done) != expected:
        savepoint.rollback()
        return Previewed(STALE, done)
    savepoint.commit()
    return Previewed(APPLIED, done, result)
