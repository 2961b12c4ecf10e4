"""Engines and sessions. The caller owns the session and the transaction (``with session.begin()``)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects.sqlite.base import SQLiteDialect
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import sessionmaker

if TYPE_CHECKING:  # the session classes name what the makers make; nothing else here needs them
    from sqlalchemy.ext.asyncio import AsyncSession
    from sqlalchemy.orm import Session

__all__ = ["sync_url", "async_url", "make_engine", "make_async_engine", "make_sessionmaker", "make_async_sessionmaker"]

log = logging.getLogger(__name__)


def _normalise(url: str, *, asynchronous: bool) -> str:
    """Accept the ordinary URL forms and pick the project's drivers.

    sqlite:///file.db -> sqlite+pysqlite / sqlite+aiosqlite; postgresql://... -> postgresql+psycopg
    (psycopg 3 serves both the sync and the async engine).
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        driver = "aiosqlite" if asynchronous else "pysqlite"
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
    elif backend in ("postgresql", "postgres"):
        backend, driver = "postgresql", "psycopg"
    else:
        raise ValueError(f"DATABASE_URL must be sqlite:///... or postgresql://..., not {backend}")
    return parsed.set(drivername=f"{backend}+{driver}").render_as_string(hide_password=False)


def sync_url(url: str) -> str:
    return _normalise(url, asynchronous=False)


def async_url(url: str) -> str:
    return _normalise(url, asynchronous=True)


# SQLite under concurrent turns (bench/RESULTS.md, "a week's load"):
# - WAL: readers never block the writer and the writer never blocks readers; in the default rollback
#   journal a save waited (in SQLite's busy handler) for every question reading at that moment.
#   The mode is stored in the file; the -wal and -shm files beside it belong to it (docs/operations.md).
# - synchronous=NORMAL: with WAL a commit no longer waits for an fsync (only checkpoints do); a power
#   cut may lose the last commits but never corrupts the database.
# - Writes begin with BEGIN IMMEDIATE: they take the write lock before reading anything, so a write
#   transaction never holds a read snapshot that another commit makes stale (SQLITE_BUSY_SNAPSHOT,
#   which no busy_timeout waits out) and two writers never deadlock upgrading their locks. Python's
#   sqlite3 begins a transaction only before the first INSERT/UPDATE/DELETE; reads before it, and
#   read-only work, run in autocommit and take no lock at all.
_WRITE_BEGIN = "IMMEDIATE"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = _WRITE_BEGIN
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")  # ':memory:' databases stay 'memory'
    except sqlite3.OperationalError:  # a read-only file not yet in WAL mode: read it as it is
        log.warning("SQLite database left in its journal mode (read-only?): not switched to WAL", exc_info=True)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")  # several processes (server, worker, CLI) share the file
    cursor.close()


def _immediate_writes(dialect: Dialect) -> None:
    """SQLAlchemy resets a connection lent as AUTOCOMMIT (the services' ``reader``) by setting the driver's
    ``isolation_level`` to '' (a plain deferred BEGIN): keep it IMMEDIATE instead, with the same calls."""
    autocommit = dialect.set_isolation_level

    def set_isolation_level(dbapi_connection: Any, level: Any) -> None:
        if level == "AUTOCOMMIT":
            autocommit(dbapi_connection, level)
        else:
            dbapi_connection.isolation_level = _WRITE_BEGIN
            SQLiteDialect.set_isolation_level(dialect, dbapi_connection, level)  # type: ignore[arg-type]

    dialect.set_isolation_level = set_isolation_level  # type: ignore[method-assign]


def _sqlite(engine: Engine) -> None:
    event.listen(engine, "connect", _sqlite_pragmas)
    _immediate_writes(engine.dialect)


def _postgresql_pool(url: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """PostgreSQL pool options: every connection is checked (a cheap ping) as it leaves the pool, so
    after a database restart the stale connections are replaced by new ones on their own, and no turn
    meets a connection the server has closed (issue 25). Options the caller gives win."""
    if make_url(url).get_backend_name() not in ("postgresql", "postgres"):
        return kwargs
    return {"pool_pre_ping": True, **kwargs}


def make_engine(url: str, **kwargs: Any) -> Engine:
    engine = create_engine(sync_url(url), **_postgresql_pool(url, kwargs))
    if engine.dialect.name == "sqlite":
        _sqlite(engine)
    return engine


def make_async_engine(url: str, *, pool_size: int | None = None, **kwargs: Any) -> AsyncEngine:
    """``pool_size``: connections kept open for concurrent turns (the server's; None: SQLAlchemy's 5).
    Beyond it up to 10 more are opened, and closed again when returned: under more concurrent turns
    than the pool holds, every turn would pay for a new connection (a new PostgreSQL backend)."""
    if pool_size is not None and ":memory:" not in url:
        kwargs = {"pool_size": pool_size, "max_overflow": 10, **kwargs}
    engine = create_async_engine(async_url(url), **_postgresql_pool(url, kwargs))
    if engine.dialect.name == "sqlite":
        _sqlite(engine.sync_engine)
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def make_async_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
