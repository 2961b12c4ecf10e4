"""Reading and writing a user's conversation row (store/conversations/dialog_state.py), any instance.

The read is one statement on an autocommit connection (no Session, no BEGIN/ROLLBACK round trips):
every typed message makes it, and most are questions no conversation waits for. Writes are one
short transaction each through ``services.run``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine

from store.conversations.dialog_state import StoredState, delete_state, state_and_version, write_state

__all__ = ["Services", "TRACKER_VERSION_KEY", "read_row", "save_row"]

# turn.scratch key: the tracker's version read with the conversation row at the start of a typed turn
# no conversation takes (the answer cache uses it instead of reading it again; bot/turn.py)
TRACKER_VERSION_KEY = "tracker.version"
T = TypeVar("T")


class Services(Protocol):
    """What dialogs need from the bot (bot.services.BotServices has it)."""

    @property
    def reader(self) -> AsyncEngine: ...  # autocommit connections for single reads

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T: ...

    def now(self) -> datetime: ...

    def today(self) -> date: ...


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
