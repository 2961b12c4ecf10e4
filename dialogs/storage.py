"""A botbuilder ``Storage`` backed by the tracker database, so any app instance can serve any turn.

Reads and writes go through the injected services' ``run`` (one transaction per call) and the
repository functions of store/dialog_state.py; no SQL here. e_tags follow botbuilder's storage
contract (see botbuilder.testing.StorageBaseTests): every item read carries an e_tag; writing
an item with that e_tag fails if the row changed since; no e_tag or '*' overwrites; '' is an error.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any, Callable, Dict, List, Protocol, TypeVar

from botbuilder.core import Storage

from dialogs.codec import decode, encode
from store.conversations.dialog_state import (
    delete_states,
    read_states,
    state_data,
    state_data_and_version,
    write_states,
)

__all__ = ["Services", "DatabaseStorage", "has_active_dialog", "TRACKER_VERSION_KEY"]

log = logging.getLogger(__name__)
# turn_state key: the tracker's version read with the dialog state at the start of a typed turn that
# no dialog takes (the answer cache uses it instead of reading it again; bot/turn.py)
TRACKER_VERSION_KEY = "tracker.version"
T = TypeVar("T")


class Services(Protocol):
    """What dialogs need from the bot (bot.services.BotServices has it): transactions and the clock."""

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T: ...

    def now(self) -> datetime: ...

    def today(self) -> date: ...


def _etag_of(item: Any) -> Any:
    return item.get("e_tag") if isinstance(item, dict) else getattr(item, "e_tag", None)


def _set_etag(item: Any, etag: str) -> None:
    if isinstance(item, dict):
        item["e_tag"] = etag
    else:
        item.e_tag = etag


def has_active_dialog(item: Any, property_name: str) -> bool:
    """Whether stored conversation state (raw JSON or decoded) holds a dialog still in progress."""
    if not isinstance(item, dict):
        return False
    state = item.get(property_name)
    if isinstance(state, dict):  # as stored: {"$type": "DialogState", "stack": [...]}
        return bool(state.get("stack"))
    return bool(getattr(state, "dialog_stack", None))


class DatabaseStorage(Storage):
    def __init__(self, services: Services):
        super().__init__()
        self.services = services
        # bot.services.BotServices: single reads on its autocommit engine, without a Session
        self._engine = getattr(services, "reader", None) if getattr(services, "sessions", None) is not None else None

    async def peek(self, key: str) -> Any:
        """The raw stored data for one key (None if absent), with one plain connection round trip:
        most messages are questions, and this is how a turn learns no dialog is waiting for it."""
        if self._engine is None:
            rows = await self.services.run(read_states, [key])
            return rows[key][0] if key in rows else None
        async with self._engine.connect() as conn:
            return await conn.run_sync(state_data, key)

    async def peek_with_version(self, key: str) -> tuple[Any, int | None]:
        """``peek`` and the tracker's version in the same round trip (None: not read)."""
        if self._engine is None:
            return await self.peek(key), None
        async with self._engine.connect() as conn:
            return await conn.run_sync(state_data_and_version, key)

    async def read(self, keys: List[str]) -> Dict[str, Any]:
        if keys is None:
            raise Exception("Keys are required when reading")  # the message botbuilder's storage tests expect
        keys = list(keys)
        if not keys:
            return {}
        rows = await self.services.run(read_states, keys)
        items: Dict[str, Any] = {}
        for key, (data, etag) in rows.items():
            item = decode(data)
            _set_etag(item, str(etag))
            items[key] = item
        return items

    async def write(self, changes: Dict[str, Any]) -> None:
        if changes is None:
            raise Exception("Changes are required when writing")
        if not changes:
            return
        prepared = []
        for key, item in changes.items():
            etag = _etag_of(item)
            if etag == "":
                raise Exception("DatabaseStorage.write(): etag missing")
            expected = None if etag in (None, "*") else int(etag)
            data = encode(item)
            if isinstance(data, dict):
                data.pop("e_tag", None)  # the etag lives in its own column
            prepared.append((key, data, expected))
        etags = await self.services.run(write_states, prepared, self.services.now())
        # Keep the cached item current, so a second save in the same turn is not a false conflict.
        for key, item in changes.items():
            if _etag_of(item) not in (None, "*"):
                _set_etag(item, str(etags[key]))
        log.debug("dialog state written: %s", ", ".join(etags))

    async def delete(self, keys: List[str]) -> None:
        if keys is None:
            raise Exception("Keys are required when deleting")
        await self.services.run(delete_states, list(keys))
