"""A typed turn no dialog takes reads the tracker's version with its dialog state (one round trip)
and leaves it for the answer cache; a turn a dialog takes (which may write) leaves none."""

from __future__ import annotations

from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from sqlalchemy.orm import sessionmaker

from bot.services import BotServices
from dialogs.runner import OwnerDialogs
from dialogs.storage import TRACKER_VERSION_KEY
from store.db.version import tracker_version
from store.people.viewers import Viewer
from tests.dialogs.test_update_dialog import tracker  # noqa: F401 - the fixture


async def test_only_turns_no_dialog_takes_leave_the_version(
    services: BotServices,
    tracker: dict[str, Viewer],  # noqa: F811 - the fixture imported above
    sessions: sessionmaker,
) -> None:
    runner, seen = OwnerDialogs(services), []

    async def logic(context: TurnContext) -> None:
        await runner.on_message(context, tracker["olivia"])
        seen.append(context.turn_state.get(TRACKER_VERSION_KEY))

    adapter = TestAdapter(logic)
    with sessions() as s:
        current = tracker_version(s.connection())
    await adapter.receive_activity("what's overdue in my group")  # a question: no dialog
    await adapter.receive_activity("update")  # starts the update dialog (it lists her actions)
    await adapter.receive_activity("1")  # answers it
    assert seen == [current, None, None]
