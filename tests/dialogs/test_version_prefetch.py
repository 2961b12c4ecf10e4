"""A typed turn reads the tracker's version and its person's conversation row in one statement at its
start (bot/handler.py, dialogs/storage.read_start); the conversation uses that row instead of reading
it again, and reads its own only when the start was read for someone else (or not at all)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import sessionmaker

import dialogs.runner as runner_module
from bot.services import BotServices
from dialogs.runner import OwnerDialogs
from dialogs.state import state_key
from dialogs.storage import read_start
from store.db.version import tracker_version
from store.people.viewers import Viewer
from tests.dialogs.test_update_dialog import FakeTurn, tracker  # noqa: F401 - the fixture


async def test_the_start_brings_the_version_and_the_row_the_conversation_then_uses(
    services: BotServices,
    tracker: dict[str, Viewer],  # noqa: F811 - the fixture imported above
    sessions: sessionmaker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    olivia = tracker["olivia"]
    runner, reads = OwnerDialogs(services), []
    real = runner_module.read_row

    async def counted(services: BotServices, key: str):  # noqa: ANN202
        reads.append(key)
        return await real(services, key)

    monkeypatch.setattr(runner_module, "read_row", counted)
    with sessions() as s:
        current = tracker_version(s.connection())
    for text in ("what's overdue in my group", "update", "1"):
        start = await read_start(services, state_key(olivia))
        assert start.version >= current
        await runner.on_message(FakeTurn(text, olivia, services, start=start))
    assert reads == []  # every turn used the row its start had read

    someone_else = await read_start(services, state_key(tracker["sam"]))
    await runner.on_message(FakeTurn("what's overdue in my group", olivia, services, start=someone_else))
    nothing = await read_start(services, None)
    assert nothing.row is None and nothing.version >= current
    await runner.on_message(FakeTurn("what's overdue in my group", olivia, services, start=nothing))
    assert reads == [state_key(olivia)] * 2
