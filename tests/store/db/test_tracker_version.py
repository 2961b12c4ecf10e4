"""The tracker's version (migration 0009) moves with every committed change an answer could read,
from any writer, and with nothing else: the answer cache (bot/answer_cache.py) relies on it."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from store.db.engine import make_engine
from store.db.migrate import upgrade
from store.db.version import tracker_version

# Tables answers never read, changed on every turn or send: a change there must not empty the cache.
UNWATCHED = {
    "alembic_version",
    "conversation_refs",
    "dialog_state",
    "outbox",
    "processed_submissions",
    "send_rate",
    "schedule_runs",
    "tracker_version",
}


def version(engine: Engine) -> int:
    with engine.connect() as conn:
        return tracker_version(conn)


def watched_tables(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            names = conn.scalars(text("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")).all()
        else:
            names = conn.scalars(
                text(
                    "SELECT DISTINCT event_object_table FROM information_schema.triggers"
                    " WHERE trigger_name LIKE 'tracker_version_%' AND trigger_schema = current_schema()"
                )
            ).all()
    return set(names)


def test_every_table_is_watched_unless_answers_never_read_it(database_url: str) -> None:
    """A new table must be a decision: watched by a trigger, or listed here as never read by answers."""
    engine = make_engine(database_url)
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert watched_tables(engine) == tables - UNWATCHED
    engine.dispose()


def test_each_committed_change_moves_the_version_and_a_rolled_back_one_does_not(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    start = version(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO business_groups (name) VALUES ('Cyber'), ('Estates')"))
    inserted = version(engine)
    assert inserted > start
    with engine.begin() as conn:
        conn.execute(text("UPDATE business_groups SET name = 'Cyber Crime' WHERE name = 'Cyber'"))
    updated = version(engine)
    assert updated > inserted
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM business_groups WHERE name = 'Estates'"))
    deleted = version(engine)
    assert deleted > updated

    with engine.connect() as conn:  # a change that is rolled back was never seen by anyone
        with conn.begin() as tx:
            conn.execute(text("UPDATE business_groups SET name = 'Gone' WHERE name = 'Cyber Crime'"))
            tx.rollback()
    assert version(engine) == deleted

    with engine.begin() as conn:  # a table answers never read: the cache stays valid
        conn.execute(
            text("INSERT INTO dialog_state (key, data, etag, updated_at) VALUES ('k', '{}', 1, '2026-11-26 09:00:00')")
        )
    assert version(engine) == deleted
    engine.dispose()


def test_postgresql_moves_it_once_per_transaction_at_commit(database_url: str) -> None:
    """Others do not see the new number before the change itself: it is written at commit."""
    engine = make_engine(database_url)
    upgrade(engine)
    start = version(engine)
    with engine.begin() as conn:
        for n in range(5):
            conn.execute(text("INSERT INTO business_groups (name) VALUES (:n)"), {"n": f"Group {n}"})
        if engine.dialect.name == "postgresql":
            assert version(engine) == start  # not committed yet: another connection sees the old number
    after = version(engine)
    if engine.dialect.name == "postgresql":
        assert after == start + 1
    else:
        assert after > start  # SQLite: one bump per row, all inside the same transaction
    engine.dispose()
