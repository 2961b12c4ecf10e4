"""Migrated databases for tests, made by copying one migration run instead of repeating it.

Running the Alembic migrations and adding the default lists costs over a second per database, and
most of the suite's tests ask for a migrated database on both backends: the run spent minutes
migrating. The migrations run once per backend per test run here:

- SQLite: into a template file, which each test then gets a copy of (a file copy takes milliseconds).
- PostgreSQL: into a scratch schema while every statement sent to the server is recorded; each test's
  private schema then receives the same statements, with the same parameters, in one transaction.
  Statements are unqualified (the schema comes from the connection's search_path), so they land in
  the test's schema. The migrations cannot tell the difference: on an empty database they emit the
  same statements every time.

The migrations themselves are still run for real, step by step, by tests/store/db/test_migrate.py;
tests/test_migrated_copies.py checks that a copy has the same tables, columns, indexes, revision and
default rows as a database migrated on the spot.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import Engine, event, inspect, make_url
from sqlalchemy.engine.interfaces import ExecuteStyle

from store.db.engine import make_engine, make_sessionmaker
from store.db.migrate import upgrade
from store.db.setup import ensure_default_lists

__all__ = ["migrate_in_place", "migrated_engine", "ensure_migrated", "forget_templates"]

# (statement, parameters, how) as the driver received them; how: "many", "bare" (no parameters at all), "one"
_Recorded = tuple[str, Any, str]

_sqlite_template: Path | None = None
_pg_statements: list[_Recorded] | None = None


def migrate_in_place(url: str) -> Engine:
    """The slow way, and the one the templates are made with: migrate, then add the default lists."""
    engine = make_engine(url)
    upgrade(engine)
    with make_sessionmaker(engine).begin() as session:
        ensure_default_lists(session)
    return engine


def _template_file() -> Path:
    global _sqlite_template
    if _sqlite_template is None:
        path = Path(tempfile.mkdtemp(prefix="tracker-test-template-")) / "template.db"
        engine = migrate_in_place(f"sqlite:///{path}")
        with engine.connect() as conn:  # everything into the main file, so copying it alone is enough
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        _sqlite_template = path
    return _sqlite_template


def _record_into(recorded: list[_Recorded]) -> Callable[..., None]:
    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        # Mirrors how Connection hands a statement to the driver: an insertmanyvalues batch says
        # executemany but is one execute() of a multi-row INSERT.
        if executemany and context is not None and context.execute_style is ExecuteStyle.EXECUTEMANY:
            how = "many"
        elif not parameters and context is not None and context.no_parameters:
            how = "bare"
        else:
            how = "one"
        recorded.append((statement, parameters, how))

    return record


def _pg_migration_statements(url: str) -> list[_Recorded]:
    """The statements a migration sends to an empty schema, recorded from a run in ``url``'s schema."""
    global _pg_statements
    if _pg_statements is None:
        recorded: list[_Recorded] = []
        engine = make_engine(url)
        # Listening from before the first connection: the dialect's own first-connect queries are
        # recorded too, harmless to send again.
        event.listen(engine, "before_cursor_execute", _record_into(recorded))
        upgrade(engine)
        with make_sessionmaker(engine).begin() as session:
            ensure_default_lists(session)
        engine.dispose()
        _pg_statements = recorded
    return _pg_statements


def _replay(engine: Engine, statements: list[_Recorded]) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters, how in statements:
            if how == "many":
                cursor.executemany(statement, parameters)
            elif how == "bare":
                cursor.execute(statement)
            else:  # an empty dict still matters: with it the driver reads %% as %
                cursor.execute(statement, parameters)
        cursor.close()
        raw.commit()
    finally:
        raw.close()


def migrated_engine(url: str) -> Engine:
    """An engine on ``url``'s empty database, which is now migrated and has the default lists."""
    if make_url(url).get_backend_name() == "sqlite":
        database = make_url(url).database
        if not database or database == ":memory:":
            return migrate_in_place(url)
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_template_file(), database)
        return make_engine(url)
    engine = make_engine(url)
    if _pg_statements is None:
        # The first PostgreSQL database of the run is migrated for real, and recorded.
        engine.dispose()
        _pg_migration_statements(url)
        return make_engine(url)
    _replay(engine, _pg_statements)
    return engine


def _is_empty(url: str) -> bool:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        return (
            bool(parsed.database) and parsed.database != ":memory:" and (not path.exists() or path.stat().st_size == 0)
        )
    engine = make_engine(url)
    try:
        return not inspect(engine).get_table_names()
    finally:
        engine.dispose()


def ensure_migrated(url: str) -> Engine:
    """Like migrated_engine, for a database that may already hold the schema and data (then upgraded in place)."""
    return migrated_engine(url) if _is_empty(url) else migrate_in_place(url)


def forget_templates() -> None:
    """Drop the template file and the recording (the end of the run)."""
    global _sqlite_template, _pg_statements
    if _sqlite_template is not None:
        shutil.rmtree(_sqlite_template.parent, ignore_errors=True)
    _sqlite_template, _pg_statements = None, None
