"""conversation references: fill tenant_id from the stored reference

The column existed since 0001 but was never filled: botbuilder-schema reads the conversation's
tenant as `tenantID` while Teams sends `tenantId`, so the bot saved None. The bot now stores the
verified tenant (channelData.tenant.id); this fills older rows from whatever their stored
reference JSON carries, so tenant checks on proactive sends have something to check.

Revision ID: 0003_conversation_tenant
Revises: 0002
Create Date: 2026-12-01 14:50:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0003_conversation_tenant'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_refs = sa.table('conversation_refs', sa.column('id', sa.Integer), sa.column('tenant_id', sa.String(64)),
                 sa.column('reference', sa.JSON))


def _tenant(reference: object) -> str | None:
    conversation = reference.get('conversation') if isinstance(reference, dict) else None
    if not isinstance(conversation, dict):
        return None
    tenant = conversation.get('tenantID') or conversation.get('tenantId') or conversation.get('tenant_id')
    return tenant.strip().lower()[:64] if isinstance(tenant, str) and tenant.strip() else None


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(_refs.c.id, _refs.c.reference).where(_refs.c.tenant_id.is_(None))).all()
    for row_id, reference in rows:
        tenant = _tenant(reference)
        if tenant:
            bind.execute(_refs.update().where(_refs.c.id == row_id).values(tenant_id=tenant))


def downgrade() -> None:
    pass  # the filled ids are correct data; nothing to undo
