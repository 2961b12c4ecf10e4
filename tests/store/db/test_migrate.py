"""Alembic migrations: a new database reaches head; an older one is upgraded in place; models match."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select, text

from store.db.engine import make_engine, make_sessionmaker
from store.db.migrate import current_revision, head_revision, is_up_to_date, upgrade
from store.db.models import Base, BusinessGroup
from store.db.setup import ensure_default_lists


def test_older_database_is_upgraded_in_place_keeping_its_data(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0001")  # the first schema ever shipped
    assert not is_up_to_date(engine)  # `serve` and `worker` refuse to start on it
    with make_sessionmaker(engine).begin() as s:
        ensure_default_lists(s)
    upgrade(engine)  # what `make run` does on every start
    assert current_revision(engine) == head_revision() and is_up_to_date(engine)
    with make_sessionmaker(engine)() as s:
        assert s.scalar(select(func.count()).select_from(BusinessGroup)) == 5
    upgrade(engine)  # idempotent
    engine.dispose()


def test_migrations_match_the_models(database_url: str) -> None:
    """A model change without a migration would make `make run` serve a database that lacks it."""
    engine = make_engine(database_url)
    upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    engine.dispose()


def test_database_url_forms(tmp_path) -> None:
    from store.db.engine import async_url, sync_url

    assert sync_url(f"sqlite:///{tmp_path}/a.db").startswith("sqlite+pysqlite:///")
    assert async_url(f"sqlite:///{tmp_path}/a.db").startswith("sqlite+aiosqlite:///")
    assert sync_url("postgresql://u@h:5432/db") == "postgresql+psycopg://u@h:5432/db"
    assert async_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    try:
        sync_url("mysql://u@h/db")
    except ValueError as exc:
        assert "DATABASE_URL" in str(exc)
    else:
        raise AssertionError("mysql accepted")
    engine = make_engine(f"sqlite:///{tmp_path}/deep/folder/t.db")  # folders are created
    with engine.connect() as conn:
        assert conn.execute(text("select 1")).scalar() == 1


def test_stored_text_is_cleaned_by_0006(database_url: str) -> None:
    """Rows stored before input was cleaned (a vertical tab from Word, a bidi override; a NUL on SQLite,
    where PostgreSQL could never store one) are cleaned in place; the rest is left as it was."""
    engine = make_engine(database_url)
    upgrade(engine, "0006_clean_text-1")
    dirty = "Draft\x0b policy\u202e agreed" + ("\x00" if engine.dialect.name == "sqlite" else "") + "\r\nnext"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO people (id, email, name) VALUES (1, 'p@x', :m)"), {"m": dirty})
        conn.execute(
            text(
                "INSERT INTO history (id, at, actor, channel, entity, entity_ref, field, old_value, new_value)"
                " VALUES (1, '2026-11-01 09:00:00', 'o@x', 'teams', 'action', 'A1', 'last_update_note',"
                " 'plain', :m)"
            ),
            {"m": dirty},
        )
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT name FROM people WHERE id = 1")) == "Draft policy agreed\nnext"
        assert conn.execute(text("SELECT old_value, new_value FROM history WHERE id = 1")).one() == (
            "plain",
            "Draft policy agreed\nnext",
        )
    engine.dispose()
