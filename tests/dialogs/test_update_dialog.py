"""The typed update dialog with botbuilder-testing, its state in the test database (SQLite and PostgreSQL).

Replies are read straight from the TestAdapter's buffer and checked with plain asserts (an async
inspector that fails inside ``assert_reply`` would not fail the test).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from botbuilder.core import Middleware, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity
from botbuilder.testing import DialogTestClient
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.services import BotServices
from dialogs.commands import StartRequest, is_cancel, parse_command, pick, split_evidence
from dialogs.runner import OwnerDialogs
from dialogs.update_action import VIEWER_KEY, UpdateActionDialog
from store.history import ChangeContext
from store.db.models import Action, DialogState, InspectionItem
from store.people.viewers import Viewer
from store.updates.search import Candidate
from domain.update_views import ACTION
from store.updates.pipeline import apply_update
from tests.fakes.live_bot import card_text
from tests.store.owner_tracker import at, build

NOT_HANDLED = "[passed on to question routing]"


@pytest.fixture
def tracker(sessions: sessionmaker, today: date) -> dict[str, Viewer]:
    with sessions() as s:
        t = build(s, today)
        t.action("FUT-3").description = "Publish the custody records retention policy"
        s.commit()
        return {key: t.viewer(key) for key in ("olivia", "sam", "colin")}


class Chat:
    """One Teams-like conversation through the runner, as the bot's pre-route drives it."""

    def __init__(self, services: BotServices, viewer: Viewer):
        self.runner = OwnerDialogs(services)
        self.viewer = viewer

        async def logic(context: TurnContext) -> None:
            if not await self.runner.on_message(context, self.viewer):
                await context.send_activity(NOT_HANDLED)

        self.adapter = TestAdapter(logic)

    async def say(self, text: str) -> list[Activity]:
        await self.adapter.receive_activity(text)
        replies, self.adapter.activity_buffer = list(self.adapter.activity_buffer), []
        return replies


def texts(replies: list[Activity]) -> str:
    return "\n".join(r.text or "" for r in replies)


def cards(replies: list[Activity]) -> list[dict[str, Any]]:
    return [a.content for r in replies for a in (r.attachments or [])]


def stored(sessions: sessionmaker, ref: str) -> Action:
    with sessions() as s:
        return s.scalar(select(Action).where(Action.ref == ref))


async def test_update_lists_the_actions_and_a_number_opens_the_card(services: BotServices, tracker) -> None:
    chat = Chat(services, tracker["olivia"])
    listing = texts(await chat.say("update"))
    assert "Which of your 5 outstanding actions?" in listing
    assert listing.index("1. **OVR-2**") < listing.index("2. **OVR-1**") < listing.index("5. **FUT-2**")
    reply = await chat.say("2")
    assert len(cards(reply)) == 1 and "Update OVR-1" in card_text(cards(reply)[0])
    assert texts(await chat.say("2")) == NOT_HANDLED  # the dialog ended with the card


@pytest.mark.parametrize(
    "typed,ref",
    [
        ("update FUT-1", "FUT-1"),
        ("update fut-1", "FUT-1"),
        ("update 4", "FUT-3"),
        ("update custody records policy", "FUT-3"),
        ("edit action OVR-2", "OVR-2"),
        ("update HMI-1", "HMI-1"),
    ],
)
async def test_update_with_a_ref_number_or_title_goes_straight_to_the_card(
    services: BotServices, tracker, typed: str, ref: str
) -> None:
    reply = await Chat(services, tracker["olivia"]).say(typed)
    assert len(cards(reply)) == 1
    assert f"Update {ref}" in card_text(cards(reply)[0]) or f"Update HMICFRS {ref}" in card_text(cards(reply)[0])


