"""The owner's lists (my actions, my HMICFRS items) as pure card builders, each validated by the
official adaptivecards renderer at 1.5."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from cards.my_actions import my_actions_card, my_inspections_card
from domain.update_views import ACTION, INSPECTION, ItemPage
from tests.cardcheck import MAX_CARD_BYTES, assert_valid_cards
from tests.cards.owner_samples import LONG, TODAY, UNICODE, action, buttons, inspection, pages
from tests.fakes.live_bot import card_text


def test_two_hundred_actions_page_into_valid_cards_most_urgent_first() -> None:
    items = [action(i, days_overdue=max(0, 120 - i), due_date=TODAY - timedelta(days=120 - i)) for i in range(1, 201)]
    cards = [my_actions_card(p) for p in pages(items, ACTION)]
    assert len(cards) == 25
    assert_valid_cards(*cards)
    first, middle, last = cards[0], cards[12], cards[-1]
    assert "200 outstanding, 119 overdue · most urgent first · page 1 of 25" in card_text(first)
    assert [b["verb"] for b in buttons(first)].count("action.edit") == 8
    assert [b["data"] for b in buttons(first) if b["verb"] == "action.edit"][0] == {"ref": "DARA-2011-001"}
    assert "Overdue 119 days" in card_text(first)
    assert [(b["title"], b["data"]) for b in middle["actions"]][:2] == [
        ("Previous", {"page": 11}),
        ("Next", {"page": 13}),
    ]
    assert [a["title"] for a in last["actions"]] == ["Previous", "My HMICFRS items (4)"]
    assert all(
        a["fallback"]["type"] == "Action.Submit" and a["fallback"]["data"]["verb"] == a["verb"] for a in buttons(first)
    )


def test_list_shows_what_the_owner_needs_for_each_action() -> None:
    item = action(
        2,
        revised_due_date=TODAY + timedelta(days=30),
        pending_date=TODAY + timedelta(days=200),
        on_behalf_of="Olivia Owen",
    )
    text = card_text(my_actions_card(next(pages([item], ACTION))))
    for expected in (
        "2. DARA-2011-002",
        "High risk",
        "Case File Management – Disclosure",
        "Overdue 45 days",
        "Original due 12 Oct 2026",
        "effective due 26 Dec 2026",
        "last update 06 Nov 2026",
        "revised date 14 Jun 2027 proposed",
        "owner Olivia Owen",
    ):
        assert expected in text, expected


def test_long_titles_and_unicode_stay_valid_and_small() -> None:
    items = [
        action(i, description=LONG + UNICODE, audit_title=UNICODE * 10, owner_name=UNICODE, last_update_note=LONG)
        for i in range(1, 9)
    ]
    card = my_actions_card(next(pages(items, ACTION)))
    reports = assert_valid_cards(card)
    assert reports[0].bytes < MAX_CARD_BYTES
    assert "…" in card_text(card)  # shortened, not dropped


def test_an_owner_with_no_actions_is_told_so() -> None:
    empty = ItemPage(kind=ACTION, items=(), page=0, page_size=8, total=0)
    with_items = dataclasses.replace(empty, other_total=2)
    cards = [
        my_actions_card(empty),
        my_actions_card(with_items),
        my_inspections_card(ItemPage(kind=INSPECTION, items=(), page=0, page_size=8, total=0)),
    ]
    assert_valid_cards(*cards)
    assert "You have no outstanding actions" in card_text(cards[0]) and "actions" not in cards[0]
    assert cards[1]["actions"][0]["verb"] == "my_inspections.page"
    assert "no open HMICFRS" in card_text(cards[2])


def test_inspection_list_pages() -> None:
    items = [inspection(i, inspection=UNICODE + LONG[:300]) for i in range(1, 41)]
    cards = [my_inspections_card(p) for p in pages(items, INSPECTION)]
    assert_valid_cards(*cards)
    assert [b["verb"] for b in buttons(cards[0])].count("inspection.edit") == 8
    assert "Overdue 3 days" in card_text(cards[0]) and "Area for improvement" in card_text(cards[0])
