"""Rows of the ``dialog_state`` table: each user's unfinished typed conversation, one row per user.

The row holds plain JSON that dialogs/state.py writes and reads; the store does not look inside.
Optimistic concurrency: every row has an integer etag that each write increments. A write or delete
that names the etag it read succeeds only if nobody wrote in between (``EtagConflict`` otherwise); a
write without one (no row was there when the turn read) inserts, or replaces a row inserted since.
So two app instances serving turns of one user at once cannot silently overwrite each other.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.db.models import DialogState
from store.db.rows import affected
from store.db.version import VERSION

__all__ = [
    "EtagConflict",
    "MAX_KEY",
    "StoredState",
    "row_key",
    "state_and_version",
    "write_state",
    "delete_state",
    "purge_states",
]

MAX_KEY = 400  # the column's length


class EtagConflict(Exception):
    """Someone else wrote this state since it was read."""

    def __init__(self, key: str, expected: int):
        super().__init__(f"Etag conflict for state '{key}': it changed since it was read (expected etag {expected})")
        self.key, self.expected = key, expected


class StoredState(NamedTuple):
    data: dict[str, Any] | None  # None: no row
    etag: int | None  # what a write must name to replace this row (None: there is none)
    version: int  # the tracker's version (store/db/version.py), read in the same statement


def row_key(key: str) -> str:
    """Keys fit the column; the rare one too long is hashed."""
    return key if len(key) <= MAX_KEY else "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


_BY_KEY = DialogState.key == bindparam("key")
# Built once (a hot read: every typed message makes it): the row and the tracker's version in one
# round trip, so a question no dialog is waiting for costs one statement and leaves the version for
# the answer cache.
_STATE_AND_VERSION = select(
    select(DialogState.data).where(_BY_KEY).scalar_subquery(),
    select(DialogState.etag).where(_BY_KEY).scalar_subquery(),
    VERSION.scalar_subquery(),
)


def state_and_version(conn: Connection, key: str) -> StoredState:
    """The row for ``key`` (if any) and the tracker's version; on a plain Core connection (no Session)."""
    data, etag, version = conn.execute(_STATE_AND_VERSION, {"key": row_key(key)}).one()
    return StoredState(data, etag, version or 0)


def write_state(session: Session, key: str, data: dict[str, Any], *, expected: int | None, now: datetime) -> int:
    """Replace the row read with etag ``expected`` (None: there was none); returns the new etag."""
    stored = row_key(key)
    if expected is not None:
        done = session.execute(
            update(DialogState)
            .where(DialogState.key == stored, DialogState.etag == expected)
            .values(data=data, etag=expected + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if affected(done) != 1:
            raise EtagConflict(key, expected)
        return expected + 1
    try:
        with session.begin_nested():  # a savepoint: a racing insert must not abort the whole transaction
            session.add(DialogState(key=stored, data=data, etag=1, updated_at=now))
        return 1
    except IntegrityError:
        # another turn of this user inserted since we read: a new command replaces what it started
        etag = session.scalar(select(DialogState.etag).where(DialogState.key == stored))
        return write_state(session, key, data, expected=int(etag or 0), now=now)


def delete_state(session: Session, key: str, *, expected: int) -> None:
    """Remove the row read with etag ``expected`` (the conversation ended)."""
    done = session.execute(delete(DialogState).where(DialogState.key == row_key(key), DialogState.etag == expected))
    if affected(done) != 1:
        raise EtagConflict(key, expected)


def purge_states(session: Session, older_than: datetime) -> int:
    """Housekeeping: users idle since ``older_than`` lose their half-finished conversations."""
    result = session.execute(delete(DialogState).where(DialogState.updated_at < older_than))
    return affected(result)
