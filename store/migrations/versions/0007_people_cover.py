"""people_cover: people who have left, covers for a date range, history "X for Y"

- people.active: False once a person has left (the People sheet's `active` column); no
  messages go to them and their outstanding actions count as orphaned.
- covers: an owner's cover from one day to another (store/cover.py).
- history.on_behalf_of: the owner's email when their cover made the change.

Revision ID: 0008_people_cover
Revises: 0006_clean_text
Create Date: 2026-12-01 16:00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0008_people_cover'
down_revision: Union[str, Sequence[str], None] = '0006_clean_text'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('people') as batch:
        batch.add_column(sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('history') as batch:
        batch.add_column(sa.Column('on_behalf_of', sa.String(length=254), nullable=True))
    op.create_table(
        'covers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('cover_id', sa.Integer(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('created_by', sa.String(length=254), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['owner_id'], ['people.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['cover_id'], ['people.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_covers_owner_id', 'covers', ['owner_id'])
    op.create_index('ix_covers_cover_id', 'covers', ['cover_id'])


def downgrade() -> None:
    op.drop_index('ix_covers_cover_id', table_name='covers')
    op.drop_index('ix_covers_owner_id', table_name='covers')
    op.drop_table('covers')
    with op.batch_alter_table('history') as batch:
        batch.drop_column('on_behalf_of')
    with op.batch_alter_table('people') as batch:
        batch.drop_column('active')
