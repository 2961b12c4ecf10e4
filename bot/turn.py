"""One incoming turn as features see it: who is asking, and how to answer."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity

from bot.services import BotServices
from store.people import Viewer

__all__ = ["Turn"]


@dataclass
class Turn:
    context: TurnContext
    services: BotServices
    viewer: Viewer | None
    text: str = ""
    is_invoke: bool = False

    @property
    def activity(self) -> Activity:
        return self.context.activity

    def now(self) -> datetime:
        return self.services.now()

    def today(self) -> date:
        return self.services.today()

    async def send_card(self, card: dict[str, Any], text: str | None = None) -> str | None:
        activity = MessageFactory.attachment(CardFactory.adaptive_card(card))
        if text:
            activity.text = text
        response = await self.context.send_activity(activity)
        return response.id if response else None

    async def send_text(self, text: str) -> str | None:
        response = await self.context.send_activity(MessageFactory.text(text))
        return response.id if response else None

    async def update_card(self, activity_id: str, card: dict[str, Any]) -> None:
        activity = MessageFactory.attachment(CardFactory.adaptive_card(card))
        activity.id = activity_id
        await self.context.update_activity(activity)
