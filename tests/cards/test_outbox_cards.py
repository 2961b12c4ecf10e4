"""cards/outbox.py: every message kind of domain/messages.py has a card, built from a row in today's
JSON shape, and each is a valid Adaptive Card."""

from __future__ import annotations

from cards.outbox import outbox_card
from domain.messages import KINDS, decode
from tests.cardcheck import assert_valid_cards
from tests.domain.test_messages import TODAYS_ROWS
from tests.fakes.live_bot import card_text

FIRST_WORDS = {
    "request": "Update request",
    "reminder": "Reminder: updates needed",
    "digest": "Met Operations: not yet responded",
    "outcome": "Decisions on your actions",
    "progress": "Update cycle 7",
    "nudge": "Actions coming due",
    "weekly": "Your weekly digest",
}


def test_every_kind_has_a_card_from_todays_rows():
    assert set(FIRST_WORDS) == set(KINDS)
    cards = {kind: outbox_card(decode(kind, TODAYS_ROWS[kind])) for kind in KINDS}
    for kind, card in cards.items():
        assert FIRST_WORDS[kind] in card_text(card), kind
    assert_valid_cards(*cards.values())
