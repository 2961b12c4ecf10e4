"""The conversation's row: optimistic concurrency, two instances, rows this version cannot continue."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.services import BotServices
from dialogs.runner import OwnerDialogs
from dialogs.state import Unreadable, UpdateState, decode, encode, state_key
from dialogs.storage import read_row
from store.conversations.dialog_state import MAX_KEY, EtagConflict, delete_state, purge_states, row_key, write_state
from store.db.models import DialogState
from store.people.viewers import Viewer
from store.updates.search import Candidate
from tests.dialogs.test_update_dialog import Chat, FakeTurn, texts, tracker  # noqa: F401 - the fixture


async def test_a_write_with_an_old_etag_is_refused_and_changes_nothing(services: BotServices, now: datetime) -> None:
    await services.run(write_state, "k", {"count": 1}, expected=None, now=now)
    read = await read_row(services, "k")  # two instances read the same etag
    await services.run(write_state, "k", {"count": 2}, expected=read.etag, now=now)
    with pytest.raises(EtagConflict):
        await services.run(write_state, "k", {"count": 99}, expected=read.etag, now=now)
    with pytest.raises(EtagConflict):
        await services.run(delete_state, "k", expected=read.etag)
    assert (await read_row(services, "k")).data == {"count": 2}


async def test_an_insert_racing_another_replaces_it(services: BotServices, now: datetime) -> None:
    await services.run(write_state, "k", {"n": 1}, expected=None, now=now)
    assert await services.run(write_state, "k", {"n": 2}, expected=None, now=now) == 2  # both read 'no row'
    assert (await read_row(services, "k")).data == {"n": 2}


async def test_the_read_brings_the_tracker_version_and_no_row_is_none(services: BotServices) -> None:
    row = await read_row(services, "nobody")
    assert (row.data, row.etag) == (None, None) and row.version >= 0


async def test_very_long_keys_are_hashed_but_read_back_by_their_own_name(services: BotServices, now: datetime) -> None:
    key = "person/" + "x" * 600
    await services.run(write_state, key, {"ok": True}, expected=None, now=now)
    assert (await read_row(services, key)).data == {"ok": True}
    assert len(row_key(key)) <= MAX_KEY


def test_the_state_round_trips_and_anything_else_is_unreadable_not_an_error() -> None:
    state = UpdateState(
        "choose", implemented=True, candidates=(Candidate("action", "A-1", "Publish", 1),), kind="action"
    )
    assert decode(encode(state)) == state
    assert decode(None) is None
    botbuilder_row = {"DialogState": {"$type": "DialogState", "stack": [{"$type": "DialogInstance", "id": "x"}]}}
    for bad in (botbuilder_row, {**encode(state), "schema": 3}, {**encode(state), "step": "dance"}, [1], "x"):
        assert isinstance(decode(bad), Unreadable), bad
    assert isinstance(decode({**encode(state), "candidates": [["too", "short"]]}), Unreadable)


async def test_a_row_this_version_cannot_continue_is_dropped_and_the_user_told(
    services: BotServices,
    tracker: dict[str, Viewer],  # noqa: F811 - the fixture imported above
    sessions: sessionmaker,
    now: datetime,
) -> None:
    olivia = tracker["olivia"]
    old = {"DialogState": {"$type": "DialogState", "stack": [{"$type": "DialogInstance", "id": "update_action"}]}}
    await services.run(write_state, state_key(olivia), old, expected=None, now=now)
    assert "please start again" in texts(await Chat(services, olivia).say("yes"))
    with sessions() as s:
        assert s.scalars(select(DialogState)).all() == []
    # and a command simply replaces such a row
    await services.run(write_state, state_key(olivia), old, expected=None, now=now)
    assert "Which of your 5 outstanding actions?" in texts(await Chat(services, olivia).say("update"))


async def test_the_conversation_survives_between_instances(
    services: BotServices,
    tracker: dict[str, Viewer],  # noqa: F811
    database_url: str,
) -> None:
    """Two runners over two engines (two app instances) on one database carry one person's prompt."""
    from store.db.engine import make_async_engine, make_async_sessionmaker

    other_engine = make_async_engine(database_url)
    try:
        other = BotServices(
            settings=services.settings, sessions=make_async_sessionmaker(other_engine), clock=services.clock
        )
        olivia = tracker["olivia"]
        assert "Mark **FUT-1**" in texts(await Chat(services, olivia).say("mark FUT-1 implemented"))
        assert "evidence" in texts(await Chat(other, olivia).say("yes"))
        assert "cancelled" in texts(await Chat(services, olivia).say("cancel"))
    finally:
        await other_engine.dispose()


async def test_a_turn_that_lost_a_race_keeps_the_other_turns_state(
    services: BotServices,
    tracker: dict[str, Viewer],  # noqa: F811
    now: datetime,
) -> None:
    olivia = tracker["olivia"]
    chat = Chat(services, olivia)
    await chat.say("mark FUT-1 implemented")
    row = await read_row(services, state_key(olivia))

    class Racing(OwnerDialogs):
        async def _step(self, turn, current, text, start):  # type: ignore[no-untyped-def]
            # another turn of hers moves the conversation on while this one works
            await services.run(write_state, state_key(olivia), {"other": 1}, expected=row.etag, now=now)
            return await super()._step(turn, current, text, start)

    assert await Racing().on_message(FakeTurn("yes", olivia, services))
    assert (await read_row(services, state_key(olivia))).data == {"other": 1}


def test_purge_drops_idle_conversations(session: Session, now: datetime) -> None:
    session.add_all(
        [
            DialogState(key="old", data={}, etag=1, updated_at=now - timedelta(days=40)),
            DialogState(key="new", data={}, etag=1, updated_at=now),
        ]
    )
    session.flush()
    assert purge_states(session, now - timedelta(days=30)) == 1
    assert list(session.scalars(select(DialogState.key))) == ["new"]
