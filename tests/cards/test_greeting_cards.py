"""The greeting, not-on-the-tracker and help cards as pure functions, with realistic and extreme data,
each validated by the official adaptivecards renderer at 1.5 and under 28 KB."""

from __future__ import annotations

from itertools import combinations

import pytest

from cards.greeting import GreetingData, greeting_card, not_on_tracker_card
from cards.help import help_card
from questions import EXAMPLES
from tests.cardcheck import MAX_CARD_BYTES, assert_valid_cards
from tests.fakes.live_bot import card_text

ROLES = ("owner", "spoc", "chief_officer", "governance")
UNICODE = "Ňiamh Ó’Ceallaigh – “Met Ops” ✅ 事件 مراجعة 🚓"
LONG = "Professionalism and Corporate Services and Frontline Policing " * 30
GROUP_120 = ("Professional Standards, Vetting and Counter-Corruption Command – " * 3)[:120]  # the column's limit
ALL_FOUR = frozenset(ROLES)


def _role_sets() -> list:
    sets = [frozenset(c) for n in range(len(ROLES)) for c in combinations(ROLES, n)]
    return sets + [pytest.param(ALL_FOUR, id="all-four-roles")]


@pytest.mark.parametrize("roles", _role_sets(), ids=lambda r: "+".join(sorted(r)) or "no-role")
def test_greeting_for_each_combination_of_roles(roles: frozenset[str]) -> None:
    card = greeting_card(
        GreetingData(name="Olivia Owen", roles=roles, led_groups=("Met Operations",), examples=EXAMPLES)
    )
    (report,) = assert_valid_cards(card)
    assert report.bytes < MAX_CARD_BYTES
    shown = card_text(card)
    for role, words in (
        ("owner", "Action owner"),
        ("spoc", "Single point of contact"),
        ("chief_officer", "Chief Officer"),
        ("governance", "Strategy & Governance"),
    ):
        assert (words in shown) == (role in roles)


def test_greeting_with_extreme_data() -> None:
    cards = [
        greeting_card(GreetingData(name="", roles=frozenset())),
        greeting_card(
            GreetingData(
                name=UNICODE,
                roles=frozenset({"governance", "chief_officer", "spoc"}),
                led_groups=(GROUP_120, UNICODE) * 5,
                examples=tuple(f"{UNICODE} {i}" for i in range(200)),
            )
        ),
        greeting_card(GreetingData(name=LONG[:200], roles=frozenset({"chief_officer"}), led_groups=())),
    ]
    reports = assert_valid_cards(*cards)
    assert all(r.bytes < MAX_CARD_BYTES for r in reports)
    assert "Hello Ňiamh" in card_text(cards[1])


def test_not_on_tracker_card() -> None:
    cards = [
        not_on_tracker_card(None, "the Strategy & Governance team"),
        not_on_tracker_card(UNICODE, LONG),
        not_on_tracker_card("", ""),
    ]
    assert_valid_cards(*cards)
    assert "couldn't find you" in card_text(cards[0])


def test_help_card_with_and_without_a_question_it_did_not_understand() -> None:
    cards = [
        help_card(EXAMPLES),
        help_card(EXAMPLES, role_examples=("my actions", "request updates")),
        help_card(EXAMPLES, not_understood="what about the thing with the stuff"),
        help_card((), not_understood=UNICODE * 500),
        help_card(tuple(LONG[:300] + str(i) for i in range(200)), not_understood=LONG),
    ]
    reports = assert_valid_cards(*cards)
    assert all(r.bytes < MAX_CARD_BYTES for r in reports)
    assert "Sorry, I didn't understand that" in card_text(cards[2])
    assert all(len(c.get("actions", [])) <= 4 for c in cards)