async def test_an_answer_that_is_not_a_choice_is_passed_on(services: BotServices, tracker) -> None:
    chat = Chat(services, tracker["olivia"])
    await chat.say("update")
    assert texts(await chat.say("what's overdue in my group")) == NOT_HANDLED
    assert texts(await chat.say("1")) == NOT_HANDLED  # no dialog is waiting any more


async def test_cancel_ends_the_dialog(services: BotServices, tracker) -> None:
    chat = Chat(services, tracker["olivia"])
    await chat.say("update")
    assert "cancelled" in texts(await chat.say("cancel"))
    assert texts(await chat.say("cancel")) == NOT_HANDLED


async def test_mark_implemented_confirms_asks_for_evidence_and_saves(
    services: BotServices, tracker, sessions, today: date
) -> None:
    chat = Chat(services, tracker["olivia"])
    question = texts(await chat.say("mark FUT-1 implemented"))
    assert "Mark **FUT-1**" in question and "proposes it to DARA for closure" in question
    assert stored(sessions, "FUT-1").status == "in progress"  # nothing saved before the confirmation
    assert "evidence" in texts(await chat.say("yes"))
    saved = await chat.say("Policy published on the intranet https://intranet.example.test/policy.")
    assert "Marked implemented — proposed to DARA for closure." in card_text(cards(saved)[0])
    action = stored(sessions, "FUT-1")
    assert (action.status, action.implemented_on, action.evidence_note, action.evidence_link) == (
        "implemented",
        today,
        "Policy published on the intranet",
        "https://intranet.example.test/policy",
    )


async def test_saying_no_changes_nothing(services: BotServices, tracker, sessions) -> None:
    chat = Chat(services, tracker["olivia"])
    await chat.say("mark FUT-1 as done")
    assert texts(await chat.say("no")) == "OK, nothing was changed."
    assert stored(sessions, "FUT-1").status == "in progress" and stored(sessions, "FUT-1").version == 1


async def test_an_unclear_confirmation_is_asked_again(services: BotServices, tracker) -> None:
    chat = Chat(services, tracker["olivia"])
    await chat.say("mark FUT-1 implemented")
    assert "Please reply **yes**" in texts(await chat.say("perhaps"))


async def test_hmicfrs_items_are_submitted_for_closure(services: BotServices, tracker, sessions) -> None:
    chat = Chat(services, tracker["olivia"])
    assert "as submitted for closure" in texts(await chat.say("mark HMI-1 implemented"))
    await chat.say("yes")
    saved = await chat.say("Custody audit report, March board")
    assert "Submitted for closure" in card_text(cards(saved)[0])
    with sessions() as s:
        item = s.scalar(select(InspectionItem).where(InspectionItem.ref == "HMI-1"))
        assert (item.status, item.evidence_note) == ("submitted for closure", "Custody audit report, March board")


async def test_someone_else_changing_it_mid_dialog_gives_the_stale_card(
    services: BotServices, tracker, sessions, today: date
) -> None:
    chat = Chat(services, tracker["olivia"])
    await chat.say("mark FUT-1 implemented")
    await chat.say("yes")
    sam = tracker["sam"]
    await services.run(
        apply_update,
        sam,
        kind=ACTION,
        ref="FUT-1",
        submission={"progress_note": "SPOC note"},
        expected_version=1,
        ctx=ChangeContext(sam.email, "teams", at(today, 10)),
        today=today,
    )
    reply = await chat.say("https://intranet.example.test/evidence")
    assert "was changed after this card was sent" in card_text(cards(reply)[0])
    assert stored(sessions, "FUT-1").status == "in progress"


async def test_refusals_come_back_as_cards(services: BotServices, tracker) -> None:
    colin = Chat(services, tracker["colin"])
    assert "can't update FUT-1" in card_text(cards(await colin.say("update FUT-1"))[0])
    olivia = Chat(services, tracker["olivia"])
    assert "no longer updated here" in card_text(cards(await olivia.say("mark CLS-1 done"))[0])
    assert "couldn't find" in texts(await olivia.say("update zebra crossings"))


