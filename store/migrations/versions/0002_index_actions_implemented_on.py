"""index actions.implemented_on

"Delivered in quarter Q" (the bot's questions, the summary and the panel pack) selects
actions by their implemented date; without an index every such question read the whole
actions table (see bench/RESULTS.md, bench_questions).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 04:00:00

"""
from typing import Sequence, Union

from alembic import op


revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.create_index('ix_actions_implemented_on', ['implemented_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_index('ix_actions_implemented_on')
