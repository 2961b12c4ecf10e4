"""schedules: the bot's own scheduled jobs, and each cycle's reminder days

`schedule_runs` holds one row per job and local day; the unique (job, run_on) is what makes any
number of senders run each job once a day (store/cycles/schedules.py). `update_cycles.reminder_days` keeps
the days before the deadline chosen when the cycle opened (NULL: the default 7, 2, 0).

Revision ID: 0007_schedules
Revises: 0008_people_cover
Create Date: 2026-12-01 16:00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0007_schedules'
down_revision: Union[str, Sequence[str], None] = '0008_people_cover'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'schedule_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job', sa.String(length=40), nullable=False),
        sa.Column('run_on', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_by', sa.String(length=100), nullable=True),
        sa.Column('queued', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('job', 'run_on', name='uq_schedule_runs_job_day'),
    )
    with op.batch_alter_table('update_cycles') as batch:
        batch.add_column(sa.Column('reminder_days', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('update_cycles') as batch:
        batch.drop_column('reminder_days')
    op.drop_table('schedule_runs')
