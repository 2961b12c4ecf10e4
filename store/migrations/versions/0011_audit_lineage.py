"""audit lineage and the paper's inspection facts: follow-ups name their original, inspection items
carry submitted_on / closed_on and may be 'afi & rec', and the inspectorate portal's counts by theme

- audits.follows: the audit_id of the audit a follow-up follows up (text, as the workbook writes it;
  the import checks it names an audit).
- inspection_items.kind widens from 4 characters to 12 ('afi & rec'). SQLite rebuilds the table for
  that (batch mode), which drops 0009's triggers on it: they are created again here.
- inspection_items.submitted_on / closed_on: when an item was submitted for closure / closed.
- portal_figures: the HMICFRS monitoring portal's counts of recommendations and AFIs by theme as they
  stood on a date (a second source, reported beside the force's own tracker), watched by the
  tracker_version triggers like every table an answer or the pack reads.

Revision ID: 0011_audit_lineage
Revises: 0010_clean_references
Create Date: 2026-12-06 19:40:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0011_audit_lineage'
down_revision: Union[str, Sequence[str], None] = '0010_clean_references'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

EVENTS = ('insert', 'update', 'delete')


def upgrade() -> None:
    op.add_column('audits', sa.Column('follows', sa.String(length=60), nullable=True))
    op.add_column('inspection_items', sa.Column('submitted_on', sa.Date(), nullable=True))
    op.add_column('inspection_items', sa.Column('closed_on', sa.Date(), nullable=True))
    postgres = op.get_bind().dialect.name == 'postgresql'
    if postgres:
        op.alter_column('inspection_items', 'kind', type_=sa.String(length=12), existing_type=sa.String(length=4))
    else:
        with op.batch_alter_table('inspection_items') as batch:
            batch.alter_column('kind', type_=sa.String(length=12), existing_type=sa.String(length=4))
        _sqlite_triggers('inspection_items')
    op.create_table(
        'portal_figures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('theme', sa.String(length=300), nullable=False),
        sa.Column('recommendations', sa.Integer(), nullable=False),
        sa.Column('afis', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('as_of', 'theme', name='uq_portal_figures_as_of_theme'),
    )
    if postgres:
        op.execute(
            "CREATE CONSTRAINT TRIGGER tracker_version_portal_figures AFTER INSERT OR UPDATE OR DELETE"
            " ON portal_figures DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_tracker_version()"
        )
        op.execute(
            "CREATE TRIGGER tracker_version_portal_figures_truncate AFTER TRUNCATE ON portal_figures"
            " FOR EACH STATEMENT EXECUTE FUNCTION bump_tracker_version()"
        )
    else:
        _sqlite_triggers('portal_figures')


def _sqlite_triggers(table: str) -> None:
    """0009's version triggers on ``table`` (SQLite: one per event)."""
    for event in EVENTS:
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS tracker_version_{table}_{event} AFTER {event.upper()} ON {table}"
            " BEGIN UPDATE tracker_version SET version = version + 1 WHERE id = 1; END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS tracker_version_portal_figures ON portal_figures")
        op.execute("DROP TRIGGER IF EXISTS tracker_version_portal_figures_truncate ON portal_figures")
        op.alter_column('inspection_items', 'kind', type_=sa.String(length=4), existing_type=sa.String(length=12))
    else:
        for event in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS tracker_version_portal_figures_{event}")
    op.drop_table('portal_figures')
    with op.batch_alter_table('inspection_items') as batch:
        batch.drop_column('closed_on')
        batch.drop_column('submitted_on')
        if op.get_bind().dialect.name != 'postgresql':
            batch.alter_column('kind', type_=sa.String(length=4), existing_type=sa.String(length=12))
    if op.get_bind().dialect.name != 'postgresql':
        _sqlite_triggers('inspection_items')
    with op.batch_alter_table('audits') as batch:
        batch.drop_column('follows')
