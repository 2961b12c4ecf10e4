"""Names keep their capitals and counts their plurals on every card (issue 24 point 4)."""

from __future__ import annotations

from cards.cycle_request import reminder_card, request_card
from cards.decisions import outcome_card
from domain.messages import Outcome, Reminder, Request
from tests.fakes.live_bot import card_text


def _item(ref: str, **extra) -> dict:
    return {"kind": "action", "ref": ref, "title": "Reconcile custody records", "due": "2026-12-01", **extra}


def test_the_decision_card_counts_the_proposals_decided():
    one = {
        "owner": "Olivia Owen",
        "decided_by": "Grace Gordon",
        "items": [{"kind": "revised", "ref": "A-1", "title": "t", "date": "2027-01-31", "accepted": True}],
    }
    text = card_text(outcome_card(Outcome.from_json(one)))
    assert "has decided on 1 of your proposals." in text and "proposal." not in text


def test_the_request_counts_items_and_overdue_days():
    card = request_card(
        Request.from_json({"owner": "Olivia Owen", "deadline": "2026-12-20", "items": [_item("A-1", overdue_days=1)]})
    )
    text = card_text(card)
    assert "please update your **1** item by" in text
    assert "Overdue by 1 day" in text and "1 days" not in text
    covered = {"cover_for": "Olivia Owen", "deadline": "2026-12-20", "items": [_item("A-1"), _item("A-2")]}
    assert "there are still **2** items of theirs to update" in card_text(reminder_card(Reminder.from_json(covered)))


def test_capitals_and_plurals_come_from_one_helper():
    """domain/phrases.py: no str.capitalize (it lowers names) and no hand-made 's' suffix elsewhere."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = [
        f"{path.relative_to(root)}:{n}"
        for folder in ("cards", "cli", "bot/features")
        for path in sorted((root / folder).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ".capitalize()" in line or "'s' if" in line or '"s" if' in line
    ]
    assert found == []
