"""One incoming turn as features see it: who is asking, and how to answer.

It reaches Teams only through its `io` (bot/platform: whichever SDK hosts the bot) and reads the
activity only through `facts`. Per-turn state features share (the tracker version a turn read,
for example) lives in `scratch`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.platform import Facts, TurnIO, card_message
from bot.services import BotServices
from dialogs.storage import TRACKER_VERSION_KEY
from store.people.viewers import Viewer

__all__ = ["Turn"]


@dataclass
class Turn:
    io: TurnIO
    services: BotServices
    viewer: Viewer | None
    text: str = ""
    is_invoke: bool = False
    scratch: dict[str, Any] = field(default_factory=dict)  # per-turn values handlers leave for later ones

    @property
    def facts(self) -> Facts:
        return self.io.facts

    def now(self) -> datetime:
        return self.services.now()

    def today(self) -> date:
        return self.services.today()

    async def cached_card(self, key: Hashable, build: Callable[[], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
        """BotServices.cached_card, with the tracker version this turn already read, if it read one."""
        return await self.services.cached_card(key, build, version=self.scratch.get(TRACKER_VERSION_KEY))

    async def send_card(self, card: dict[str, Any], text: str | None = None) -> str | None:
        return await self.io.send(card_message(card, text))

    async def send_text(self, text: str) -> str | None:
        return await self.io.send({"type": "message", "text": text})

    async def update_card(self, activity_id: str, card: dict[str, Any]) -> None:
        await self.io.update(activity_id, card_message(card))
