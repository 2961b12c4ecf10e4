"""In a team channel or group chat, the asker's answers go to their personal chat (issue 10 point 5).

Everyone in a channel or group chat reads what the bot posts there, and nearly all it says is scoped
to the asker: their actions, their group's overdue list, an action's detail, the update dialog's
questions, a cycle's non-responders. So, in a shared conversation, every reply of the turn is sent
to the asker's personal conversation instead (proactively, with its stored reference) and the shared
conversation gets one short note; when the bot cannot reach the asker there, the note tells them to
open a personal chat. A card clicked in the shared conversation is answered the same way: the card
that would replace it goes to the personal chat, and the shared card becomes the note.

It wraps the turn's TurnIO (bot/handler.py does, for every shared conversation), so it holds for
every feature, including ones not yet written: a feature cannot forget it. Only the note itself is
posted publicly.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.platform import Facts, InvokeAnswer, TurnIO, card_message
from bot.proactive import ProactiveSender
from bot.services import BotServices
from cards.private_reply import (
    open_personal_chat_card,
    open_personal_chat_text,
    sent_privately_card,
    sent_privately_text,
)
from store.conversations.references import personal_reference_of_user

__all__ = ["PrivateReplies"]

log = logging.getLogger(__name__)


class _PrivateIO:
    """A shared-conversation turn's TurnIO: messages go to the asker's personal chat."""

    def __init__(self, inner: TurnIO, replies: "PrivateReplies") -> None:
        self.inner, self.facts, self._replies = inner, inner.facts, replies
        self.reachable: bool | None = None  # None: not tried yet
        self.noted = False

    async def send(self, activity: dict[str, Any]) -> str | None:
        reached = await self._replies.deliver(self, activity)
        if not self.noted:
            self.noted = True
            name = self.facts.first_name
            text = sent_privately_text(name) if reached else open_personal_chat_text(name)
            await self.inner.send({"type": "message", "text": text})
        return None  # nothing of the shared conversation's may later be updated as "its" message

    async def update(self, activity_id: str, activity: dict[str, Any]) -> None:
        await self.inner.update(activity_id, activity)

    async def member(self, user_id: str) -> dict[str, Any] | None:
        return await self.inner.member(user_id)


class PrivateReplies:
    """See the module docstring."""

    def __init__(self, services: BotServices, sender: ProactiveSender | None = None) -> None:
        self.services = services
        self._sender = sender

    @property
    def sender(self) -> ProactiveSender:
        if self._sender is None:
            assert self.services.host is not None, "bot/app.py sets the host before any turn"
            self._sender = ProactiveSender(self.services.host)
        return self._sender

    def wrap(self, io: TurnIO) -> TurnIO:
        return _PrivateIO(io, self)

    async def answer(self, io: TurnIO, answer: InvokeAnswer) -> InvokeAnswer:
        """An invoke's card in a shared conversation goes privately; the shared card becomes the note."""
        card = answer.card
        if not isinstance(io, _PrivateIO) or card is None:
            return answer
        reached = await self.deliver(io, card_message(card))
        io.noted = True
        name = io.facts.first_name
        note = sent_privately_card(name) if reached else open_personal_chat_card(name)
        return InvokeAnswer.of_card(note)

    async def deliver(self, io: _PrivateIO, activity: dict[str, Any]) -> bool:
        if io.reachable is False:
            return False  # already told to open the personal chat this turn
        reference = await self._personal_reference(io.facts)
        reached = reference is not None
        if reference is not None:
            result = await self.sender.send(reference, activity)
            if not result.ok:
                log.info("private reply not delivered (%s): asking the user to open the personal chat", result.error)
                reached = False
        io.reachable = reached
        return reached

    async def _personal_reference(self, facts: Facts) -> dict[str, Any] | None:
        try:
            return await self.services.run(
                personal_reference_of_user, facts.user_id or "", aad_object_id=facts.aad_object_id
            )
        except Exception:  # never post publicly because the lookup failed
            log.warning("personal conversation lookup failed", exc_info=True)
            return None
