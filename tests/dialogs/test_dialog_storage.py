"""Dialog state in the database: botbuilder's own storage contract tests, plus optimistic concurrency."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from botbuilder.core import ConversationState, MessageFactory, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import DialogSet, DialogTurnStatus, PromptOptions, TextPrompt, WaterfallDialog
from botbuilder.testing.storage_base_tests import StorageBaseTests
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services import BotServices
from dialogs.codec import decode, encode
from dialogs.storage import DatabaseStorage
from store.conversations.dialog_state import EtagConflict, MAX_KEY, purge_states, read_states, row_key
from store.db.models import DialogState


@pytest.mark.parametrize(
    "case",
    [
        "return_empty_object_when_reading_unknown_key",
        "handle_null_keys_when_reading",
        "handle_null_keys_when_writing",
        "does_not_raise_when_writing_no_items",
        "create_object",
        "handle_crazy_keys",
        "update_object",
        "delete_object",
        "delete_unknown_object",
        "perform_batch_operations",
        "proceeds_through_waterfall",
    ],
)
async def test_botbuilder_storage_contract(services: BotServices, case: str) -> None:
    assert await getattr(StorageBaseTests, case)(DatabaseStorage(services)) is True


async def test_a_write_with_an_old_etag_is_refused_and_changes_nothing(services: BotServices) -> None:
    storage = DatabaseStorage(services)
    await storage.write({"conv": {"count": 1}})
    first = (await storage.read(["conv"]))["conv"]
    second = (await storage.read(["conv"]))["conv"]  # another instance read the same version
    first["count"] = 2
    await storage.write({"conv": first})
    second["count"] = 99
    with pytest.raises(EtagConflict):
        await storage.write({"conv": second})
    assert (await storage.read(["conv"]))["conv"]["count"] == 2


async def test_saving_twice_in_one_turn_is_not_a_false_conflict(services: BotServices) -> None:
    storage = DatabaseStorage(services)
    await storage.write({"conv": {"count": 1}})
    item = (await storage.read(["conv"]))["conv"]
    item["count"] = 2
    await storage.write({"conv": item})
    item["count"] = 3
    await storage.write({"conv": item})
    assert (await storage.read(["conv"]))["conv"]["count"] == 3


async def test_a_batch_is_all_or_nothing(services: BotServices) -> None:
    storage = DatabaseStorage(services)
    await storage.write({"a": {"n": 1}, "b": {"n": 1}})
    stale = (await storage.read(["b"]))["b"]
    await storage.write({"b": {"n": 2}})
    with pytest.raises(EtagConflict):
        await storage.write({"a": {"n": 5}, "b": {**stale, "n": 5}})
    assert {k: v["n"] for k, v in (await storage.read(["a", "b"])).items()} == {"a": 1, "b": 2}


async def test_very_long_keys_are_hashed_but_read_back_by_their_own_name(services: BotServices) -> None:
    storage = DatabaseStorage(services)
    key = "msteams/conversations/" + "a:" + "x" * 600
    await storage.write({key: {"ok": True}})
    assert (await storage.read([key]))[key]["ok"] is True
    assert len(row_key(key)) <= MAX_KEY
    assert await services.run(read_states, [key])


async def test_dialog_state_survives_between_instances(services: BotServices) -> None:
    """Two storages (two app instances) over one database carry one conversation's prompt across turns."""

    def make_bot(storage: DatabaseStorage):
        state = ConversationState(storage)
        dialogs = DialogSet(state.create_property("DialogState"))
        dialogs.add(TextPrompt("name"))

        async def step_ask(step):
            return await step.prompt("name", PromptOptions(prompt=MessageFactory.text("Your name?")))

        async def step_done(step):
            await step.context.send_activity(f"Hello {step.result}")
            return await step.end_dialog()

        dialogs.add(WaterfallDialog("hello", [step_ask, step_done]))

        async def logic(context: TurnContext) -> None:
            dc = await dialogs.create_context(context)
            result = await dc.continue_dialog()
            if result.status == DialogTurnStatus.Empty:
                await dc.begin_dialog("hello")
            await state.save_changes(context)

        return logic

    first = TestAdapter(make_bot(DatabaseStorage(services)))
    await (await first.send("hi")).assert_reply("Your name?")
    second = TestAdapter(make_bot(DatabaseStorage(services)))  # same conversation id, fresh instance
    await (await second.send("Olivia")).assert_reply("Hello Olivia")


def test_codec_refuses_unknown_types_both_ways() -> None:
    with pytest.raises(TypeError):
        encode({"x": object()})
    with pytest.raises(ValueError):
        decode({"$type": "os.system", "value": "rm -rf /"})


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
