"""partial covering indexes on outstanding actions

Every figure the bot answers counts outstanding (open / in progress) monitored actions. At
100,000 actions the old indexes on (status, due_date) and (group, status, due_date) found those
rows but every row was then read from the table and its audit joined: force-wide questions took
110-190 ms. The two indexes here replace them: they hold only the outstanding fifth of the
actions, with every column the figures, filters and page order read, so a question is answered
from the index alone; ordered by due date (then ref) a page is the first rows of the index
(see bench/RESULTS.md, bench_questions). The old ones go: both planners preferred them (an
equality on status) and then read every row from the table. Likewise "delivered in quarter Q"
now reads a covering index on implemented_on in place of 0002's plain one.

The condition is written with literals; store/queries writes the same literals into its queries
so both SQLite and PostgreSQL can prove the index applies.

Revision ID: 0004_query_indexes
Revises: 0005_send_rate
Create Date: 2026-12-01 15:00:00

"""
from typing import Sequence, Union

from alembic import op
from sqlalchemy import text


revision: str = '0004_query_indexes'
down_revision: Union[str, Sequence[str], None] = '0005_send_rate'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_OUTSTANDING = "status IN ('open', 'in progress')"  # frozen copy of store.models.OUTSTANDING_SQL
_COVER = ['ref', 'business_group_id', 'risk', 'audit_id', 'revised_due_date', 'owner_id', 'delay_reason', 'status', 'id']
_DELIVERED = ['implemented_on', 'ref', 'business_group_id', 'risk', 'audit_id', 'owner_id', 'id']


def upgrade() -> None:
    where = {'sqlite_where': text(_OUTSTANDING), 'postgresql_where': text(_OUTSTANDING)}
    op.create_index('ix_actions_outstanding_due', 'actions', ['due_date', *_COVER], unique=False, **where)
    op.create_index('ix_actions_outstanding_group', 'actions',
                    ['business_group_id', 'due_date', *(c for c in _COVER if c != 'business_group_id')],
                    unique=False, **where)
    op.drop_index('ix_actions_status_due', table_name='actions')
    op.drop_index('ix_actions_group_status_due', table_name='actions')
    op.create_index('ix_actions_implemented_cover', 'actions', _DELIVERED, unique=False)
    op.drop_index('ix_actions_implemented_on', table_name='actions')


def downgrade() -> None:
    op.create_index('ix_actions_implemented_on', 'actions', ['implemented_on'], unique=False)
    op.drop_index('ix_actions_implemented_cover', table_name='actions')
    op.create_index('ix_actions_group_status_due', 'actions', ['business_group_id', 'status', 'due_date'], unique=False)
    op.create_index('ix_actions_status_due', 'actions', ['status', 'due_date'], unique=False)
    op.drop_index('ix_actions_outstanding_group', table_name='actions')
    op.drop_index('ix_actions_outstanding_due', table_name='actions')
