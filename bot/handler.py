"""The Teams activity handler: recognise the user, then dispatch. No business rules, and no SDK:
a host (bot/platform) calls `TrackerBot.on_activity` with the turn's TurnIO."""

from __future__ import annotations

import logging
import uuid
from http import HTTPStatus
from typing import Any, Callable, cast

from bot.platform import InvokeAnswer, Logic, TurnIO
from bot.privacy import PrivateReplies
from bot.services import BotServices
from bot.turn import Turn
from cards.common import message
from cards.help import message_too_long_card
from dialogs.state import state_key
from dialogs.storage import TurnStart, read_start
from domain.numbers import BadNumber
from domain.text import MAX_MESSAGE, clean
from store.db.outage import database_unavailable
from store.people.identity import Registration, ViewerCache, identify, register_conversation
from store.people.viewers import Viewer

__all__ = ["TrackerBot", "answer_failure", "apology_text", "new_reference", "RETRY_TEXT"]

log = logging.getLogger(__name__)
CARD_ACTION = "adaptiveCard/action"


def new_reference() -> str:
    """A short correlation id a user can read out to the support team."""
    return uuid.uuid4().hex[:8]


def apology_text(reference: str, contact: str = "the Strategy & Governance team") -> str:
    return (
        "Sorry, something went wrong on our side. If it keeps happening, "
        f"tell {contact} and quote reference {reference}."
    )


RETRY_TEXT = "The tracker is busy for a moment and nothing was saved. Please try again in a minute."


async def _database_unavailable(io: TurnIO, error: Exception) -> InvokeAnswer | None:
    """The database is restarting or unreachable: nothing was saved (the turn's transaction rolled
    back), so the person is asked to try again in a moment; one WARNING line, no traceback, no 500."""
    facts = io.facts
    log.warning(
        "Turn not done: the database is unavailable (%s); the user was asked to try again [type=%s name=%s]",
        type(error).__name__,
        facts.type,
        facts.name,
    )
    try:
        await io.send({"type": "message", "text": RETRY_TEXT})
    except Exception:  # the reply itself may not get out; the line above says why
        log.warning("Could not send the try-again message", exc_info=False)
    return InvokeAnswer.of_message(RETRY_TEXT) if facts.is_invoke else None


async def answer_failure(io: TurnIO, error: Exception, contact: str) -> InvokeAnswer | None:
    """Log a failed turn under a new reference and apologise quoting it; an invoke still gets an answer.
    A database that is away for a moment is no failure of ours: the person is asked to try again."""
    if database_unavailable(error):
        return await _database_unavailable(io, error)
    reference = new_reference()
    facts = io.facts
    log.error(
        "Turn failed [ref %s] type=%s name=%s conversation=%s activity=%s",
        reference,
        facts.type,
        facts.name,
        facts.conversation_id,
        facts.activity_id,
        exc_info=(type(error), error, error.__traceback__),
    )
    text = apology_text(reference, contact)
    try:
        await io.send({"type": "message", "text": text})
    except Exception:  # the connector may be what failed; the log above has the cause
        log.warning("Could not send the apology [ref %s]", reference, exc_info=True)
    if not facts.is_invoke:
        return None
    return InvokeAnswer.of_error(int(HTTPStatus.INTERNAL_SERVER_ERROR), "InternalServerError", text)


