"""The typed update conversation over a turn like the bot's, its state in the test database (SQLite and
PostgreSQL). The turn is a plain fake: the conversation uses only text, viewer, services, start and
the two sends, so no Teams SDK is involved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.services import BotServices
from dialogs import update_action
from dialogs.commands import StartRequest, is_cancel, parse_command, pick, split_evidence, yes_or_no
from dialogs.runner import OwnerDialogs
from dialogs.state import UpdateState
from dialogs.storage import TurnStart
from domain.update_views import ACTION
from store.db.models import Action, DialogState, InspectionItem
from store.history import ChangeContext
from store.people.viewers import Viewer
from store.updates.pipeline import apply_update
from store.updates.search import Candidate
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


@dataclass
class Reply:
    text: str | None = None
    card: dict[str, Any] | None = None


@dataclass
class FakeTurn:
    """What dialogs.runner.DialogTurn asks of a turn, recording what it sends."""

    text: str
    viewer: Viewer | None
    services: BotServices
    start: TurnStart | None = None  # what bot/handler.py read first; None: the runner reads its row
    replies: list[Reply] = field(default_factory=list)

    def now(self) -> datetime:
        return self.services.now()

    async def send_text(self, text: str) -> str | None:
        self.replies.append(Reply(text=text))
        return None

    async def send_card(self, card: dict[str, Any], text: str | None = None) -> str | None:
        self.replies.append(Reply(text=text, card=card))
        return None


class Chat:
    """One person's messages through the runner, as the bot's pre-route drives it."""

    def __init__(self, services: BotServices, viewer: Viewer):
        self.runner = OwnerDialogs(services)
        self.services, self.viewer = services, viewer

    async def say(self, text: str) -> list[Reply]:
        turn = FakeTurn(text, self.viewer, self.services)
        if not await self.runner.on_message(turn):
            turn.replies.append(Reply(text=NOT_HANDLED))
        return turn.replies


def texts(replies: list[Reply]) -> str:
    return "\n".join(r.text or "" for r in replies)


def cards(replies: list[Reply]) -> list[dict[str, Any]]:
    return [r.card for r in replies if r.card is not None]


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


async def test_the_state_machine_alone(services: BotServices, tracker) -> None:
    """start and answer without the runner or the database row: each returns the state to keep."""
    turn = FakeTurn("update", tracker["olivia"], services)
    state = await update_action.start(turn, StartRequest(""))
    assert state is not None and state.step == "choose" and len(state.candidates) == 5
    assert "Which of your 5 outstanding actions?" in texts(turn.replies)
    turn = FakeTurn("OVR-2", tracker["olivia"], services)
    answered = await update_action.answer(turn, state, "OVR-2")
    assert answered.state is None and answered.handled
    assert "Update OVR-2" in card_text(cards(turn.replies)[0])


async def test_an_unclear_confirmation_keeps_the_state_as_it_was(services: BotServices, tracker) -> None:
    waiting = UpdateState("confirm", implemented=True, kind=ACTION, ref="FUT-1", version=1)
    turn = FakeTurn("perhaps", tracker["olivia"], services)
    assert (await update_action.answer(turn, waiting, "perhaps")).state == waiting


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


@pytest.mark.parametrize(
    "typed,meant",
    [("yes", True), ("Yes please", True), ("ok then", True), ("y", True), ("1", True), ("no", False)]
    + [("no thanks", False), ("not ok", False), ("nope", False), ("2", False), ("perhaps", None), ("nobody", None)],
)
def test_yes_or_no_reads_what_the_confirm_prompt_read(typed: str, meant: bool | None) -> None:
    assert yes_or_no(typed) is meant


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
