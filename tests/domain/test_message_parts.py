"""The rows inside outbox messages (domain/message_parts.py): each survives its own JSON unchanged,
reads rows an earlier version queued (fields missing or null) with its defaults, and refuses a
damaged list rather than reading it as something else."""

from __future__ import annotations

import json
from typing import Any

import pytest

from domain.message_parts import (
    Capped,
    DecisionLine,
    NonResponder,
    NudgeItem,
    RequestItem,
    WeekAction,
    WeekDecision,
    WeekGroup,
    json_list,
    opt_int,
    opt_str,
)

PARTS: list[Any] = [
    RequestItem(
        "DARA-2020-07-01",
        "Review vetting",
        "action",
        "DARA",
        "Met Operations",
        "2026-03-31",
        "2026-06-30",
        "in progress",
        12,
    ),
    RequestItem("HMI-2024-03", None, "inspection"),
    NonResponder("Olivia Owen", 3, "sent"),
    NudgeItem("DARA-2021-02-04", "Close the gap", "2026-12-20", 14),
    DecisionLine("revised", "DARA-2020-07-01", "Review vetting", True, "2027-01-31", None),
    DecisionLine("closure", "DARA-2020-07-02", None, False, None, "no evidence attached"),
    WeekAction("DARA-2020-07-03", None, "Sam Spencer", "2026-11-30"),
    WeekDecision("DARA-2020-07-01", "accepted", "2026-12-01"),
]


@pytest.mark.parametrize("part", PARTS, ids=lambda p: type(p).__name__)
def test_each_part_survives_its_own_json(part: Any) -> None:
    sent = json.loads(json.dumps(part.to_json()))  # as stored in the outbox row's JSON column
    assert type(part).from_json(sent) == part


def test_a_weekly_group_with_its_capped_lists_survives_its_json() -> None:
    group = WeekGroup(
        group="Met Operations",
        non_responders=Capped(("Olivia Owen", "Sam Spencer"), more=4),
        newly_overdue=Capped((WeekAction("DARA-1", "One", "Olivia Owen", "2026-11-30"),)),
        decisions=Capped((WeekDecision("DARA-2", "closed", "2026-12-02"),), more=1),
        orphaned=Capped(),
    )
    assert WeekGroup.from_json(json.loads(json.dumps(group.to_json()))) == group


def test_rows_queued_by_an_earlier_version_read_with_defaults() -> None:
    assert RequestItem.from_json({"ref": "DARA-1"}) == RequestItem("DARA-1")
    assert RequestItem.from_json({"ref": "DARA-1", "kind": None, "overdue_days": None}).kind == "action"
    assert NonResponder.from_json({"name": "Olivia Owen"}) == NonResponder("Olivia Owen", 0, "none")
    assert NudgeItem.from_json({"ref": "DARA-1", "due": "2026-12-20"}).days_before == 0
    assert WeekAction.from_json({"ref": "DARA-1", "due": "2026-11-30"}).owner == ""
    old = WeekGroup.from_json({"group": "Corporate"})  # a digest from before the capped lists
    assert old == WeekGroup("Corporate", Capped(), Capped(), Capped(), Capped())


def test_the_field_readers_keep_none_and_refuse_a_damaged_list() -> None:
    data = {"a": 7, "b": None, "items": None, "bad": "x"}
    assert (opt_str(data, "a"), opt_str(data, "b"), opt_str(data, "missing")) == ("7", None, None)
    assert (opt_int({"n": "12"}, "n"), opt_int(data, "b")) == (12, None)
    assert json_list(data, "items") == [] and json_list(data, "missing") == []
    with pytest.raises(TypeError, match="bad is not a list"):
        json_list(data, "bad")
    with pytest.raises(KeyError):
        RequestItem.from_json({"title": "no reference"})  # a row without its key is damaged, not defaulted
