"""A typed turn no conversation takes reads the tracker's version with the conversation row (one round
trip) and leaves it in turn.scratch for the answer cache; a turn the conversation takes (which may
write) leaves none."""

from __future__ import annotations

from sqlalchemy.orm import sessionmaker

from bot.services import BotServices
from dialogs.runner import OwnerDialogs
from dialogs.storage import TRACKER_VERSION_KEY
from store.db.version import tracker_version
from store.people.viewers import Viewer
from tests.dialogs.test_update_dialog import FakeTurn, tracker  # noqa: F401 - the fixture


async def test_only_turns_no_dialog_takes_leave_the_version(
    services: BotServices,
    tracker: dict[str, Viewer],  # noqa: F811 - the fixture imported above
    sessions: sessionmaker,
) -> None:
    runner, seen = OwnerDialogs(services), []
    with sessions() as s:
        current = tracker_version(s.connection())
    # a question: no dialog; 'update' starts one (it lists her actions); '1' answers it
    for text in ("what's overdue in my group", "update", "1"):
        turn = FakeTurn(text, tracker["olivia"], services)
        await runner.on_message(turn)
        seen.append(turn.scratch.get(TRACKER_VERSION_KEY))
    assert seen == [current, None, None]
