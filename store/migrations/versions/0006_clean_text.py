"""clean stored free text (issue 10, hostile input)

Before text was cleaned at input, a progress note pasted from Word could carry a vertical tab or a
NUL, and any text a bidi override. openpyxl refuses such characters, so one row made every export
fail for ever (history is append-only). This applies the input rule (domain.text.clean: controls
other than newline and tab removed, bidi controls removed, CR LF -> LF) to what is already stored.
Only rows that change are written. Nothing to undo: the removed characters were never visible.

Revision ID: 0006_clean_text
Revises: 0004_query_indexes
Create Date: 2026-12-01 15:00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from domain.text import clean

revision: str = '0006_clean_text'
down_revision: Union[str, Sequence[str], None] = '0004_query_indexes'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# table -> its free-text columns (what people typed or a workbook imported)
_TEXT_COLUMNS = {
    "people": ("name",),
    "audits": ("title",),
    "actions": ("description", "delay_reason", "key_theme", "last_update_note", "evidence_note", "evidence_link"),
    "due_date_proposals": ("delay_reason", "decision_reason"),
    "inspection_items": ("inspection", "theme", "progress_note", "evidence_note", "evidence_link"),
    "update_cycles": ("message",),
    "history": ("old_value", "new_value"),
}
_BATCH = 2000


def upgrade() -> None:
    conn = op.get_bind()
    for name, columns in _TEXT_COLUMNS.items():
        table = sa.table(name, sa.column("id", sa.Integer), *(sa.column(c, sa.Text) for c in columns))
        last_id = 0
        while True:
            rows = conn.execute(sa.select(table).where(table.c.id > last_id).order_by(table.c.id)
                                .limit(_BATCH)).all()
            if not rows:
                break
            last_id = rows[-1].id
            for row in rows:
                changed = {c: clean(getattr(row, c)) for c in columns
                           if getattr(row, c) is not None and clean(getattr(row, c)) != getattr(row, c)}
                if changed:
                    conn.execute(sa.update(table).where(table.c.id == row.id).values(**changed))


def downgrade() -> None:
    pass  # the removed control and bidi characters cannot (and need not) be put back
