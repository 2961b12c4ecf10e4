"""One incoming turn as features see it: who is asking, and how to answer.

It reaches Teams only through its `io` (bot/platform: whichever SDK hosts the bot) and reads the
activity only through `facts`. What the turn read first (`start`: the tracker's version, and the
dialog row of its person) is what every cache keys on for the rest of the turn.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.platform import Facts, TurnIO, card_message
from bot.services import BotServices
from dialogs.storage import TurnStart
from store.people.viewers import Viewer

__all__ = ["Turn"]


@dataclass
class Turn:
    io: TurnIO
    services: BotServices
    viewer: Viewer | None
    text: str = ""
    is_invoke: bool = False
    # read before anything else, in one statement (bot/handler.py); None for turns that read none
    start: TurnStart | None = None

    @property
    def facts(self) -> Facts:
        return self.io.facts

    def now(self) -> datetime:
        return self.services.now()

    def today(self) -> date:
        return self.services.today()

    async def tracker_version(self) -> int:
        """The tracker's version as this turn first read it (read now if the turn read none)."""
        return self.start.version if self.start is not None else await self.services.tracker_version()

    async def cached_card(self, key: Hashable, build: Callable[[], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
        """BotServices.cached_card at the tracker version this turn read first: read before the turn
        wrote anything, so a card built later is never older than it."""
        return await self.services.cached_card(key, build, version=await self.tracker_version())

    async def send_card(self, card: dict[str, Any], text: str | None = None) -> str | None:
        return await self.io.send(card_message(card, text))

    async def send_text(self, text: str) -> str | None:
        return await self.io.send({"type": "message", "text": text})

    async def update_card(self, activity_id: str, card: dict[str, Any]) -> None:
        await self.io.update(activity_id, card_message(card))
