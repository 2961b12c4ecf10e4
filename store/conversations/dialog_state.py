"""Rows of the ``dialog_state`` table: botbuilder conversation / dialog state kept in the database.

Optimistic concurrency: every row has an integer etag that each write increments. A write that
names the etag it read succeeds only if nobody wrote in between (``EtagConflict`` otherwise); a
write without one (a new conversation, or botbuilder's '*') simply replaces the row. So two app
instances serving turns of one conversation at once cannot silently overwrite each other.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Iterable, Sequence

from sqlalchemy import Connection, bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.db.models import DialogState
from store.db.version import VERSION

__all__ = [
    "EtagConflict",
    "MAX_KEY",
    "row_key",
    "state_data",
    "state_data_and_version",
    "read_states",
    "write_states",
    "delete_states",
    "purge_states",
]

MAX_KEY = 400  # the column's length


class EtagConflict(Exception):
    """Someone else wrote this state since it was read."""

    def __init__(self, key: str, expected: int):
        super().__init__(f"Etag conflict for state '{key}': it changed since it was read (expected etag {expected})")
        self.key, self.expected = key, expected


def row_key(key: str) -> str:
    """Botbuilder keys hold the channel and conversation ids; hash the rare one too long for the column."""
    return key if len(key) <= MAX_KEY else "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def read_states(session: Session, keys: Iterable[str]) -> dict[str, tuple[dict[str, Any], int]]:
    """{key: (data, etag)} for the keys that exist."""
    wanted = {row_key(k): k for k in keys}
    if not wanted:
        return {}
    rows = session.execute(
        select(DialogState.key, DialogState.data, DialogState.etag).where(DialogState.key.in_(list(wanted)))
    )
    return {wanted[key]: (data, etag) for key, data, etag in rows}


_DATA_BY_KEY = select(DialogState.data).where(DialogState.key == bindparam("key"))  # built once: a hot read
# the same, with the tracker's version beside it: one round trip at the start of a typed turn
_DATA_AND_VERSION = select(_DATA_BY_KEY.scalar_subquery(), VERSION.scalar_subquery())


def state_data(conn: Connection, key: str) -> dict[str, Any] | None:
    """The stored data for one key, or None; on a plain Core connection (no Session)."""
    return conn.execute(_DATA_BY_KEY, {"key": row_key(key)}).scalar()


def state_data_and_version(conn: Connection, key: str) -> tuple[dict[str, Any] | None, int]:
    """``state_data`` and the tracker's version (store/db/version.py) in one statement."""
    data, version = conn.execute(_DATA_AND_VERSION, {"key": row_key(key)}).one()
    return data, version or 0


def _write(session: Session, key: str, data: dict[str, Any], expected: int | None, now: datetime) -> int:
    stored = row_key(key)
    if expected is not None:
        done = session.execute(
            update(DialogState)
            .where(DialogState.key == stored, DialogState.etag == expected)
            .values(data=data, etag=expected + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:
            raise EtagConflict(key, expected)
        return expected + 1
    replaced = session.execute(
        update(DialogState)
        .where(DialogState.key == stored)
        .values(data=data, etag=DialogState.etag + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if replaced.rowcount == 1:
        return int(session.scalar(select(DialogState.etag).where(DialogState.key == stored)))
    try:
        with session.begin_nested():  # a savepoint: a racing insert must not abort the whole transaction
            session.add(DialogState(key=stored, data=data, etag=1, updated_at=now))
        return 1
    except IntegrityError:
        return _write(session, key, data, None, now)


def write_states(
    session: Session, changes: Sequence[tuple[str, dict[str, Any], int | None]], now: datetime
) -> dict[str, int]:
    """Write every (key, data, expected etag) or none (the caller's transaction); returns the new etags."""
    return {key: _write(session, key, data, expected, now) for key, data, expected in changes}


def delete_states(session: Session, keys: Iterable[str]) -> int:
    stored = [row_key(k) for k in keys]
    if not stored:
        return 0
    result = session.execute(delete(DialogState).where(DialogState.key.in_(stored)))
    return int(result.rowcount or 0)


def purge_states(session: Session, older_than: datetime) -> int:
    """Housekeeping: conversations idle since ``older_than`` lose their half-finished dialogs."""
    result = session.execute(delete(DialogState).where(DialogState.updated_at < older_than))
    return int(result.rowcount or 0)
