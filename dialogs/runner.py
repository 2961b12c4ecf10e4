"""Runs the owner's dialogs for one typed message, with each user's dialog state in the database."""

from __future__ import annotations

import logging

from botbuilder.core import Storage, TurnContext, UserState
from botbuilder.dialogs import DialogSet

from dialogs.commands import is_cancel, parse_command
from dialogs.storage import TRACKER_VERSION_KEY, DatabaseStorage, Services, has_active_dialog
from dialogs.update_action import UNHANDLED_KEY, VIEWER_KEY, UpdateActionDialog
from store.people.viewers import Viewer

__all__ = ["OwnerDialogs"]

log = logging.getLogger(__name__)
_STATE_PROPERTY = "DialogState"


class OwnerDialogs:
    """Built once per process; holds no per-conversation data itself (that is all in storage)."""

    def __init__(self, services: Services, storage: Storage | None = None):
        self.storage = storage or DatabaseStorage(services)
        # Per user, not per conversation: in a group chat one member's "yes" must never answer another
        # member's question. And since the dialog's questions reach a group chat's member in their
        # personal chat (bot/privacy.py), their answer there continues the dialog begun in the group.
        self.state = UserState(self.storage)
        self.dialogs = DialogSet(self.state.create_property(_STATE_PROPERTY))
        self.dialogs.add(UpdateActionDialog(services))

    async def on_message(self, context: TurnContext, viewer: Viewer) -> bool:
        """Continue an active dialog or start one for an update command; False = not ours."""
        text = (context.activity.text or "").strip()
        start = parse_command(text)
        if start is None and not await self._dialog_waiting(context):
            return False  # a question: no dialog machinery, no state loaded into the turn
        context.turn_state[VIEWER_KEY] = viewer
        dc = await self.dialogs.create_context(context)
        was_active, handled = dc.active_dialog is not None, True
        if dc.active_dialog is not None and is_cancel(text):
            await dc.cancel_all_dialogs()
            await context.send_activity("OK, cancelled. Nothing was changed.")
        elif start is not None:
            if dc.active_dialog is not None:  # a fresh command replaces the unfinished one
                await dc.cancel_all_dialogs()
            await dc.begin_dialog(UpdateActionDialog.ID, start.options())
        elif dc.active_dialog is not None:
            await dc.continue_dialog()
            handled = not context.turn_state.get(UNHANDLED_KEY)
        else:
            handled = False
        if was_active or start is not None:  # most messages are questions: no write for those
            await self.state.save_changes(context)
        log.debug("owner dialogs handled=%s", handled)
        return handled

    async def _dialog_waiting(self, context: TurnContext) -> bool:
        key = self.state.get_storage_key(context)
        version = None
        if isinstance(self.storage, DatabaseStorage):
            item, version = await self.storage.peek_with_version(key)
        else:
            item = (await self.storage.read([key])).get(key)
        waiting = has_active_dialog(item, _STATE_PROPERTY)
        if not waiting and version is not None:
            # nothing will be written before this turn's question is answered: the version read now
            # is older than any card built later in the turn, which is all the answer cache needs
            context.turn_state[TRACKER_VERSION_KEY] = version
        return waiting
