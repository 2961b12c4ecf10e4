"""domain/messages.py: every kind decodes the JSON the previous version wrote (rows still queued when
this version starts), encodes it back unchanged, and a row it cannot read is a clear error, never
another exception. Each payload below is copied from what the store wrote before the messages were
typed (store/cycles/lifecycle.py, reminders.py, schedule_jobs.py, store/updates/decisions.py)."""

from __future__ import annotations

from typing import Any

import pytest

from domain.message_parts import Capped, DecisionLine, NonResponder, NudgeItem, RequestItem, WeekAction, WeekGroup
from domain.messages import (
    KINDS,
    BadPayload,
    Digest,
    Nudge,
    Outcome,
    Progress,
    Reminder,
    Request,
    UnknownKind,
    Weekly,
    covered,
    decode,
    encode,
)

ITEM = {
    "kind": "action",
    "ref": "ACT-1",
    "title": "Reconcile custody records",
    "source": "Custody audit",
    "group": "Met Operations",
    "due": "2026-11-30",
    "effective_due": "2026-12-31",
    "status": "in progress",
    "overdue_days": 3,
}
TODAYS_ROWS: dict[str, dict[str, Any]] = {
    "request": {
        "cycle_id": 7,
        "deadline": "2026-12-10",
        "message": "Please update before the board",
        "owner": "Olivia Owen",
        "opened_by": "Grace Gordon",
        "items": [ITEM],
    },
    "reminder": {
        "cycle_id": 7,
        "deadline": "2026-12-10",
        "owner": "Olivia Owen",
        "items": [ITEM],
        "request_sent_on": "2026-11-26",
    },
    "digest": {
        "cycle_id": 7,
        "deadline": "2026-12-10",
        "group": "Met Operations",
        "recipient": "Sam Spencer",
        "role": "spoc",
        "asked": 49,
        "responded": 20,
        "pct": 41,
        "non_responders": [{"name": "Jack Turner", "items": 6, "request": "sent"}],
    },
    "outcome": {
        "owner": "Olivia Owen",
        "decided_by": "Grace Gordon",
        "items": [
            {"kind": "revised", "ref": "R-1", "title": "t", "accepted": True, "date": "2027-03-31", "reason": None},
            {"kind": "closure", "ref": "C-1", "title": "t", "accepted": False, "date": None, "reason": "No evidence"},
        ],
    },
    "progress": {
        "status": {  # store/cycles/status.py CycleStatus.as_json()
            "cycle": 7,
            "status": "open",
            "opened_at": "2026-11-26T09:30:00+00:00",
            "opened_by": "grace",
            "deadline": "2026-12-10",
            "scope": {"kind": "all", "include_hmicfrs": False},
            "message": None,
            "closed_at": None,
            "requests": {"sent": 1, "failed": 0, "pending": 0, "not_installed": 0, "total": 1},
            "reminders": {},
            "response_rate": {"asked": 1, "responded": 0, "pct": 0},
            "owners": {"asked": 1, "responded_fully": 0},
            "by_group": [],
            "failures": [],
        }
    },
    "nudge": {
        "owner": "Olivia Owen",
        "day": "2026-10-07",
        "items": [{"ref": "ACT-1", "title": "t", "due": "2026-10-21", "days_before": 14}],
    },
    "weekly": {
        "recipient": "Sam Spencer",
        "roles": ["spoc"],
        "week_from": "2026-09-30",
        "day": "2026-10-07",
        "cycle_id": None,
        "deadline": None,
        "groups": [  # store/cycles/schedule_jobs.py _group_week()
            {
                "group": "Met Operations",
                "non_responders": {"lines": [], "more": 0},
                "newly_overdue": {
                    "lines": [{"ref": "A-1", "title": "t", "owner": "O", "due": "2026-10-01"}],
                    "more": 0,
                },
                "decisions": {"lines": [], "more": 0},
                "orphaned": {"lines": [], "more": 0},
            }
        ],
    },
}


def test_every_kind_has_a_row_of_todays_shape_here():
    assert set(TODAYS_ROWS) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(TODAYS_ROWS))
def test_todays_rows_decode_and_encode_back_unchanged(kind):
    message = decode(kind, TODAYS_ROWS[kind])
    assert type(message) is KINDS[kind] and message.kind == kind
    assert encode(message) == TODAYS_ROWS[kind]


def test_decoded_fields_are_typed():
    request = decode("request", TODAYS_ROWS["request"])
    assert isinstance(request, Request) and request.items == (RequestItem(**ITEM),)
    digest = decode("digest", TODAYS_ROWS["digest"])
    assert isinstance(digest, Digest) and digest.non_responders == (NonResponder("Jack Turner", 6, "sent"),)
    outcome = decode("outcome", TODAYS_ROWS["outcome"])
    assert isinstance(outcome, Outcome) and outcome.items[1] == DecisionLine(
        "closure", "C-1", "t", False, None, "No evidence"
    )
    nudge = decode("nudge", TODAYS_ROWS["nudge"])
    assert isinstance(nudge, Nudge) and nudge.items == (NudgeItem("ACT-1", "t", "2026-10-21", 14),)
    weekly = decode("weekly", TODAYS_ROWS["weekly"])
    assert isinstance(weekly, Weekly)
    assert weekly.groups[0].newly_overdue == Capped((WeekAction("A-1", "t", "O", "2026-10-01"),), 0)


def test_a_cover_is_written_only_when_there_is_one_and_read_back():
    for kind in ("request", "reminder", "digest", "outcome", "nudge", "weekly"):
        message = covered(decode(kind, TODAYS_ROWS[kind]), "Olivia Owen")
        assert encode(message) == {**TODAYS_ROWS[kind], "cover_for": "Olivia Owen"}
        assert decode(kind, encode(message)) == message
    progress = decode("progress", TODAYS_ROWS["progress"])
    assert covered(progress, "Olivia Owen") is progress  # the opener's own card


def test_older_and_newer_rows_still_read():
    """Keys a row lacks take defaults; keys this version does not know are ignored."""
    sparse = decode("request", {"owner": "Olivia Owen", "items": [{"ref": "A-1"}], "added_later": 1})
    assert sparse == Request(owner="Olivia Owen", deadline=None, items=(RequestItem("A-1"),))
    assert decode("reminder", {}) == Reminder(owner="", deadline=None, items=())
    assert decode("weekly", {"recipient": "Sam"}) == Weekly("Sam", (), "", "", ())
    # a weekly digest queued before orphaned actions were listed (issue 13)
    older = decode("weekly", {"groups": [{"group": "Met Operations"}]})
    assert isinstance(older, Weekly)
    [group] = older.groups
    assert group == WeekGroup("Met Operations", Capped(), Capped(), Capped(), Capped())


def test_an_unknown_kind_or_an_unreadable_row_is_a_clear_error():
    with pytest.raises(UnknownKind, match="'postcard'"):
        decode("postcard", {})
    for kind, payload in [
        ("request", {"items": "ACT-1"}),
        ("request", {"items": [{"title": "no ref"}]}),
        ("digest", {"recipient": "Sam"}),
        ("progress", {"status": "open"}),
        ("nudge", {"items": [{"ref": "A-1", "due": "2026-10-21", "days_before": "soon"}]}),
    ]:
        with pytest.raises(BadPayload, match=kind):
            decode(kind, payload)
    assert decode("progress", {"status": {}}) == Progress({})
