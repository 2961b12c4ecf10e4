"""In a team channel or group chat, the asker's answers go to their personal chat (issue 10 point 5).

Everyone in a channel or group chat reads what the bot posts there, and nearly all it says is scoped
to the asker: their actions, their group's overdue list, an action's detail, the update dialog's
questions, a cycle's non-responders. So, in a shared conversation, every reply of the turn is sent
to the asker's personal conversation instead (proactively, with its stored reference) and the shared
conversation gets one short note; when the bot cannot reach the asker there, the note tells them to
open a personal chat. A card clicked in the shared conversation is answered the same way: the card
that would replace it goes to the personal chat, and the shared card becomes the note.

It is a middleware on the adapter, so it holds for every feature, including ones not yet written:
a feature cannot forget it. Only the note itself is posted publicly.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any, Awaitable, Callable

from botbuilder.core import InvokeResponse, Middleware, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ResourceResponse

from bot.proactive import ADAPTIVE_CARD_CONTENT_TYPE, ProactiveSender, card_activity
from bot.services import BotServices
from cards.private_reply import (
    open_personal_chat_card,
    open_personal_chat_text,
    sent_privately_card,
    sent_privately_text,
)
from store.conversations.references import personal_reference_of_user

__all__ = ["PrivateReplies", "is_shared"]

log = logging.getLogger(__name__)
_STATE = "tracker.private_replies"  # turn_state: how this turn's private delivery went


def is_shared(activity: Activity) -> bool:
    """True unless the conversation is a one-to-one chat with the bot.

    Teams marks group chats and channels with conversationType ("groupChat", "channel") and isGroup;
    any type other than "personal" counts as shared (fail closed). Clients that say nothing at all
    (the Agents Playground, the Emulator) are one-to-one.
    """
    conversation = activity.conversation
    if conversation is None:
        return False
    kind = (conversation.conversation_type or "").strip().lower()
    return bool(conversation.is_group) or (kind not in ("", "personal"))


class _TurnDelivery:
    """One shared-conversation turn: where its replies went, and whether the note was posted."""

    def __init__(self) -> None:
        self.reachable: bool | None = None  # None: not tried yet
        self.noted = False
        self.public = False  # True while the note itself is being sent


def _first_name(activity: Activity) -> str | None:
    name = getattr(activity.from_property, "name", None) or ""
    return name.split()[0] if name.strip() else None


def _invoke_card(activity: Activity) -> dict[str, Any] | None:
    """The card an `adaptiveCard/action` invoke response would show in the shared conversation."""
    response = activity.value
    body = response.body if isinstance(response, InvokeResponse) else None
    if (
        isinstance(body, dict)
        and body.get("type") == ADAPTIVE_CARD_CONTENT_TYPE
        and isinstance(body.get("value"), dict)
    ):
        return body["value"]
    return None


def _placeholder(activity: Activity) -> Activity:
    return Activity(
        type=ActivityTypes.trace,
        name="tracker.sent_privately",
        label="Reply sent to the personal chat",
        channel_id=activity.channel_id,
        conversation=activity.conversation,
    )


def _invoke_note(card: dict[str, Any]) -> InvokeResponse:
    return InvokeResponse(
        status=int(HTTPStatus.OK), body={"statusCode": 200, "type": ADAPTIVE_CARD_CONTENT_TYPE, "value": card}
    )


class PrivateReplies(Middleware):
    """Adapter middleware; see the module docstring."""

    def __init__(self, services: BotServices, sender: ProactiveSender) -> None:
        self.services = services
        self.sender = sender

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable]) -> None:
        if is_shared(context.activity):
            context.turn_state[_STATE] = _TurnDelivery()
            context.on_send_activities(self._redirect)
        await logic()

    async def _redirect(
        self, context: TurnContext, activities: list[Activity], next_send: Callable[[], Awaitable]
    ) -> list[ResourceResponse]:
        """Take this send's messages out of the shared conversation and deliver them privately.

        botbuilder sends whatever is left in ``activities`` after its handlers ran, so the list is
        edited in place: a message taken out is replaced by a trace, which the adapter does not post
        (and which keeps the sender's response list the same length; its id is empty, so nothing
        later tries to update "its" message in the shared conversation).
        """
        delivery: _TurnDelivery = context.turn_state[_STATE]
        if delivery.public:
            return await next_send()
        private: list[Activity] = []
        kept: list[Activity] = []
        invoke: Activity | None = None
        for activity in activities:
            if activity.type == ActivityTypes.message:
                private.append(activity)
                kept.append(_placeholder(activity))
            elif activity.type == ActivityTypes.invoke_response and (card := _invoke_card(activity)) is not None:
                private.append(card_activity(card))
                invoke = activity
                kept.append(activity)
            else:  # typing indicators, traces, invoke responses without a card: nothing to read
                kept.append(activity)
        activities[:] = kept
        if private:
            reached = await self._deliver(context, delivery, private)
            name = _first_name(context.activity)
            if invoke is not None:
                invoke.value = _invoke_note(sent_privately_card(name) if reached else open_personal_chat_card(name))
                delivery.noted = True
            elif not delivery.noted:
                delivery.noted = True
                await self._post_note(
                    context, delivery, sent_privately_text(name) if reached else open_personal_chat_text(name)
                )
        return await next_send()

    async def _deliver(self, context: TurnContext, delivery: _TurnDelivery, private: list[Activity]) -> bool:
        if delivery.reachable is False:
            return False  # already told to open the personal chat this turn
        user = context.activity.from_property
        try:
            reference = await self.services.run(
                personal_reference_of_user,
                getattr(user, "id", None) or "",
                aad_object_id=getattr(user, "aad_object_id", None),
            )
        except Exception:  # never post publicly because the lookup failed
            log.warning("personal conversation lookup failed", exc_info=True)
            reference = None
        reached = reference is not None
        for activity in private if reached else ():
            result = await self.sender.send(reference, activity)
            if not result.ok:
                log.info("private reply not delivered (%s): asking the user to open the personal chat", result.error)
                reached = False
                break
        delivery.reachable = reached
        return reached

    async def _post_note(self, context: TurnContext, delivery: _TurnDelivery, text: str) -> None:
        delivery.public = True
        try:
            await context.send_activity(text)
        finally:
            delivery.public = False