async def test_the_dialog_state_lives_in_the_database(services: BotServices, tracker, sessions) -> None:
    chat = Chat(services, tracker["olivia"])
    await chat.say("mark FUT-1 implemented")
    with sessions() as s:
        row = s.scalars(select(DialogState)).one()
        assert row.etag == 1 and "update_action" in str(row.data)
    # A second app instance (fresh runner and adapter, same database and conversation id) carries on.
    other = Chat(services, tracker["olivia"])
    assert "evidence" in texts(await other.say("yes"))


async def test_ordinary_questions_write_no_dialog_state(services: BotServices, tracker, sessions) -> None:
    chat = Chat(services, tracker["olivia"])
    assert texts(await chat.say("what's overdue in my group")) == NOT_HANDLED
    with sessions() as s:
        assert s.scalars(select(DialogState)).all() == []


async def test_dialog_test_client_drives_the_dialog_alone(services: BotServices, tracker) -> None:
    """The same dialog under botbuilder-testing's DialogTestClient (memory state), started directly."""
    viewer = tracker["olivia"]

    class WithViewer(Middleware):
        async def on_turn(self, context: TurnContext, logic):  # type: ignore[override]
            context.turn_state[VIEWER_KEY] = viewer
            await logic()

    client = DialogTestClient(
        "msteams", UpdateActionDialog(services), StartRequest("").options(), middlewares=[WithViewer()]
    )
    reply = await client.send_activity("hi")
    assert "Which of your 5 outstanding actions?" in reply.text
    reply = await client.send_activity("OVR-2")
    assert "Update OVR-2" in card_text(reply.attachments[0].content)


# -- the pure parts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("update", StartRequest("")),
        ("Update 2", StartRequest("2")),
        ("update DARA-2011-004", StartRequest("DARA-2011-004")),
        ("please update my action DARA-1", StartRequest("DARA-1")),
        ("edit the expenses policy", StartRequest("the expenses policy")),
        ("mark DARA-2011-004 implemented", StartRequest("DARA-2011-004", True)),
        ("Mark DARA-2011-004 as done.", StartRequest("DARA-2011-004", True)),
        ("set HMI-2018-001 complete", StartRequest("HMI-2018-001", True)),
        ("update requests", None),
        ("update the cycle", None),
        ("what's overdue", None),
        ("my actions", None),
        ("updates please", None),
    ],
)
def test_parse_command(text: str, expected: StartRequest | None) -> None:
    assert parse_command(text) == expected


def test_pick_by_number_ref_or_clear_title() -> None:
    options = [
        Candidate("action", "A-1", "Publish the custody records policy", 1),
        Candidate("action", "A-2", "Deliver refresher vetting training", 2),
    ]
    assert pick(options, "2") == options[1] and pick(options, "a-1") == options[0]
    assert pick(options, "vetting training") == options[1]
    assert pick(options, "3") is None and pick(options, "what's overdue") is None


def test_split_evidence_and_cancel_words() -> None:
    assert split_evidence("Report to board - https://x.test/a.") == ("Report to board", "https://x.test/a")
    assert split_evidence("https://x.test/a") == (None, "https://x.test/a")
    assert split_evidence("Minutes of 3 March") == ("Minutes of 3 March", None)
    assert is_cancel("Cancel") and is_cancel("never mind") and not is_cancel("cancel DARA-1")


async def test_typed_evidence_is_cleaned_like_card_input(services: BotServices, tracker, sessions) -> None:
    """A dialog answer pasted from Word (vertical tab, bidi override) is stored clean, as card input is."""
    chat = Chat(services, tracker["olivia"])
    await chat.say("mark FUT-1 implemented")
    await chat.say("yes")
    await chat.say("Policy\x0b published\u202e on the intranet https://intranet.example.test/policy")
    assert stored(sessions, "FUT-1").evidence_note == "Policy published on the intranet"
