"""Fresh databases for tests: a SQLite file, or a private schema in the local PostgreSQL.

PostgreSQL is at 127.0.0.1:5432 (trust auth, database `test`) on developer machines and CI
(`.ci/run` starts it). TRACKER_TEST_PG_URL overrides the server; TRACKER_SKIP_PG=1 skips the
PostgreSQL half of the suite explicitly (never silently).
"""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, text

__all__ = ["PG_URL", "pg_skip_reason", "fresh_database_url"]

PG_URL = os.environ.get("TRACKER_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


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
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        # Every connection of the app under test sees only its private schema.
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
