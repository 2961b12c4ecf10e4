"""Issue 5 end to end over HTTP, with the real app, its background sender and the fake Bot Connector:
grace opens a cycle from Teams, each reachable owner gets ONE consolidated card, olivia updates an
action from it, the status shows her response; roles are respected; decisions reach the owner."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from sqlalchemy import select

from store.db.engine import make_engine, make_sessionmaker
from store.db.models import CycleItem, OutboxMessage, UpdateCycle
from tests.bot.cycle_forms import cycle_form
from tests.cardcheck import assert_valid_cards
from tests.conftest import NOW
from tests.fakes.live_bot import LiveBot, card_text


def clock() -> datetime:
    return NOW


def find_action(card: dict[str, Any], verb: str) -> dict[str, Any]:
    """The data of the first button with this verb anywhere on the card."""
    stack: list[Any] = [card]
    while stack:
        node = stack.pop(0)
        if isinstance(node, dict):
            if node.get("type") == "Action.Execute" and node.get("verb") == verb:
                return node.get("data") or {}
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    raise AssertionError(f"no {verb} button on the card")


def cards_with(live: LiveBot, key: str, words: str) -> list[dict[str, Any]]:
    return [c for c in live.connector.cards(live.user(key).conversation_id) if words in card_text(c)]


def request_cards(live: LiveBot, key: str) -> list[dict[str, Any]]:
    return cards_with(live, key, "Update request")


async def arrived(live: LiveBot, key: str, words: str, timeout: float = 10.0) -> list[dict[str, Any]]:
    """Wait for the background sender to deliver a card with these words to this person."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not (found := cards_with(live, key, words)):
        assert asyncio.get_running_loop().time() < deadline, f"no card with {words!r} reached {key}"
        await asyncio.sleep(0.02)
    return found


async def test_governance_opens_a_cycle_and_each_owner_gets_one_card(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        grace, olivia, sam, colin = (live.user(k) for k in ("grace", "olivia", "sam", "colin"))
        for user in (grace, olivia, sam, colin):
            await live.install(user)

        refused = await live.say(olivia, "request updates")
        assert "Only Strategy & Governance staff can open an update cycle" in refused.card_text()

        scope = await live.say(grace, "request updates")
        [scope_card] = scope.cards
        assert "Request updates" in scope.card_text() and "Met Operations" in scope.card_text()

        bad = await live.click(grace, "cycle.preview", {"scope": "group", "deadline": "2020-01-01"})
        assert "Choose the business group." in bad.card_text() and "is in the past" in bad.card_text()

        form = cycle_form("group", group="Met Operations", days="30", message="Please update before the Audit Panel.")
        preview = await live.click(grace, "cycle.preview", form)
        [preview_card] = preview.cards
        text = preview.card_text()
        assert "7 owners" in text and "49 actions" in text
        assert "Owners who cannot be reached\n5" in text  # only olivia and sam have installed the bot

        confirm_data = find_action(preview_card, "cycle.confirm")
        confirmed = await live.click(grace, "cycle.confirm", confirm_data, expect=1)  # + the progress card
        assert "Update cycle 1 opened" in confirmed.card_text()
        progress = [c for c in confirmed.cards if "Requests sent" in card_text(c)]
        assert progress, "the progress card is posted in grace's chat"

        # the background sender delivers: ONE consolidated card to each owner with a conversation
        [olivia_card] = await arrived(live, "olivia", "Update request")
        await arrived(live, "sam", "Update request")
        assert len(request_cards(live, "sam")) == 1 and request_cards(live, "colin") == []
        assert "please update your **7** items" in card_text(olivia_card)
        assert "Please update before the Audit Panel." in card_text(olivia_card)
        assert_valid_cards(scope_card, preview_card, olivia_card, *confirmed.cards)

        # olivia updates one action from her card, through the owner's own update flow
        ref = find_action(olivia_card, "action.edit")["ref"]
        edit = await live.click(olivia, "action.edit", {"ref": ref})
        save = find_action(edit.cards[0], "action.save")
        saved = await live.click(
            olivia,
            "action.save",
            {
                **save,
                "status": "in progress",
                "progress_note": "Draft policy with the board",
                "delay_reason": "Resource challenges",
            },
        )
        assert "Saved" in saved.card_text(), saved.card_text()

        status = await live.say(grace, "cycle status")
        assert "Responded\n1 of 49 (2%)" in status.card_text()
        assert "Requests sent\n2 of 7" in status.card_text() and "Not installed\n5" in status.card_text()

        mine = await live.say(colin, "cycle status")  # a chief officer: his group's non-responders
        assert "Met Operations" in mine.card_text() and "Not yet responded" in mine.card_text()
        assert "Send reminders" not in mine.card_text()
        nobody = await live.say(olivia, "cycle status")
        assert "That is for Strategy & Governance" in nobody.card_text()

        reminded = await live.click(grace, "cycle.remind", {"cycle": 1})
        assert "2 reminders to owners" in reminded.card_text()
        [reminder] = await arrived(live, "olivia", "Reminder")
        assert "you still have **6** items" in card_text(reminder)
        [digest] = await arrived(live, "colin", "not yet responded")
        assert "Olivia Owen" in card_text(digest) and "Jack Turner" in card_text(digest)
        assert_valid_cards(reminder, digest, *status.cards, *mine.cards)

        closed = await live.click(grace, "cycle.close", {"cycle": 1})
        assert "Update cycle 1 (closed)" in closed.card_text()

    engine = make_engine(sqlite_url)
    with make_sessionmaker(engine)() as s:
        cycle = s.scalars(select(UpdateCycle)).one()
        assert cycle.status == "closed" and cycle.progress_activity_id
        answered = s.scalars(select(CycleItem).where(CycleItem.responded_at.is_not(None))).all()
        assert len(answered) == 1
        requests = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "request")).all()
        assert sorted(r.status for r in requests) == ["not_installed"] * 5 + ["sent"] * 2
    engine.dispose()


