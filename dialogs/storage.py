"""Reading and writing a user's conversation row (store/conversations/dialog_state.py), any instance.

The read is one statement on an autocommit connection (no Session, no BEGIN/ROLLBACK round trips):
every typed message makes it, and most are questions no conversation waits for. Writes are one
short transaction each through ``services.run``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine

from store.conversations.dialog_state import StoredState, delete_state, state_and_version, write_state

__all__ = ["Services", "TurnStart", "read_start", "read_row", "save_row"]

T = TypeVar("T")


class Services(Protocol):
    """What dialogs need from the bot (bot.services.BotServices has it)."""

    @property
    def reader(self) -> AsyncEngine: ...  # autocommit connections for single reads

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T: ...

    def now(self) -> datetime: ...

    def today(self) -> date: ...


@dataclass(frozen=True)
class TurnStart:
    """What a turn reads first, in one autocommit statement: the tracker's version, which every cache
    of the bot keys on (who the user is, the question vocabulary, answer cards), and the dialog row of
    the person the turn is believed to come from. Read before the turn writes anything, so whatever
    the turn builds afterwards is at least as new as ``version``."""

    version: int
    key: str | None  # whose dialog row ``row`` is; None: none was read
    row: StoredState | None

    def row_for(self, key: str) -> StoredState | None:
        """The dialog row read for ``key``, if it was that one (else the dialog reads its own)."""
        return self.row if key == self.key else None


async def read_start(services: Services, key: str | None) -> TurnStart:
    """The version and, when ``key`` is given, that dialog row: one round trip either way."""
    row = await read_row(services, key or "")
    return TurnStart(row.version, key, row if key else None)


async def read_row(services: Services, key: str) -> StoredState:
    async with services.reader.connect() as conn:
        return await conn.run_sync(state_and_version, key)


async def save_row(
    services: Services, key: str, data: dict[str, Any] | None, *, etag: int | None, now: datetime
) -> None:
    """Keep ``data`` as the row read with ``etag`` (None: there was none); ``data`` None ends it."""
    if data is not None:
        await services.run(write_state, key, data, expected=etag, now=now)
    elif etag is not None:
        await services.run(delete_state, key, expected=etag)
