"""Issue 13's question forms end to end over HTTP: deadline words, a named day, a first name
two people share (the which-one card, then its button), the theme filter on HMICFRS items and
the suggestions for a question nothing could read.  Figures are checked against the tables."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from store.db.engine import make_engine, make_sessionmaker
from store.db.models import InspectionItem, Person
from tests.bot.test_questions_e2e import TODAY, clock, item_refs, late, outstanding, pct, tracker
from tests.cardcheck import assert_valid_cards
from tests.fakes.live_bot import LiveBot, card_buttons, card_text


def ask_buttons(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["title"]: b for b in card_buttons(card) if b.get("verb") == "ask"}


def add_person(url: str, email: str, name: str) -> None:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        s.add(Person(email=email, name=name))
        s.commit()
    engine.dispose()


def open_inspections(url: str, theme: str) -> set[str]:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        refs = set(
            s.scalars(
                select(InspectionItem.ref).where(InspectionItem.theme == theme, InspectionItem.status != "closed")
            )
        )
    engine.dispose()
    return refs


async def test_deadline_words_get_the_overdue_answer_not_the_summary(database_url: str) -> None:
    async with LiveBot.running(database_url, clock=clock) as live:
        grace = live.user("grace")
        everything = outstanding(tracker(database_url))
        overdue = late(everything)
        sentence = (
            f"{len(everything)} outstanding across the force, {len(overdue)} overdue "
            f"({pct(len(overdue), len(everything))}%)"
        )
        cards = []
        for words in (
            "Which actions have missed their deadline?",
            "actions where we blew the deadline",
            "what has slipped past its due date?",
        ):
            [card] = (await live.say(grace, words)).cards
            assert card["body"][1]["text"] == sentence, words
            assert item_refs(card) == [a["ref"] for a in overdue[:10]], words
            cards.append(card)
        assert_valid_cards(*cards)


async def test_due_before_christmas_keeps_its_date(database_url: str) -> None:
    async with LiveBot.running(database_url, clock=clock) as live:
        grace = live.user("grace")
        [card] = (await live.say(grace, "what is due before christmas")).cards
        christmas_eve = date(2026, 12, 24)
        due = [a for a in outstanding(tracker(database_url)) if TODAY <= (a["revised"] or a["due"]) <= christmas_eve]
        assert card["body"][1]["text"].startswith(
            f"{len(due)} actions due between 26 Nov 2026 and 24 Dec 2026 across the force"
        )
        assert set(item_refs(card)) <= {a["ref"] for a in due} and due
        assert_valid_cards(card)


async def test_a_first_name_two_people_share_asks_which_one_then_answers_for_the_one_tapped(database_url: str) -> None:
    async with LiveBot.running(database_url, clock=clock) as live:
        add_person(database_url, "olivia.grant@met.police.example", "Olivia Grant")
        grace = live.user("grace")
        [which] = (await live.say(grace, "what's overdue for olivia?")).cards
        assert "Which Olivia do you mean?" in card_text(which)
        buttons = ask_buttons(which)
        assert set(buttons) == {"Olivia Grant", "Olivia Owen"}
        assert buttons["Olivia Owen"]["data"]["text"] == "what's overdue for Olivia Owen?"
        tapped = await live.click(grace, "ask", buttons["Olivia Owen"]["data"])
        [answer] = tapped.cards
        hers = late(outstanding(tracker(database_url), owner="Olivia Owen"))
        assert item_refs(answer) == [a["ref"] for a in hers[:10]] and hers
        assert "owner: Olivia Owen" in card_text(answer)
        [sole] = (await live.say(grace, "overdue for colin")).cards  # one Colin: no question asked
        assert "Which" not in card_text(sole) and "owner: Colin Chambers" in card_text(sole)
        assert_valid_cards(which, answer, sole)


async def test_the_theme_filter_applies_to_hmicfrs_items_and_risk_is_said_not_to(database_url: str) -> None:
    async with LiveBot.running(database_url, clock=clock) as live:
        grace = live.user("grace")
        [card] = (await live.say(grace, "open HMICFRS recommendations on vulnerability")).cards
        expected = open_inspections(database_url, "Vulnerability")
        assert card["body"][1]["text"] == f"{len(expected)} open HMICFRS items across the force" and expected
        assert set(item_refs(card)) <= expected and "theme: Vulnerability" in card_text(card)
        assert "not applied" not in card_text(card)
        [risky] = (await live.say(grace, "high risk HMICFRS recommendations")).cards
        assert "HMICFRS items have no risk, so that filter was not applied." in card_text(risky)
        assert_valid_cards(card, risky)


async def test_an_unrecognised_question_offers_the_closest_answers_as_buttons(database_url: str) -> None:
    async with LiveBot.running(database_url, clock=clock) as live:
        grace = live.user("grace")
        [card] = (await live.say(grace, "who is stuck?")).cards
        text = card_text(card)
        assert "didn't understand" in text and "Did you mean" in text
        offered = ask_buttons(card)
        assert 3 <= len(offered) <= 4 and "Everything I can answer" in offered  # two or three, and the way to all
        assert "Why are we delayed?" in offered
        answered = await live.click(grace, "ask", offered["Why are we delayed?"]["data"])
        assert "have a delay reason" in answered.card_text()
        everything = await live.click(grace, "ask", offered["Everything I can answer"]["data"])
        assert "What you can ask me" in everything.card_text()
        assert_valid_cards(card, *answered.cards, *everything.cards)