async def test_governance_decides_a_closure_and_the_owner_is_told(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        grace, olivia = live.user("grace"), live.user("olivia")
        await live.install(grace)
        refused = await live.say(olivia, "pending decisions")
        assert "Only Strategy & Governance staff decide" in refused.card_text()

        shown = await live.say(grace, "pending decisions")
        assert "Decisions waiting" in shown.card_text() and "31 closure proposals" in shown.card_text()
        button = find_action(shown.cards[0], "decision.decide")
        no_reason = await live.click(grace, "decision.decide", {**button, "accept": False})
        assert "a reason is needed to reject" in no_reason.card_text()
        done = await live.click(grace, "decision.decide", {**button, "accept": True})
        assert "closure accepted" in done.card_text() and "30 closure proposals" in done.card_text()
        bulk = await live.click(grace, "decisions.bulk", {"accept": True, "selected": ""})
        assert "Select at least one item first." in bulk.card_text()
        assert_valid_cards(shown.cards[0], done.cards[0])

    engine = make_engine(sqlite_url)
    with make_sessionmaker(engine)() as s:
        [outcome] = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "outcome")).all()
        assert outcome.payload["items"][0]["accepted"] is True
        assert outcome.status in ("queued", "not_installed")  # that owner has not installed the bot
    engine.dispose()


async def test_governance_asks_what_is_scheduled_and_others_are_told_who_to_ask(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        grace, olivia = live.user("grace"), live.user("olivia")
        for user in (grace, olivia):
            await live.install(user)
        form = cycle_form(reminders="9,1")
        preview = await live.click(grace, "cycle.preview", {**form, "reminders": "soon"})
        assert "Reminder days 'soon' should be whole numbers" in preview.card_text()
        preview = await live.click(grace, "cycle.preview", form)
        assert "Reminders to owners who have not responded: 01 Dec 2026, 09 Dec 2026" in preview.card_text()
        await live.click(grace, "cycle.confirm", find_action(preview.cards[0], "cycle.confirm"))

        answer = await live.say(grace, "what is scheduled?")
        text = answer.card_text()
        assert "What is scheduled" in text and "Europe/London" in text
        assert "01 Dec 2026" in text and "09 Dec 2026" in text and "reminders to cycle 1's non-responders" in text
        assert "weekly digest to SPOCs and chief officers" in text  # Monday 30 November
        assert_valid_cards(*answer.cards)
        refused = await live.say(olivia, "next reminders")
        assert "Only Strategy & Governance staff can see what the bot has scheduled" in refused.card_text()
    engine = make_engine(sqlite_url)
    with make_sessionmaker(engine)() as s:
        assert s.scalars(select(UpdateCycle)).one().reminder_days == [9, 1]
    engine.dispose()
