"""Cards built from the tracker, served again while the tracker's version stays the same.

Most turns are questions ("what's overdue in my group", "my actions") asked again and again
between the few changes to the tracker. Building such a card costs several SQL statements, the
ORM and the card builder; serving it again costs one read of the tracker's version (store/db/version.py),
which every writer bumps in the same transaction as its change (triggers, migration 0009). So a
cached card is never older than the data a fresh read would have seen, on any instance.

The version is read *before* the card is built: a change committed while it is being built can
only make the card newer than its version, never older.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

__all__ = ["AnswerCache", "Card"]

log = logging.getLogger(__name__)

Card = dict[str, Any]


class AnswerCache:
    """At most ``size`` cards of one tracker version, least recently used dropped first; 0 keeps none.

    Cards handed out are shared: callers send them and never change them.
    """

    def __init__(self, size: int = 512):
        self.size = size
        self._version: int | None = None
        self._cards: OrderedDict[Hashable, Card] = OrderedDict()
        self.hits = self.misses = 0

    async def card(self, version: int, key: Hashable, build: Callable[[], Awaitable[Card]]) -> Card:
        """The card for ``key`` at ``version``, built (and kept) when this process has none."""
        if self.size <= 0:
            return await build()
        if self._version is None or version > self._version:
            self._cards.clear()  # the tracker changed: every card may be out of date
            self._version = version
        elif version < self._version:
            return await build()  # read before a change another turn has already seen: keep the newer cards
        found = self._cards.get(key)
        if found is not None:
            self._cards.move_to_end(key)
            self.hits += 1
            return found
        self.misses += 1
        built = await build()
        if self._version == version:  # another turn may have seen a newer version meanwhile
            self._cards[key] = built
            if len(self._cards) > self.size:
                self._cards.popitem(last=False)
        return built
