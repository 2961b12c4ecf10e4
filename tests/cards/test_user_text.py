"""User text is shown as text on every card: the common helpers escape it once."""

from __future__ import annotations

from cards.common import adaptive_card, facts, plain, table, text
from tests.cardcheck import assert_valid_cards

PHISH = "[Approve here](https://phish.example)"


def test_fact_values_table_cells_and_plain_text_are_escaped() -> None:
    fact = facts([("Progress note", PHISH)])["facts"][0]
    assert fact == {"title": "Progress note", "value": r"\[Approve here\](https://phish.example)"}
    cell = table(["Owner"], [[PHISH]])["rows"][1]["cells"][0]["items"][0]["text"]
    assert cell == r"\[Approve here\](https://phish.example)"
    assert plain("*" + "x" * 100, 20) == r"\*" + "x" * 18 + "…"
    assert plain(None) == ""
    assert_valid_cards(adaptive_card([text(plain(PHISH)), facts([("Note", PHISH)])]))
