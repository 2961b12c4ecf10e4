"""What an import would change (the dry run), as plain data: store/workbook/preview.py fills it,
cards/import_wording.py words it for the command line, and a web page can show the same."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

__all__ = ["FieldChange", "RowPreview", "ImportPreview", "ADDED", "CHANGED", "CLOSED", "preview_digest"]

ADDED, CHANGED, CLOSED = "added", "changed", "closed"


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str | None  # as the history writes values: ISO dates, 'yes'/'no', text
    new: str | None


@dataclass(frozen=True)
class RowPreview:
    entity: str  # person | audit | action | inspection
    ref: str
    kind: str  # ADDED | CHANGED | CLOSED (a change that closes the row)
    changes: tuple[FieldChange, ...] = ()  # empty for an added row


@dataclass(frozen=True)
class ImportPreview:
    added: dict[str, int] = field(default_factory=dict)  # sheet -> rows that would be added
    changed: dict[str, int] = field(default_factory=dict)  # sheet -> rows that would change
    closed: dict[str, int] = field(default_factory=dict)  # entity -> rows that would become closed
    rows: tuple[RowPreview, ...] = ()  # every added or changed row, in the order the import meets them

    @property
    def nothing(self) -> bool:
        return not (self.added or self.changed)


def preview_digest(preview: ImportPreview) -> str:
    """A fingerprint of everything a preview shows (counts, rows, old and new values): an import is
    applied only when it would change exactly what the person saw (store.workbook.preview.import_previewed)."""
    shown = [
        sorted(preview.added.items()),
        sorted(preview.changed.items()),
        sorted(preview.closed.items()),
        [[r.entity, r.ref, r.kind, [[c.field, c.old, c.new] for c in r.changes]] for r in preview.rows],
    ]
    return hashlib.sha256(json.dumps(shown, ensure_ascii=True).encode("ascii")).hexdigest()
