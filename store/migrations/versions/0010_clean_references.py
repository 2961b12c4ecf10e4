"""conversation references: drop the empty strings botbuilder stored

botbuilder 4.17 serialised a conversation reference with empty strings for what it did not know
("locale": "", "role": "", "activityId": "", a conversation "name": ""). The Microsoft 365 Agents SDK,
which now hosts the bot, refuses empty strings in those fields, so every proactive message to such a
reference would fail. This rewrites the stored references without empty strings or nulls (in
conversation_refs, an update cycle's progress card, and queued outbox messages), the shape the bot
stores since (bot/platform/facts.py). Nothing else changes; a clean reference is left as it is.

Revision ID: 0010_clean_references
Revises: 0009_tracker_version
Create Date: 2026-12-06 19:50:00

"""

from typing import Any, Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = "0010_clean_references"
down_revision: Union[str, Sequence[str], None] = "0009_tracker_version"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def clean(value: Any) -> Any:
    """`value` without empty strings, nulls or empty objects, at any depth."""
    if isinstance(value, dict):
        kept = {k: clean(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in ("", None, {})}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def _rewrite(bind: Any, table: sa.Table, column: str, nested: str | None = None) -> None:
    col = table.c[column]
    for row_id, stored in bind.execute(sa.select(table.c.id, col).where(col.is_not(None))).all():
        if nested is None:
            cleaned = clean(stored)
        elif isinstance(stored, dict) and isinstance(stored.get(nested), dict):
            cleaned = {**stored, nested: clean(stored[nested])}
        else:
            continue
        if cleaned != stored:
            bind.execute(table.update().where(table.c.id == row_id).values({column: cleaned}))


def upgrade() -> None:
    bind = op.get_bind()
    refs = sa.table("conversation_refs", sa.column("id", sa.Integer), sa.column("reference", sa.JSON))
    cycles = sa.table("update_cycles", sa.column("id", sa.Integer), sa.column("progress_conversation", sa.JSON))
    outbox = sa.table("outbox", sa.column("id", sa.Integer), sa.column("payload", sa.JSON))
    _rewrite(bind, refs, "reference")
    _rewrite(bind, cycles, "progress_conversation")
    _rewrite(bind, outbox, "payload", nested="reference")


def downgrade() -> None:
    pass  # the empty strings carried nothing; botbuilder reads the cleaned references as well
