"""Issue 10 point 6 end to end over HTTP: hostile text, card data and activities at /api/messages.

Each finding of the issue is reproduced here: a NUL / vertical tab in a note (stored, then exports fail;
on PostgreSQL the save failed), a Markdown link in a note becoming a live link on the chief officer's
card, 9999-12-31 as a revised date, "inf" / "1e30" / lists / strings as card data, a missing `from`,
and a very long question."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from store.db.engine import make_engine, make_sessionmaker
from store.db.models import Action, HistoryEntry
from tests.conftest import NOW
from tests.fakes.live_bot import LiveBot, card_buttons, card_text

STALE = "That button is no longer available"


def clock() -> datetime:
    return NOW


def _first_edit(card: dict[str, Any]) -> dict[str, Any]:
    return next(b for b in card_buttons(card) if b["verb"] == "action.edit")


async def _form(live: LiveBot, user) -> tuple[str, dict[str, Any]]:
    [listing] = (await live.say(user, "my actions")).cards
    edit = _first_edit(listing)
    [form] = (await live.click(user, "action.edit", edit["data"])).cards
    save = next(b for b in card_buttons(form) if b["verb"] == "action.save")
    return edit["data"]["ref"], save["data"]


def _action(url: str, ref: str) -> Action:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        action = s.scalar(select(Action).where(Action.ref == ref))
        s.expunge_all()
    engine.dispose()
    return action


async def test_note_pasted_from_word_is_stored_clean_and_its_link_is_text_on_the_chief_officers_card(
    database_url: str,
) -> None:
    """NUL (PostgreSQL refused the whole save), vertical tab (openpyxl refused every later export),
    bidi override, and a Markdown link that must reach Colin's card as characters, not as a link."""
    note = "[Approve here](https://phish.example)\x00 draft\x0b agreed\u202e by the board"
    async with LiveBot.running(database_url, clock=clock) as live:
        olivia, colin = live.user("olivia"), live.user("colin")
        ref, save = await _form(live, olivia)
        saved = await live.click(
            olivia,
            "action.save",
            {**save, "status": "in progress", "progress_note": note, "delay_reason": "Resource challenges"},
        )
        assert saved.status == 200 and "Saved" in saved.card_text()
        stored = _action(database_url, ref)
        assert stored.last_update_note == "[Approve here](https://phish.example) draft agreed by the board"

        detail = await live.click(colin, "question.detail", {"ref": ref, "kind": "action"})
        [card] = detail.cards
        shown = card_text(card)
        assert r"\[Approve here\](https://phish.example)" in shown
        assert "[Approve here](" not in shown.replace(r"\[Approve here\](", "")
        assert all(a.get("url") != "https://phish.example" for a in card.get("actions", []))

    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as s:
        history = s.scalars(
            select(HistoryEntry.new_value).where(
                HistoryEntry.entity_ref == ref, HistoryEntry.field == "last_update_note"
            )
        ).all()
        assert history and all("\x00" not in h and "\x0b" not in h for h in history)
    engine.dispose()


async def test_over_long_note_is_refused_with_the_cap_not_cut(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        olivia = live.user("olivia")
        ref, save = await _form(live, olivia)
        before = _action(sqlite_url, ref).last_update_note
        refused = await live.click(olivia, "action.save", {**save, "progress_note": "x" * 2001})
        assert "Too long: 2,001 characters. Please keep it to 2,000." in refused.card_text()
        assert _action(sqlite_url, ref).last_update_note == before


async def test_revised_date_must_lie_within_ten_years(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        olivia = live.user("olivia")
        ref, save = await _form(live, olivia)
        refused = await live.click(
            olivia,
            "action.save",
            {**save, "revised_date": "9999-12-31", "delay_reason": "Resource challenges", "progress_note": "later"},
        )
        assert "A revised date must be within ten years" in refused.card_text()
        assert _action(sqlite_url, ref).last_update_note != "later"


@pytest.mark.parametrize(
    ("user", "verb", "data"),
    [
        ("grace", "cycle.status", {"cycle": "inf"}),
        ("grace", "cycle.status", {"cycle": float("inf")}),  # JSON 'Infinity', which aiohttp's json.loads accepts
        ("grace", "cycle.remind", {"cycle": "1e30"}),
        ("grace", "cycle.close", {"cycle": [1]}),
        ("grace", "decisions.show", {"page": "1e30"}),
        ("grace", "decision.decide", {"kind": "revised", "id": 1e30, "accept": True}),
        ("grace", "decision.decide", {"kind": "closure", "id": float("nan"), "accept": True}),
        ("grace", "decisions.bulk", {"accept": True, "selected": "closure:1e30"}),
        ("olivia", "my_actions.page", {"page": float("inf")}),
        ("olivia", "my_inspections.page", {"page": {"a": 1}}),
        ("olivia", "action.save", {"ref": "X", "version": "1e30"}),
        ("colin", "question.page", {"q": {"intent": "overdue", "text": "overdue"}, "page": float("inf")}),
    ],
)
async def test_bad_numbers_in_card_data_get_the_stale_button_card(
    sqlite_url: str, user: str, verb: str, data: dict[str, Any]
) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        reply = await live.click(live.user(user), verb, data)
        assert reply.status == 200
        assert STALE in reply.card_text()


@pytest.mark.parametrize(
    "value",
    [
        ["a", "list"],
        "a string",
        {"action": "verb"},
        {"action": {"verb": ["cycle.status"], "data": {}}},
        {"action": {"verb": "cycle.status", "data": "cycle=1"}},
        {"action": {"verb": "cycle.status", "data": [1, 2]}},
        {},
        None,
    ],
)
async def test_card_data_of_the_wrong_shape_is_a_stale_button_never_a_500(sqlite_url: str, value: Any) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        grace = live.user("grace")
        invoke = live._activity(grace, type="invoke", name="adaptiveCard/action", value=value)
        reply = await live.post(invoke)
        assert reply.status == 200
        assert reply.cards, reply.body  # a card the user can read: the stale button, or the status itself
        submit = await live.post(live._activity(grace, value={"verb": ["x"], "page": "inf"}), expect=1)
        assert submit.status in (200, 201) and STALE in submit.card_text()


async def test_activity_without_from_is_ignored_quietly(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        grace = live.user("grace")
        message = live._activity(grace, text="summary")
        del message["from"]
        said = await live.post(message)
        assert said.status in (200, 201) and said.activities == []
        invoke = live._activity(
            grace, type="invoke", name="adaptiveCard/action", value={"action": {"verb": "cycle.status", "data": {}}}
        )
        del invoke["from"]
        clicked = await live.post(invoke)
        assert clicked.status == 400 and clicked.activities == []


async def test_long_questions_are_refused_before_parsing(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        colin = live.user("colin")
        long_question = "what's overdue in my group " + "please " * 80  # > 500 characters
        reply = await live.say(colin, long_question)
        assert "That question is too long" in reply.card_text() and "at most 500 characters" in reply.card_text()
        # 200 KB (the server refuses bodies over 256 KB with 413): refused before the dialogs look at it,
        # e.g. 'update ...' would otherwise fuzzy-match all of it against every title.
        huge = await live.say(colin, "update " + "overdue " * 25_000)
        assert "That message is too long" in huge.card_text() and "2,000 characters" in huge.card_text()
        over_a_note = await live.say(colin, "x" * 2001)
        assert "That message is too long" in over_a_note.card_text()