class TrackerBot:
    def __init__(
        self,
        services: BotServices,
        viewers: ViewerCache | None = None,
        *,
        private: PrivateReplies | None = None,
        instrument: Callable[[Logic], Logic] | None = None,
    ):
        self.services = services
        # Who is behind a conversation, while the tracker is unchanged: most turns then need no identity
        # query, no roster call and no write (see ViewerCache for when it forgets).
        self.viewers = viewers or ViewerCache()
        self.private = private or PrivateReplies(services)
        # bot/observe.py's InstrumentedBot, inside the error handling so that it sees failures
        self._dispatched: Logic = instrument(self._dispatch) if instrument else self._dispatch

    async def __call__(self, io: TurnIO) -> InvokeAnswer | None:
        return await self.on_activity(io)

    async def on_activity(self, io: TurnIO) -> InvokeAnswer | None:
        """One turn. A failure is logged under a reference and answered with an apology quoting it."""
        facts = io.facts
        if not facts.user_id:  # cannot be attributed to anyone
            log.warning("%s activity without 'from' ignored", facts.type)
            return InvokeAnswer(int(HTTPStatus.BAD_REQUEST)) if facts.is_invoke else None
        if facts.is_shared:  # channels and group chats: answers go privately (bot/privacy.py)
            io = self.private.wrap(io)
        try:
            answer = await self._dispatched(io)
        except Exception as error:  # noqa: BLE001 - the one place a turn's failure is handled
            return await answer_failure(io, error, self.services.settings.governance_contact)
        return await self.private.answer(io, answer) if answer is not None else None

    async def _dispatch(self, io: TurnIO) -> InvokeAnswer | None:
        kind = io.facts.type
        if kind == "message":
            await self._message(io)
        elif kind == "invoke":
            return await self._invoke(io)
        elif kind == "installationUpdate":
            if (io.facts.action or "add").startswith("add"):  # "add", "add-upgrade"
                await self._welcome(io)
        elif kind == "conversationUpdate":
            # Only the bot's own arrival matters: other members added need no roster call.
            if io.facts.recipient_id and io.facts.recipient_id in io.facts.members_added:
                await self._welcome(io)
        return None

    # -- who is this? -----------------------------------------------------------------------------
    async def _upn(self, io: TurnIO) -> str | None:
        """Teams tells the UPN/email only when asked; used when the aad id matches nobody."""
        try:
            member = await io.member(io.facts.user_id or "")
        except Exception:  # not Teams, or the roster call failed: fall back to aad id only
            log.debug("member lookup failed", exc_info=True)
            return None
        if not member:
            return None
        found = member.get("userPrincipalName") or member.get("email")
        return found if isinstance(found, str) and found else None

    async def _viewer(self, io: TurnIO) -> tuple[Viewer | None, TurnStart]:
        """Who is asking, and what the turn read first: one statement (the tracker's version, with the
        dialog row of the person this conversation was last seen to be) when the cache knows them."""
        facts = io.facts
        key = (facts.conversation_id, facts.user_id, facts.aad_object_id)
        today = self.services.today()
        guess = self.viewers.peek(key)
        start = await read_start(self.services, state_key(guess) if guess is not None else None)
        cached = self.viewers.get(key, version=start.version, today=today)
        if cached is not ViewerCache.MISSING:
            return cast("Viewer | None", cached), start
        viewer = await self.services.run(
            identify,
            conversation_id=facts.conversation_id,
            user_id=facts.user_id,
            aad_object_id=facts.aad_object_id,
            today=today,
        )
        if viewer is None:
            viewer = (await self._register(io)).viewer
        self.viewers.put(key, viewer, version=start.version, today=today)  # read after the version: safe
        return viewer, start

    async def _register(self, io: TurnIO) -> Registration:
        return await self.services.run(
            register_conversation,
            io.facts.reference(),
            aad_object_id=io.facts.aad_object_id,
            email_or_upn=await self._upn(io),
            now=self.services.now(),
            today=self.services.today(),
        )

    async def _welcome(self, io: TurnIO) -> None:
        registration = await self._register(io)
        if not registration.fresh:
            return  # the same install announced again (installationUpdate, conversationUpdate, a reopen)
        turn = Turn(io, self.services, registration.viewer)
        greeting = await self.services.routes.verbs["greet"](turn, {})
        if greeting is not None:
            await turn.send_card(greeting)

    # -- messages and card actions -------------------------------------------------------------------
    async def _message(self, io: TurnIO) -> None:
        facts = io.facts
        text = facts.text
        # In group chats and channels the text starts with '<at>Audit Tracker</at>': drop it.
        for who, mention in facts.mentions:
            if who == facts.recipient_id:
                text = text.replace(mention, "")
        # Typed text is cleaned once here, so dialogs and questions see the same.
        text = clean(text).strip()
        viewer, start = await self._viewer(io)
        turn = Turn(io, self.services, viewer, text=text, start=start)
        if len(text) > MAX_MESSAGE:
            # Refused before the dialogs or the question parser look at it (a 1 MB message took 11 s
            # to parse). A question has its own, shorter cap, checked where questions are read.
            log.info("message refused: %d characters", len(text))
            await turn.send_card(message_too_long_card(MAX_MESSAGE))
            return
        value = facts.value if isinstance(facts.value, dict) else None
        if value and value.get("verb"):  # an Action.Submit fallback from a client without Universal Actions
            card = await self._run_verb(turn, value["verb"], value)
            if card is not None:
                await turn.send_card(card)
            return
        for pre in self.services.routes.pre_routes:
            if await pre(turn):
                return
        await self.services.routes.verbs["ask"](turn, {"text": turn.text})

    async def _invoke(self, io: TurnIO) -> InvokeAnswer:
        facts = io.facts
        if facts.name != CARD_ACTION:
            # Messaging extensions, file consent, task modules, sign-in...: this bot offers none. A
            # client that sends one anyway gets a plain refusal, never a 500 or a 501.
            log.warning("invoke %r refused: the bot handles only %s", (facts.name or "")[:80], CARD_ACTION)
            return InvokeAnswer.of_error(
                int(HTTPStatus.BAD_REQUEST), "BadRequest", "This app does not support that action."
            )
        value = _mapping(facts.value)
        action = _mapping(value.get("action"))
        data = _mapping(action.get("data"))
        verb_name = action.get("verb") if isinstance(action.get("verb"), str) else ""
        viewer, start = await self._viewer(io)
        turn = Turn(io, self.services, viewer, is_invoke=True, start=start)
        card = await self._run_verb(turn, verb_name, data)
        return InvokeAnswer.of_message("Done") if card is None else InvokeAnswer.of_card(card)

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


def _mapping(value: Any) -> dict[str, Any]:
    """A card's JSON object, or an empty one when a client (or a forger) sent something else."""
    return dict(value) if isinstance(value, dict) else {}


def _stale_button() -> dict[str, Any]:
    return message(
        "That button is no longer available",
        "This card is from an older version of the bot. Type **help** to see what you can do.",
    )
