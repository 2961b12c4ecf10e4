"""Fixtures for the command-line tests."""

from __future__ import annotations

import pytest

from store.db.engine import make_sessionmaker
from tests.cli.support import TODAY
from tests.store.cycle_tracker import build


@pytest.fixture
def url(sqlite_url, sqlite_engine, monkeypatch):
    """DATABASE_URL of a SQLite tracker built for cycles (tests/store/cycle_tracker.py), set in the environment."""
    with make_sessionmaker(sqlite_engine).begin() as s:
        build(s, TODAY)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    return sqlite_url
