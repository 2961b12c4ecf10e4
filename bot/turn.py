"""One incoming turn as features see it: who is asking, and how to answer.

Replies and card updates are the hot path: they go out as JSON built once, through the connector
client's `JsonSender` (bot/transport.py), instead of `TurnContext.send_activity`, which deep-copies
the activity and has msrest serialise the card leaf by leaf (a third of a turn's CPU). The JSON is
what the SDK would have sent. The SDK path is kept where it behaves differently: another adapter
(tests' TestAdapter), send/update hooks registered on the context, or `expectReplies` delivery.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from botbuilder.core import BotAdapter, CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity, DeliveryModes

from bot.services import BotServices
from bot.transport import JsonSender, json_sender, model_json
from dialogs.storage import TRACKER_VERSION_KEY
from store.people.viewers import Viewer

__all__ = ["Turn"]

_ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


@dataclass
class Turn:
    context: TurnContext
    services: BotServices
    viewer: Viewer | None
    text: str = ""
    is_invoke: bool = False
    scratch: dict[str, Any] = field(default_factory=dict)  # per-turn values handlers leave for later ones
    _address: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def activity(self) -> Activity:
        return self.context.activity

    def now(self) -> datetime:
        return self.services.now()

    async def cached_card(self, key: Hashable, build: Callable[[], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
        """BotServices.cached_card, with the tracker version this turn already read, if it read one."""
        version = self.scratch.get(TRACKER_VERSION_KEY)
        return await self.services.cached_card(key, build, version=version)

    def today(self) -> date:
        return self.services.today()

    async def send_card(self, card: dict[str, Any], text: str | None = None) -> str | None:
        sender = self._fast(self.context._on_send_activities)  # noqa: SLF001 - hooks need the SDK path
        if sender is not None:
            body: dict[str, Any] = {
                "type": "message",
                "attachmentLayout": "list",
                "attachments": [{"contentType": _ADAPTIVE_CARD, "content": card}],
            }
            if text:
                body["text"] = text
            return await self._reply(sender, body)
        activity = MessageFactory.attachment(CardFactory.adaptive_card(card))
        if text:
            activity.text = text
        response = await self.context.send_activity(activity)
        return response.id if response else None

    async def send_text(self, text: str) -> str | None:
        sender = self._fast(self.context._on_send_activities)  # noqa: SLF001
        if sender is not None:
            return await self._reply(sender, {"type": "message", "text": text})
        response = await self.context.send_activity(MessageFactory.text(text))
        return response.id if response else None

    async def update_card(self, activity_id: str, card: dict[str, Any]) -> None:
        sender = self._fast(self.context._on_update_activity)  # noqa: SLF001
        if sender is not None:
            body = {
                "type": "message",
                "attachmentLayout": "list",
                "id": activity_id,
                "attachments": [{"contentType": _ADAPTIVE_CARD, "content": card}],
                **self._addressing(),
            }
            await sender.update(self.activity.conversation.id, activity_id, body)
            return
        activity = MessageFactory.attachment(CardFactory.adaptive_card(card))
        activity.id = activity_id
        await self.context.update_activity(activity)

    # -- the fast path -------------------------------------------------------------------------------
    def _fast(self, hooks: list) -> JsonSender | None:
        if hooks or self.activity.delivery_mode == DeliveryModes.expect_replies:
            return None
        return json_sender(self.context.turn_state.get(BotAdapter.BOT_CONNECTOR_CLIENT_KEY))

    def _addressing(self) -> dict[str, Any]:
        """Who the reply is from and to, as TurnContext.apply_conversation_reference sets it (once a turn)."""
        if self._address is None:
            a = self.activity
            address = {
                "channelId": a.channel_id,
                "locale": a.locale,
                "serviceUrl": a.service_url,
                "conversation": model_json(a.conversation),
                "from": model_json(a.recipient),
                "recipient": model_json(a.from_property),
                "replyToId": a.id,
            }
            self._address = {k: v for k, v in address.items() if v is not None}
        return self._address

    async def _reply(self, sender: JsonSender, body: dict[str, Any]) -> str | None:
        body.update(self._addressing())
        body.setdefault("inputHint", "acceptingInput")
        activity_id = await sender.reply(self.activity.conversation.id, self.activity.id, body)
        self.context.responded = True
        return activity_id
