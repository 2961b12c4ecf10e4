"""Detail, refusal, not-found and bad-button cards: pure builders, valid for the official renderer at
1.5 and under 28 KB with long and unicode text."""

from __future__ import annotations

from dataclasses import replace

from cards.answer_detail import bad_button_card, detail_card, not_found_card, refusal_card
from cards.answers import PAGE_VERB
from store.queries import Refusal
from tests.cardcheck import MAX_CARD_BYTES, assert_valid_cards
from tests.cards.answer_samples import LONG, PARAMS, UNICODE, action_detail, history_lines, inspection_detail
from tests.fakes.live_bot import card_text


def test_detail_card_shows_every_field_history_and_back() -> None:
    card = detail_card(action_detail(), PARAMS, 3)
    text = card_text(card)
    for words in (
        "DARA-2011-088",
        "Case File Management",
        "limited",
        "medium",
        "Olivia Owen",
        "14 Jun 2026",
        "31 Jan 2027",
        "165 days",
        "Recruitment",
        "Policy and process",
        "Draft ready",
        "awaiting governance",
        "01 Mar 2027",
        "Recent history",
        "delay reason: — → x",
    ):
        assert words in text, words
    back = card["actions"][0]
    assert (back["verb"], back["data"]) == (PAGE_VERB, {"q": PARAMS, "page": 3})
    assert card["actions"][1]["type"] == "Action.OpenUrl"
    assert "actions" not in detail_card(inspection_detail(), None)


def test_refusal_and_unknown_group_cards_say_what_can_be_asked() -> None:
    text = card_text(refusal_card(Refusal("out_of_scope", ("Corporate Services",), allowed=("Met Operations",))))
    assert "Corporate Services is outside the groups you lead" in text and "You can ask about Met Operations" in text
    unknown = card_text(
        refusal_card(Refusal("unknown_group", ("narnia",), known=("Met Operations", "Professionalism")))
    )
    assert "narnia" in unknown and "• Met Operations" in unknown and "• Professionalism" in unknown


def test_every_detail_and_refusal_card_is_valid_and_small_with_extreme_data() -> None:
    cards = {
        "refusal": refusal_card(Refusal("out_of_scope", ("Corporate Services",), allowed=("Met Operations",))),
        "unknown group": refusal_card(
            Refusal("unknown_group", ("narnia",), known=tuple(f"Group {i}" for i in range(60)))
        ),
        "detail": detail_card(action_detail(), PARAMS, 3),
        "detail extreme": detail_card(
            replace(
                action_detail(),
                description=LONG + UNICODE,
                last_update_note=LONG,
                evidence_note=UNICODE,
                history=tuple(history_lines(UNICODE) * 8),
            ),
            None,
        ),
        "inspection detail": detail_card(inspection_detail(), PARAMS, 0),
        "not found": not_found_card("DARA-X" * 40),
        "bad button": bad_button_card(),
    }
    reports = assert_valid_cards(*cards.values())
    for name, report in zip(cards, reports):
        assert report.bytes < MAX_CARD_BYTES, name
