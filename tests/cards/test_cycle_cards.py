"""Update-cycle and decision cards: pure builders, validated by the adaptivecards renderer at 1.5 and
kept under 28 KB with realistic and extreme data (200 items, long unicode text, empty lists)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from cards.cycle import CARD_BUDGET, preview_card, scope_card, started_card
from cards.cycle_progress import digest_card, progress_card
from cards.cycle_request import reminder_card, request_card
from cards.decisions import decisions_card, outcome_card
from cards.outbox import outbox_card
from domain.messages import Digest, Outcome, Reminder, Request, decode
from tests.cardcheck import MAX_CARD_BYTES, assert_valid_cards
from tests.fakes.live_bot import card_text

LONG = "Ünïcödé – “quoted” ✓ 警察 " * 30  # non-ASCII travels as \\uXXXX: six bytes a character


def render_outbox(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The card the worker sends for a row of this kind and JSON (today's shape: it must decode)."""
    return outbox_card(decode(kind, payload))


def buttons(card: dict[str, Any]) -> list[dict[str, Any]]:
    found, stack = [], [card]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == "Action.Execute":
                found.append(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def wire(card: dict[str, Any]) -> int:
    return len(json.dumps(card, separators=(",", ":")).encode("ascii"))


def item(i: int, *, long: bool = False, kind: str = "action") -> dict[str, Any]:
    return {
        "kind": kind,
        "ref": (f"DARA-2021-{i:03d}" + ("-ÄÖÜ" * 12 if long else "")),
        "title": LONG if long else "Deliver the expenses approval improvement plan",
        "source": LONG if long else "Key Financial Systems – Expenses",
        "group": "Met Operations",
        "due": "2025-03-31",
        "effective_due": "2027-03-31" if i % 2 else "2025-03-31",
        "status": "in progress",
        "overdue_days": 605 if i % 3 else 0,
    }


def request(n: int, *, long: bool = False, message: str | None = "Please update before the Audit Panel.") -> dict:
    items = [item(i, long=long, kind="inspection" if i == 1 else "action") for i in range(n)]
    return {
        "cycle_id": 3,
        "deadline": "2026-12-10",
        "message": message,
        "owner": "Olivia Owen",
        "opened_by": "Grace Gordon",
        "items": items,
    }


def status(groups: int = 5, people: int = 3, long: bool = False) -> dict[str, Any]:
    name = LONG if long else "Jack Turner"
    return {
        "cycle": 3,
        "status": "open",
        "opened_at": "2026-11-26T09:30:00+00:00",
        "opened_by": "grace",
        "deadline": "2026-12-10",
        "scope": "all outstanding monitored actions",
        "message": None,
        "closed_at": None,
        "requests": {"sent": 140, "failed": 2, "pending": 10, "not_installed": 20, "total": 172},
        "reminders": {"reminder": 12, "digest": 8},
        "response_rate": {"asked": 172, "responded": 77, "pct": 45},
        "owners": {"asked": 60, "responded_fully": 20},
        "by_group": [
            {
                "group": (LONG if long else f"Group {g}"),
                "asked": 30,
                "responded": 12,
                "pct": 40,
                "owners": 10,
                "owners_responded": 3,
                "requests": {},
                "non_responders": [{"name": name, "items": 3, "request": "sent"} for _ in range(people)],
            }
            for g in range(groups)
        ],
        "failures": [{"owner": name, "reason": "HTTP 403: ConversationBlockedByUser"}] * (7 if long else 1),
    }


def pending(n: int, long: bool = False) -> dict[str, Any]:
    text = LONG if long else "Deliver the plan"
    return {
        "revised": [
            {
                "proposal_id": i,
                "ref": f"R-{i}",
                "title": text,
                "owner": "Olivia Owen",
                "group": "Met Operations",
                "due": "2025-01-31",
                "revised": None,
                "proposed": "2027-03-31",
                "delay_reason": "Recruitment",
                "proposed_on": "2026-11-20",
            }
            for i in range(n)
        ],
        "closures": [
            {
                "action_id": 100 + i,
                "ref": f"C-{i}",
                "title": text,
                "owner": "Amelia Hart",
                "group": "Corporate Services",
                "due": "2025-06-30",
                "implemented_on": "2026-11-01",
                "evidence": text,
            }
            for i in range(n)
        ],
    }


PREVIEW = {
    "scope": {"kind": "group", "group": "Met Operations", "days": None, "include_hmicfrs": True},
    "description": "outstanding monitored actions in Met Operations and open HMICFRS items",
    "owners": 7,
    "actions": 49,
    "inspections": 17,
    "unreachable": ["Jack Turner", "Kiran Bose"],
    "ownerless_inspections": 1,
    "by_group": {"Met Operations": {"owners": 7, "items": 66}},
}


def test_owner_request_card_lists_every_item_with_an_update_button():
    card = request_card(Request.from_json(request(3)))
    text = card_text(card)
    assert "Update request" in text and "please update your **3** items by **10 Dec 2026**" in text
    assert "“Please update before the Audit Panel.” — Grace Gordon" in text and "2 of them overdue" in text
    verbs = [(b["verb"], b["data"]) for b in buttons(card)]
    assert ("action.edit", {"ref": "DARA-2021-000"}) in verbs and ("inspection.edit", {"ref": "DARA-2021-001"}) in verbs
    assert ("ask", {"text": "my actions"}) in verbs
    assert "Due 31 Mar 2027 (originally 31 Mar 2025)" in text and "Overdue by 605 days" in text


@pytest.mark.parametrize("long", [False, True])
def test_an_owner_with_200_actions_still_gets_one_card_under_the_limit(long):
    card = request_card(Request.from_json(request(200, long=long)))
    assert wire(card) <= CARD_BUDGET < MAX_CARD_BYTES
    shown = [b for b in buttons(card) if b["verb"] in ("action.edit", "inspection.edit")]
    assert 1 <= len(shown) <= 20
    assert f"…and {200 - len(shown)} more" in card_text(card) and "Open **My actions**" in card_text(card)


def test_scope_card_keeps_inputs_and_shows_errors_beside_fields():
    plain = scope_card(
        ["Corporate Services", "Met Operations"], default_deadline=date(2026, 12, 10), today=date(2026, 11, 26)
    )
    ids = [e.get("id") for e in plain["body"] if e.get("id")]
    assert ids == ["scope", "group", "days", "include_hmicfrs", "deadline", "message", "reminders"]
    assert next(e for e in plain["body"] if e.get("id") == "reminders")["value"] == "7,2,0"  # the default
    assert buttons(plain)[0]["verb"] == "cycle.preview"
    kept = scope_card(
        ["Met Operations"],
        default_deadline=date(2026, 12, 10),
        today=date(2026, 11, 26),
        values={
            "scope": "due_within",
            "days": "45",
            "include_hmicfrs": "true",
            "deadline": "2027-01-05",
            "message": "Hi",
            "reminders": "5,1",
        },
        errors={"deadline": "The deadline is in the past.", "reminders": "Reminder days 'x' should be..."},
    )
    by_id = {e.get("id"): e for e in kept["body"]}
    assert (by_id["scope"]["value"], by_id["days"]["value"], by_id["include_hmicfrs"]["value"]) == (
        "due_within",
        45,
        "true",
    )
    assert by_id["deadline"]["value"] == "2027-01-05" and by_id["message"]["value"] == "Hi"
    assert "The deadline is in the past." in card_text(kept) and by_id["reminders"]["value"] == "5,1"
    assert "Reminder days 'x' should be..." in card_text(kept)
    assert_valid_cards(plain, kept)


def test_preview_card_says_who_cannot_be_reached_and_confirms_with_the_scope():
    card = preview_card(
        PREVIEW, deadline="2026-12-10", message="Hi", reminders="7,0", reminder_dates=["2026-12-03", "2026-12-10"]
    )
    text = card_text(card)
    assert "Reminders to owners who have not responded: 03 Dec 2026, 10 Dec 2026" in text
    assert "**7 owners**" in text and "**49 actions**" in text and "**17 HMICFRS items**" in text
    assert "Owners who cannot be reached\n2" in text and "Jack Turner, Kiran Bose" in text
    confirm = next(b for b in buttons(card) if b["verb"] == "cycle.confirm")
    assert confirm["data"] == {"scope": PREVIEW["scope"], "deadline": "2026-12-10", "message": "Hi", "reminders": "7,0"}
    change = next(b for b in buttons(card) if b["verb"] == "cycle.request")
    assert change["data"]["values"]["reminders"] == "7,0"


def test_progress_card_shows_sends_responses_and_rates():
    card = progress_card(status())
    text = card_text(card)
    for words in (
        "Requests sent\n140 of 172",
        "Pending\n10",
        "Failed\n2",
        "Not installed\n20",
        "Responded\n77 of 172 (45%)",
        "Group 0",
        "40%",
    ):
        assert words in text
    assert {b["verb"] for b in buttons(card)} == {"cycle.status", "cycle.remind", "cycle.close"}
    narrowed = progress_card(status(groups=1), manage=False, show_people=True)
    assert "Jack Turner" in card_text(narrowed) and {b["verb"] for b in buttons(narrowed)} == {"cycle.status"}


def test_outbox_rendering_and_digest_and_outcome():
    digest = render_outbox(
        "digest",
        {
            "cycle_id": 3,
            "group": "Met Operations",
            "deadline": "2026-12-10",
            "recipient": "Sam Spencer",
            "asked": 49,
            "responded": 20,
            "pct": 41,
            "non_responders": [{"name": "Jack Turner", "items": 6, "request": "sent"}],
        },
    )
    assert "Hello Sam, 1 owner in Met Operations has not updated" in card_text(digest)
    assert "20 of 49 items updated (41%)" in card_text(digest)
    reminder = render_outbox("reminder", request(2))
    assert "Reminder: updates needed" in card_text(reminder) and "you still have **2** items" in card_text(reminder)
    outcome = render_outbox(
        "outcome",
        {
            "owner": "Olivia Owen",
            "decided_by": "Grace Gordon",
            "items": [
                {"kind": "revised", "ref": "R-1", "title": "t", "accepted": True, "date": "2027-03-31", "reason": None},
                {
                    "kind": "closure",
                    "ref": "C-1",
                    "title": "t",
                    "accepted": False,
                    "date": None,
                    "reason": "No evidence",
                },
            ],
        },
    )
    text = card_text(outcome)
    assert "Revised due date 31 Mar 2027 accepted" in text and "Closure not accepted" in text
    assert "Reason: No evidence" in text
    with pytest.raises(ValueError):
        render_outbox("postcard", {})


def test_decisions_card_one_by_one_and_bulk():
    card = decisions_card(pending(3))
    text = card_text(card)
    assert "3 proposed revised dates and 3 closure proposals." in text
    decide = [b for b in buttons(card) if b["verb"] == "decision.decide"]
    assert {"kind": "revised", "id": 0, "accept": True} in [b["data"] for b in decide]
    assert {"kind": "closure", "id": 100, "accept": False} in [b["data"] for b in decide]
    ids = json.dumps(card)
    assert '"reason_revised_0"' in ids and '"reason_closure_100"' in ids and '"selected"' in ids
    paged = decisions_card(pending(20), page=1, notes=["R-1: accepted"], problems=["R-2: already accepted"])
    assert "Page 2 of 5" in card_text(paged) and "✓ R-1: accepted" in card_text(paged)
    assert {b["verb"] for b in buttons(paged)} >= {"decisions.show", "decisions.bulk", "decision.decide"}
    assert "Nothing is waiting for a decision." in card_text(decisions_card({"revised": [], "closures": []}))


def test_every_builder_is_valid_with_realistic_and_extreme_data():
    cards = [
        scope_card([], default_deadline=date(2026, 12, 10), today=date(2026, 11, 26)),
        preview_card(PREVIEW, deadline="2026-12-10", message=None),
        preview_card(
            {**PREVIEW, "unreachable": [LONG] * 200, "by_group": {LONG: {"owners": 1, "items": 1}}},
            deadline="2026-12-10",
            message=LONG[:1000],
        ),
        request_card(Request.from_json(request(1, message=None))),
        request_card(Request.from_json(request(200))),
        request_card(Request.from_json(request(200, long=True))),
        request_card(Request.from_json({"deadline": "2026-12-10", "owner": "", "items": []})),
        reminder_card(Reminder.from_json(request(200, long=True))),
        progress_card(status()),
        progress_card(status(groups=40, people=200, long=True), show_people=True),
        progress_card({**status(groups=0), "status": "closed"}, show_people=True, updated="26 Nov 2026 09:30 UTC"),
        digest_card(
            Digest.from_json(
                {
                    "cycle_id": 3,
                    "group": LONG,
                    "deadline": "2026-12-10",
                    "recipient": LONG,
                    "asked": 1,
                    "responded": 0,
                    "pct": 0,
                    "non_responders": [{"name": LONG, "items": 2, "request": "failed"}] * 200,
                }
            )
        ),
        digest_card(
            Digest.from_json(
                {
                    "cycle_id": 3,
                    "group": "Met Operations",
                    "deadline": "2026-12-10",
                    "recipient": "Sam",
                    "asked": 0,
                    "responded": 0,
                    "pct": None,
                    "non_responders": [],
                }
            )
        ),
        decisions_card(pending(0)),
        decisions_card(pending(3)),
        decisions_card(pending(100, long=True), page=7),
        outcome_card(
            Outcome.from_json(
                {
                    "owner": LONG,
                    "decided_by": LONG,
                    "items": [
                        {
                            "kind": "closure",
                            "ref": LONG[:60],
                            "title": LONG,
                            "accepted": False,
                            "date": None,
                            "reason": LONG,
                        }
                    ]
                    * 200,
                }
            )
        ),
        started_card(3, 172, 150, 22, "2026-12-10"),
    ]
    reports = assert_valid_cards(*cards)
    assert all(r.bytes < MAX_CARD_BYTES for r in reports)


def test_a_cover_is_told_whose_items_a_request_is_about():
    card = render_outbox("request", {**request(2), "cover_for": "Olivia Owen"})
    assert "As Olivia Owen's cover, please update Olivia Owen's **2** items" in card_text(card)
    card = render_outbox("reminder", {**request(1), "cover_for": "Olivia Owen"})
    assert "As Olivia Owen's cover, there is still **1** item of theirs to update" in card_text(card)
    assert_valid_cards(card)
