"""send_rate: one global proactive send rate for every sender of the tenant

Senders on several processes or machines reserve send slots from one row (store/send_rate.py),
so SEND_RATE_PER_SECOND holds for the whole tenant, not per sender. On SQLite the table exists
but is unused: a single process-local token bucket paces the sends there.

Revision ID: 0005_send_rate
Revises: 0003_conversation_tenant
Create Date: 2026-12-01 15:00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0005_send_rate'
down_revision: Union[str, Sequence[str], None] = '0003_conversation_tenant'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'send_rate',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('next_slot', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )


def downgrade() -> None:
    op.drop_table('send_rate')
