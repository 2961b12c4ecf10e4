"""Shared fixtures: a fixed clock, and migrated databases on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from store.db.engine import make_sessionmaker
from tests.fakes.databases import fresh_database_url, pg_skip_reason, stop_throwaway
from tests.fakes.migrated import forget_templates, migrated_engine

TODAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="session", autouse=True)
def _throwaway_postgres_removed_at_end() -> Iterator[None]:
    """A PostgreSQL server the run had to start (nothing answered at TEST_DATABASE_URL) goes with it."""
    yield
    stop_throwaway()
    forget_templates()


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each backend (tests using it run twice)."""
    if request.param == "postgresql" and (reason := pg_skip_reason()):
        pytest.skip(reason)
    with fresh_database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    with fresh_database_url("sqlite", tmp_path) as url:
        yield url


def _migrated(url: str) -> Engine:
    """Migrated with the default lists: a copy of one migration run (tests/fakes/migrated.py)."""
    return migrated_engine(url)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = _migrated(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker:
    return make_sessionmaker(engine)


@pytest.fixture
def session(sessions: sessionmaker) -> Iterator[Session]:
    """A session whose work is committed by the test (``session.commit()``) or rolled back at the end."""
    with sessions() as s:
        yield s
        s.rollback()


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    engine = _migrated(sqlite_url)
    yield engine
    engine.dispose()
