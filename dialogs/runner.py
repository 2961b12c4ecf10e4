"""Runs the owner's update conversation for one typed message, with each user's state in one row."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from dialogs import update_action
from dialogs.commands import StartRequest, is_cancel, parse_command
from dialogs.state import Unreadable, UpdateState, decode, encode, state_key
from dialogs.storage import Services, TurnStart, read_row, save_row
from store.conversations.dialog_state import EtagConflict
from store.people.viewers import Viewer

__all__ = ["OwnerDialogs", "DialogTurn"]

log = logging.getLogger(__name__)
_START_AGAIN = (
    "I couldn't carry on our conversation about updating an action (the bot was updated in between). "
    "Nothing was changed: please start again, e.g. type **update** or **mark DARA-2011-004 implemented**."
)


class DialogTurn(Protocol):
    """The little of a turn (bot/turn.py's Turn) the conversation uses: no SDK type in sight."""

    text: str
    viewer: Viewer | None

    @property
    def services(self) -> Services: ...  # read-only, so a turn's own richer services (BotServices) fit

    @property
    def start(self) -> TurnStart | None: ...  # what the turn read first (bot/handler.py), if anything

    def now(self) -> datetime: ...

    async def send_text(self, text: str) -> str | None: ...

    async def send_card(self, card: dict[str, Any], text: str | None = None) -> str | None: ...


@dataclass(frozen=True)
class _Result:
    state: UpdateState | None
    handled: bool


class OwnerDialogs:
    """Built once per process; holds nothing per user (that is all in the database)."""

    def __init__(self, services: Services | None = None):
        del services  # each turn brings its own; kept so the call sites need not change

    async def on_message(self, turn: DialogTurn) -> bool:
        """Continue a waiting conversation or start one for an update command; False = not ours."""
        if turn.viewer is None or not turn.text:
            return False
        text = turn.text.strip()
        key = state_key(turn.viewer)
        # read with the tracker's version at the start of the turn (one round trip), when it was ours
        read = turn.start.row_for(key) if turn.start is not None else None
        row = read if read is not None else await read_row(turn.services, key)
        start = parse_command(text)
        current = decode(row.data)
        if start is None and current is None:
            return False  # a question (nearly every message): nothing to write
        result = await self._step(turn, current, text, start)
        try:
            await save_row(
                turn.services, key, encode(result.state) if result.state else None, etag=row.etag, now=turn.now()
            )
        except EtagConflict:
            # another turn of this user (a double send, another instance) moved the conversation on
            # meanwhile; what it keeps stands, and this turn's replies are already sent
            log.warning("update dialog: state changed by a concurrent turn; keeping the other turn's")
        log.debug("owner dialogs handled=%s", result.handled)
        return result.handled

    async def _step(
        self, turn: DialogTurn, current: UpdateState | Unreadable | None, text: str, start: StartRequest | None
    ) -> _Result:
        if current is not None and is_cancel(text):
            await turn.send_text("OK, cancelled. Nothing was changed.")
            return _Result(None, True)
        if start is not None:  # a fresh command replaces an unfinished one
            return _Result(await update_action.start(turn, start), True)
        if isinstance(current, Unreadable):
            log.info("update dialog: dropped a state this version cannot continue (%s)", current.why)
            await turn.send_text(_START_AGAIN)
            return _Result(None, True)
        assert current is not None
        answered = await update_action.answer(turn, current, text)
        return _Result(answered.state, answered.handled)
