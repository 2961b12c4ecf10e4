"""tracker_version: one number that changes whenever anything an answer reads changes

The bot keeps answers to questions and "my actions" pages per process (bot/answer_cache.py)
and serves them again while this number stays the same: one tiny read per turn instead of the
figures' statements, and safe across instances because every writer bumps it in the same
transaction as its change. Triggers do the bumping, so no writer can forget: the bot, the
command line (imports, cycles, reassignments), other instances, a DBA's SQL.

- SQLite: a row trigger per table and event. SQLite serialises writers, so the one-row update
  costs microseconds and cannot deadlock.
- PostgreSQL: a deferred constraint trigger, so the row is updated once per transaction at
  commit (a transaction-local setting remembers it was done). Updating it at commit, after all
  of the transaction's other row locks were taken, means two writers never wait on each other
  in opposite orders.

Revision ID: 0009_tracker_version
Revises: 0007_schedules
Create Date: 2026-12-01 18:00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0009_tracker_version'
down_revision: Union[str, Sequence[str], None] = '0007_schedules'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Everything a question, an action's detail or an owner's list reads. Not the conversation,
# dialog, outbox, rate and schedule tables: they change on every turn or send and answers never
# read them.
WATCHED = (
    'business_groups', 'delay_reasons', 'people', 'person_roles', 'group_leads', 'delegations',
    'covers', 'audits', 'actions', 'due_date_proposals', 'inspection_items', 'history',
    'update_cycles', 'cycle_items',
)
EVENTS = ('insert', 'update', 'delete')

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION bump_tracker_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('tracker.version_bumped', true) IS DISTINCT FROM txid_current()::text THEN
        PERFORM set_config('tracker.version_bumped', txid_current()::text, true);
        UPDATE tracker_version SET version = version + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        'tracker_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.execute("INSERT INTO tracker_version (id, version) VALUES (1, 1)")
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(PG_FUNCTION)
        for table in WATCHED:
            op.execute(
                f"CREATE CONSTRAINT TRIGGER tracker_version_{table} AFTER INSERT OR UPDATE OR DELETE ON {table}"
                " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_tracker_version()"
            )
            # TRUNCATE fires no row trigger and a constraint trigger cannot watch it
            op.execute(
                f"CREATE TRIGGER tracker_version_{table}_truncate AFTER TRUNCATE ON {table}"
                " FOR EACH STATEMENT EXECUTE FUNCTION bump_tracker_version()"
            )
    else:
        for table in WATCHED:
            for event in EVENTS:
                op.execute(
                    f"CREATE TRIGGER tracker_version_{table}_{event} AFTER {event.upper()} ON {table}"
                    " BEGIN UPDATE tracker_version SET version = version + 1 WHERE id = 1; END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for table in WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS tracker_version_{table} ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS tracker_version_{table}_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS bump_tracker_version()")
    else:
        for table in WATCHED:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS tracker_version_{table}_{event}")
    op.drop_table('tracker_version')
