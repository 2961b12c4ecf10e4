"""The schedules' cards: a due-date nudge, the weekly digest, what is scheduled (validated, small)."""

from __future__ import annotations

import json
from typing import Any

from cards.outbox import outbox_card
from cards.schedules import schedule_card
from domain.messages import decode
from tests.cardcheck import MAX_CARD_BYTES, assert_valid_cards
from tests.fakes.live_bot import card_text


def render_outbox(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The card the worker sends for a row of this kind and JSON (today's shape: it must decode)."""
    return outbox_card(decode(kind, payload))


def _item(n: int, before: int) -> dict:
    return {
        "ref": f"MET-{n}",
        "title": f"Deliver the plan {n} " + "x" * 100,
        "due": "2026-10-21",
        "days_before": before,
    }


def test_nudge_card_lists_today_and_in_14_days_with_update_buttons():
    card = render_outbox("nudge", {"owner": "Olivia Owen", "day": "2026-10-07", "items": [_item(1, 0), _item(2, 14)]})
    text = card_text(card)
    assert "Hello Olivia" in text and "Due today" in text and "Due in 14 days" in text and "MET-2" in text
    big = render_outbox(
        "nudge", {"owner": "Olivia Owen", "day": "2026-10-07", "items": [_item(n, n % 2 * 14) for n in range(400)]}
    )
    assert len(json.dumps(big)) < MAX_CARD_BYTES and "more in My actions" in card_text(big)
    assert_valid_cards(card, big)


def test_weekly_digest_card_shows_each_group_s_week():
    group = {
        "group": "Met Operations",
        "non_responders": {"lines": [{"name": "Laura Mills"}], "more": 0},
        "newly_overdue": {
            "lines": [{"ref": "MET-3", "title": "t", "owner": "Olivia Owen", "due": "2026-10-21"}],
            "more": 3,
        },
        "decisions": {"lines": [{"ref": "CLS-1", "decision": "closed", "date": "2026-09-30"}], "more": 0},
    }
    card = render_outbox(
        "weekly",
        {
            "recipient": "Sam Spencer",
            "roles": ["spoc"],
            "week_from": "2026-10-19",
            "day": "2026-10-26",
            "cycle_id": 1,
            "deadline": "2026-11-05",
            "groups": [group],
        },
    )
    text = card_text(card)
    for words in ("Hello Sam", "Met Operations", "Laura Mills", "MET-3", "…and 3 more.", "CLS-1", "closed"):
        assert words in text
    quiet = render_outbox(
        "weekly",
        {
            "recipient": "Dev Patel",
            "roles": ["spoc"],
            "week_from": "2026-10-19",
            "day": "2026-10-26",
            "cycle_id": None,
            "deadline": None,
            "groups": [
                {
                    "group": "Corporate Services",
                    "non_responders": {"lines": [], "more": 0},
                    "newly_overdue": {"lines": [], "more": 0},
                    "decisions": {"lines": [], "more": 0},
                }
            ],
        },
    )
    assert "No action became overdue." in card_text(quiet) and "Not yet responded" not in card_text(quiet)
    assert_valid_cards(card, quiet)


def test_schedule_card():
    card = schedule_card(
        [{"day": "2026-10-08", "job": "cycle_reminders", "detail": "reminders to cycle 1's non-responders"}],
        timezone="Europe/London",
    )
    assert "08 Oct 2026" in card_text(card) and "Europe/London" in card_text(card)
    assert "Nothing is scheduled." in card_text(schedule_card([], timezone="UTC"))
    assert_valid_cards(card)
