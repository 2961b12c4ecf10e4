"""The tracker's version: a number that changes in the same transaction as anything an answer reads.

Triggers (migration 0009) bump it on every insert, update and delete of the watched tables, from
any writer. A reader that saw version N and later sees N again knows nothing it could have read
has changed in between, on this instance or any other.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from store.db.models import TrackerVersion

__all__ = ["VERSION", "tracker_version"]

VERSION = select(TrackerVersion.version).where(TrackerVersion.id == 1)  # built once: read on every question


def tracker_version(conn: Connection) -> int:
    """The current version (0 if the row is missing, which only a hand-edited database can do)."""
    return conn.execute(VERSION).scalar() or 0
