"""SQLite under concurrent turns: WAL, synchronous=NORMAL and IMMEDIATE write transactions on every
connection, so a save is never held up by questions reading at the same moment."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import Engine, text

from store.db.engine import make_async_engine, make_engine

_PRAGMAS = ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")


def _pragmas(conn: Any) -> dict[str, Any]:
    return {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in _PRAGMAS}


EXPECTED = {"journal_mode": "wal", "synchronous": 1, "foreign_keys": 1, "busy_timeout": 10000}  # 1 = NORMAL


def _driver_begin(conn: Any) -> Any:
    """The BEGIN Python's sqlite3 puts before a connection's first write (None: autocommit)."""
    return conn.connection.dbapi_connection.isolation_level


def test_every_connection_gets_the_pragmas_and_immediate_writes(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    reader = engine.execution_options(isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as a, engine.connect() as b:  # two connections of the pool
            assert _pragmas(a) == _pragmas(b) == EXPECTED
            assert _driver_begin(a) == _driver_begin(b) == "IMMEDIATE"
        with reader.connect() as conn:  # lent as autocommit (the services' reader) ...
            assert _driver_begin(conn) is None
        with engine.connect() as conn:  # ... and given back still beginning writes IMMEDIATE
            assert _driver_begin(conn) == "IMMEDIATE"
    finally:
        engine.dispose()


async def test_the_async_engine_gets_them_too(sqlite_url: str) -> None:
    engine = make_async_engine(sqlite_url)
    reader = engine.execution_options(isolation_level="AUTOCOMMIT")
    try:
        async with reader.connect() as conn:
            assert await conn.run_sync(_pragmas) == EXPECTED
        async with engine.connect() as conn:
            assert await conn.run_sync(_pragmas) == EXPECTED
            raw = await conn.get_raw_connection()
            assert raw.dbapi_connection.isolation_level == "IMMEDIATE"
    finally:
        await engine.dispose()


def test_a_read_only_file_is_read_in_the_mode_it_has(tmp_path) -> None:
    import sqlite3

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as plain:  # a database never opened by the bot: rollback journal
        plain.execute("CREATE TABLE t (v INTEGER)")
        plain.execute("INSERT INTO t VALUES (7)")
    plain.close()
    engine = make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT v FROM t").scalar() == 7
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
    finally:
        engine.dispose()


@pytest.fixture
def table(sqlite_url: str) -> Engine:
    engine = make_engine(sqlite_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
        conn.exec_driver_sql("INSERT INTO t VALUES (1, 1)")
    yield engine
    engine.dispose()


def test_a_reader_in_a_read_transaction_does_not_hold_up_a_writers_commit(table: Engine) -> None:
    with table.connect() as reader, table.connect() as writer:
        writer.exec_driver_sql("PRAGMA busy_timeout=300")  # fail fast instead of waiting 10 s
        reader.exec_driver_sql("BEGIN")  # a read transaction: in a rollback journal, a SHARED lock
        assert reader.exec_driver_sql("SELECT v FROM t").scalar() == 1
        started = time.monotonic()
        writer.execute(text("UPDATE t SET v = 2 WHERE id = 1"))
        writer.commit()  # in rollback-journal mode: 'database is locked' after the busy timeout
        assert time.monotonic() - started < 0.25
        assert reader.exec_driver_sql("SELECT v FROM t").scalar() == 1  # its snapshot stands
        reader.exec_driver_sql("COMMIT")
        assert reader.exec_driver_sql("SELECT v FROM t").scalar() == 2


def test_reads_take_no_transaction_and_writes_begin_immediate(table: Engine) -> None:
    """Reads run in autocommit; a transaction begins, IMMEDIATE, just before the first write: it takes
    the write lock before reading anything, so it never upgrades a read lock (a wait that ends in
    'database is locked', or a snapshot another commit made stale)."""
    with table.connect() as conn:
        said: list[str] = []
        conn.connection.dbapi_connection.set_trace_callback(said.append)
        with conn.begin():
            conn.execute(text("SELECT v FROM t WHERE id = 1"))
            conn.execute(text("UPDATE t SET v = v + 1 WHERE id = 1"))
        conn.connection.dbapi_connection.set_trace_callback(None)
    assert [s.split()[0] for s in said] == ["SELECT", "BEGIN", "UPDATE", "COMMIT"]
    assert said[1].strip() == "BEGIN IMMEDIATE"
