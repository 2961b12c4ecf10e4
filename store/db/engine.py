"""Engines and sessions. The caller owns the session and the transaction (``with session.begin()``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import sessionmaker

__all__ = ["sync_url", "async_url", "make_engine", "make_async_engine", "make_sessionmaker", "make_async_sessionmaker"]


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


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")  # several processes (server, worker, CLI) share the file
    cursor.close()


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
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_async_engine(url: str, *, pool_size: int | None = None, **kwargs: Any) -> AsyncEngine:
    """``pool_size``: connections kept open for concurrent turns (the server's; None: SQLAlchemy's 5).
    Beyond it up to 10 more are opened, and closed again when returned: under more concurrent turns
    than the pool holds, every turn would pay for a new connection (a new PostgreSQL backend)."""
    if pool_size is not None and ":memory:" not in url:
        kwargs = {"pool_size": pool_size, "max_overflow": 10, **kwargs}
    engine = create_async_engine(async_url(url), **_postgresql_pool(url, kwargs))
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)


def make_async_sessionmaker(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)
