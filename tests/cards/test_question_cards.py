"""The suggestions card (an unrecognised question) and the which-person card (a shared first
name), with realistic and extreme data, validated by the adaptivecards renderer at 1.5."""

from __future__ import annotations

from cards.help import suggestions_card, which_person_card
from questions import SUGGESTIONS, suggest
from tests.cardcheck import MAX_CARD_BYTES, assert_valid_cards
from tests.fakes.live_bot import card_buttons, card_text

UNICODE = "Ňiamh Ó’Ceallaigh – “Met Ops” ✅ 事件 مراجعة 🚓"
LONG = "Professionalism and Corporate Services and Frontline Policing " * 30


def asked(card: dict) -> list[str]:
    return [b["data"]["text"] for b in card_buttons(card) if b["verb"] == "ask"]


def test_suggestions_card_offers_each_suggestion_and_the_whole_help() -> None:
    cards = [
        suggestions_card("who is stuck?", suggest("who is stuck?")),
        suggestions_card(UNICODE * 40, suggest(UNICODE * 40)),
        suggestions_card(LONG, tuple(question for question, _ in SUGGESTIONS)),  # more than three: cut
        suggestions_card("", ()),
    ]
    reports = assert_valid_cards(*cards)
    assert all(r.bytes < MAX_CARD_BYTES for r in reports)
    assert asked(cards[0]) == [*suggest("who is stuck?"), "help"]
    assert len(asked(cards[2])) == 4 and "“who is stuck?”" in card_text(cards[0])
    assert len(card_text(cards[1])) < 600  # the typed text is cut, not echoed whole


def test_which_person_card_has_one_button_per_person_and_says_when_some_are_left_out() -> None:
    two = which_person_card(
        "olivia", [("Olivia Owen", "overdue for Olivia Owen"), ("Olivia Grant", "overdue for Olivia Grant")]
    )
    many = which_person_card("john", [(f"John {UNICODE} {i}", f"overdue for John {i}") for i in range(30)])
    odd = which_person_card(LONG, [(LONG, LONG * 3)])
    reports = assert_valid_cards(two, many, odd)
    assert all(r.bytes < MAX_CARD_BYTES for r in reports)
    assert "Which Olivia do you mean?" in card_text(two)
    assert asked(two) == ["overdue for Olivia Owen", "overdue for Olivia Grant"]
    assert len(asked(many)) == 8 and "and 22 more: type the full name" in card_text(many)
