"""The Teams activity handler: recognise the user, then dispatch. No business rules here."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler, TeamsInfo
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount

from bot.services import BotServices
from bot.turn import Turn
from cards.common import message
from cards.help import question_too_long_card
from domain.numbers import BadNumber
from domain.text import LIMITS, clean, too_long
from store.people.identity import Registration, ViewerCache, identify, register_conversation
from store.people.viewers import Viewer

__all__ = ["TrackerBot"]

log = logging.getLogger(__name__)
_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"


class TrackerBot(TeamsActivityHandler):
    def __init__(self, services: BotServices, viewers: ViewerCache | None = None):
        self.services = services
        # Who is behind a conversation, for a few seconds: most turns then need no identity query,
        # no roster call and no write (see ViewerCache for when it forgets).
        self.viewers = viewers or ViewerCache()

    # -- who is this? -----------------------------------------------------------------------------
    async def _upn(self, context: TurnContext) -> str | None:
        """Teams tells the UPN/email only when asked; used when the aad id matches nobody."""
        try:
            member = await TeamsInfo.get_member(context, context.activity.from_property.id)
        except Exception:  # not Teams, or the roster call failed: fall back to aad id only
            log.debug("member lookup failed", exc_info=True)
            return None
        return getattr(member, "user_principal_name", None) or getattr(member, "email", None)

    async def _viewer(self, context: TurnContext) -> Viewer | None:
        activity = context.activity
        user: ChannelAccount = activity.from_property
        key = (activity.conversation.id, user.id, user.aad_object_id)
        cached = self.viewers.get(key)
        if cached is not ViewerCache.MISSING:
            return cached
        generation = ViewerCache.generation()
        viewer = await self.services.run(
            identify,
            conversation_id=activity.conversation.id,
            user_id=user.id,
            aad_object_id=user.aad_object_id,
            today=self.services.today(),
        )
        if viewer is None:
            viewer = (await self._register(context)).viewer
            generation = ViewerCache.generation()  # registering wrote the reference: that write is ours
        self.viewers.put(key, viewer, generation=generation)
        return viewer

    async def _register(self, context: TurnContext) -> Registration:
        activity = context.activity
        reference = TurnContext.get_conversation_reference(activity).serialize()
        return await self.services.run(
            register_conversation,
            reference,
            aad_object_id=activity.from_property.aad_object_id,
            email_or_upn=await self._upn(context),
            now=self.services.now(),
            today=self.services.today(),
        )

    # -- install ----------------------------------------------------------------------------------
    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._welcome(turn_context)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        """Only the bot's own arrival matters. The SDK's Teams dispatch would first look up every other
        member added (a roster call that fails for someone already gone, failing the turn) for events
        this bot does not handle."""
        await self.on_members_added_activity(list(turn_context.activity.members_added or []), turn_context)

    async def on_members_added_activity(self, members_added: list[ChannelAccount], turn_context: TurnContext) -> None:
        bot_id = getattr(turn_context.activity.recipient, "id", None)
        if bot_id and any(getattr(m, "id", None) == bot_id for m in members_added):
            await self._welcome(turn_context)

    async def _welcome(self, context: TurnContext) -> None:
        registration = await self._register(context)
        if not registration.fresh:
            return  # the same install announced twice (installationUpdate and conversationUpdate)
        turn = Turn(context, self.services, registration.viewer)
        await turn.send_card(await self.services.routes.verbs["greet"](turn, {}))

    # -- messages and card actions -------------------------------------------------------------------
    async def on_turn(self, turn_context: TurnContext) -> None:
        """An activity without a sender cannot be attributed to anyone: ignore it (invokes get a 400)."""
        sender = turn_context.activity.from_property
        if sender is None or not getattr(sender, "id", None):
            log.warning("%s activity without 'from' ignored", turn_context.activity.type)
            if turn_context.activity.type == ActivityTypes.invoke:
                await turn_context.send_activity(
                    Activity(
                        type=ActivityTypes.invoke_response, value=InvokeResponse(status=int(HTTPStatus.BAD_REQUEST))
                    )
                )
            return
        await super().on_turn(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        # In group chats and channels the text starts with '<at>Audit Tracker</at>': drop it.
        if activity.recipient is not None:  # the SDK reads recipient.id; a client may leave it out
            TurnContext.remove_recipient_mention(activity)
        # Typed text is cleaned once here, so dialogs (which read activity.text) and questions see the same.
        activity.text = clean(activity.text if isinstance(activity.text, str) else "").strip()
        viewer = await self._viewer(turn_context)
        turn = Turn(turn_context, self.services, viewer, text=activity.text)
        if too_long(activity.text, LIMITS["dialog_answer"]) is not None:
            # Nothing typed in this bot is that long (notes go on the update card): refuse before the
            # dialogs or the question parser look at it (a 1 MB message took 11 s to parse).
            await turn.send_card(question_too_long_card(LIMITS["question"]))
            return
        value = activity.value if isinstance(activity.value, dict) else None
        if value and value.get("verb"):  # an Action.Submit fallback from a client without Universal Actions
            card = await self._run_verb(turn, value["verb"], value)
            if card is not None:
                await turn.send_card(card)
            return
        for pre in self.services.routes.pre_routes:
            if await pre(turn):
                return
        await self.services.routes.verbs["ask"](turn, {"text": turn.text})

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        activity = turn_context.activity
        if activity.name != "adaptiveCard/action":
            try:
                return await super().on_invoke_activity(turn_context)
            except ValueError:  # the SDK reads the value as that invoke's schema: a wrong shape is the client's
                log.warning("invoke %r with a malformed value refused", activity.name)
                return InvokeResponse(status=int(HTTPStatus.BAD_REQUEST))
        value = activity.value if isinstance(activity.value, dict) else {}
        action = value.get("action") if isinstance(value.get("action"), dict) else {}
        data = action.get("data") if isinstance(action.get("data"), dict) else {}
        verb_name = action.get("verb") if isinstance(action.get("verb"), str) else ""
        viewer = await self._viewer(turn_context)
        turn = Turn(turn_context, self.services, viewer, is_invoke=True)
        card = await self._run_verb(turn, verb_name, dict(data))
        if card is None:
            body = {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": "Done"}
        else:
            body = {"statusCode": 200, "type": _CARD_CONTENT_TYPE, "value": card}
        return InvokeResponse(status=int(HTTPStatus.OK), body=body)

    async def _run_verb(self, turn: Turn, name: Any, data: dict[str, Any]) -> dict[str, Any] | None:
        handler = self.services.routes.verbs.get(name) if isinstance(name, str) else None
        if handler is None:
            return _stale_button()
        if turn.viewer is None and name not in ("greet", "ask"):
            return await self.services.routes.verbs["greet"](turn, {})
        try:
            return await handler(turn, data)
        except BadNumber:  # a page, id or cycle that is not a sane whole number: a stale or forged card
            log.info("verb %s: card data with a bad number", name)
            return _stale_button()


def _stale_button() -> dict[str, Any]:
    return message(
        "That button is no longer available",
        "This card is from an older version of the bot. Type **help** to see what you can do.",
    )
