"""Fresh databases for tests: a SQLite file, or a private schema in a PostgreSQL server.

The server is the one at TEST_DATABASE_URL (TRACKER_TEST_PG_URL is the older name; default
postgresql://postgres@127.0.0.1:5432/test) when it answers. When nothing answers there, the first
PostgreSQL test starts a throwaway server for the run (tests/fakes/throwaway_pg.py) and the
session's end removes it, so `make test` needs nothing running. TRACKER_SKIP_PG=1 skips the
PostgreSQL half of the suite explicitly (never silently).
"""

from __future__ import annotations

import atexit
import logging
import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from tests.fakes.throwaway_pg import ThrowawayPostgres

__all__ = ["CONFIGURED_PG_URL", "pg_url", "pg_skip_reason", "fresh_database_url", "stop_throwaway", "throwaway_in_use"]

log = logging.getLogger(__name__)

CONFIGURED_PG_URL = (
    os.environ.get("TEST_DATABASE_URL")
    or os.environ.get("TRACKER_TEST_PG_URL")
    or "postgresql://postgres@127.0.0.1:5432/test"
)

_resolved: str | None = None
_throwaway: ThrowawayPostgres | None = None


def _psycopg(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def _answers(url: str) -> bool:
    engine = create_engine(_psycopg(url), connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


def pg_url() -> str:
    """The server the PostgreSQL tests use: the configured one, else a throwaway started now."""
    global _resolved, _throwaway
    if _resolved is None:
        if _answers(CONFIGURED_PG_URL):
            _resolved = CONFIGURED_PG_URL
        else:
            log.warning("No PostgreSQL at %s: starting a throwaway server for this run", CONFIGURED_PG_URL)
            _throwaway = ThrowawayPostgres()
            _resolved = _throwaway.start()
            atexit.register(stop_throwaway)  # also when used outside pytest (bench/)
    return _resolved


def throwaway_in_use() -> ThrowawayPostgres | None:
    return _throwaway


def stop_throwaway() -> None:
    """Remove the throwaway server, if this run started one."""
    global _resolved, _throwaway
    if _throwaway is not None:
        _throwaway.stop()
        _throwaway, _resolved = None, None


def pg_skip_reason() -> str | None:
    if os.environ.get("TRACKER_SKIP_PG") == "1":
        return "TRACKER_SKIP_PG=1 set"
    return None


@contextmanager
def fresh_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """Yield a DATABASE_URL for an empty database; removed afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
        return
    server = pg_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_psycopg(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        # Every connection of the app under test sees only its private schema.
        sep = "&" if "?" in server else "?"
        yield f"{server}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
