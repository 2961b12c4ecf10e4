"""The owner-update rules, pure: what a submission must satisfy before it is saved, each error keyed
by the card input it belongs beside, as a problem code and its facts (worded by cards/update_wording.py,
tested in tests/cards/test_update_problem_words.py)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from domain import update_problems as P
from domain.update_problems import UpdateProblem
from domain.update_rules import (
    ActionFacts,
    InspectionFacts,
    normalise_inputs,
    parse_iso_date,
    submission_key,
    validate_action_update,
    validate_inspection_update,
)
from domain.update_views import ACTION_INPUTS, NO_DELAY
from domain.words import DEFAULT_DELAY_REASONS

TODAY = date(2026, 11, 26)
LATE = ActionFacts(  # past its original due date, with a reason on file
    status="in progress",
    due_date=date(2026, 10, 12),
    revised_due_date=None,
    pending_date=None,
    delay_reason="Recruitment",
)
ON_TIME = dataclasses.replace(LATE, due_date=date(2027, 3, 31))
NOTHING_YET = UpdateProblem(P.NOTHING_TO_SAVE)


def check(facts: ActionFacts, **inputs: str):
    return validate_action_update(facts, inputs, DEFAULT_DELAY_REASONS, TODAY)


def test_inputs_are_cleaned_and_only_the_cards_own_are_kept() -> None:
    sent = {"status": " In  Progress ", "progress_note": "a\x0bb\u202e ", "delay_reason": "", "verb": "action.save"}
    assert normalise_inputs(sent, ACTION_INPUTS) == {"status": "in progress", "progress_note": "ab"}


def test_the_same_submission_has_the_same_key() -> None:
    key = submission_key(1, "action", "dara-1", 3, {"progress_note": "x"})
    assert key == submission_key(1, "action", "DARA-1", 3, {"progress_note": "x"}) and len(key) == 64
    assert key != submission_key(1, "action", "DARA-1", 4, {"progress_note": "x"})
    assert key != submission_key(2, "action", "DARA-1", 3, {"progress_note": "x"})
    assert key != submission_key(1, "action", "DARA-1", 3, {"progress_note": "y"})


def test_dates_are_iso_with_a_time_suffix_tolerated() -> None:
    assert parse_iso_date(" 2027-01-31T00:00:00Z") == date(2027, 1, 31)
    assert parse_iso_date("31/01/2027") is None and parse_iso_date("") is None


def test_a_progress_note_alone_is_saved_and_nothing_at_all_is_not() -> None:
    change, errors = check(LATE, progress_note="Draft reviewed")
    assert errors == {} and change is not None
    assert (change.status, change.progress_note, change.revised_date, change.clear_delay_reason) == (
        "in progress",
        "Draft reviewed",
        None,
        False,
    )
    assert check(LATE) == (None, {"progress_note": NOTHING_YET})


def test_closing_is_not_the_owners_to_choose() -> None:
    _, errors = check(LATE, status="closed", progress_note="x")
    assert errors["status"] == UpdateProblem(P.ACTION_STATUS_NOT_OWNERS)


@pytest.mark.parametrize(
    "facts, typed, error",
    [
        (ON_TIME, "next spring", UpdateProblem(P.DATE_UNREADABLE)),
        (ON_TIME, "2026-11-26", UpdateProblem(P.DATE_NOT_FUTURE, on=TODAY)),
        (ON_TIME, "2036-11-27", UpdateProblem(P.DATE_TOO_FAR, on=date(2036, 11, 26))),
        (ON_TIME, "2027-01-15", UpdateProblem(P.DATE_NOT_AFTER_DUE, on=date(2027, 3, 31))),
        (
            dataclasses.replace(LATE, revised_due_date=date(2027, 1, 31)),
            "2027-01-31",
            UpdateProblem(P.DATE_ALREADY_AGREED),
        ),
    ],
)
def test_a_revised_date_must_be_a_real_later_date(facts: ActionFacts, typed: str, error: UpdateProblem) -> None:
    assert check(facts, revised_date=typed)[1]["revised_date"] == error


def test_a_new_revised_date_is_a_proposal_and_the_pending_one_is_not_proposed_twice() -> None:
    change, _ = check(LATE, revised_date="2027-06-30")
    assert change is not None and change.revised_date == date(2027, 6, 30)
    pending = dataclasses.replace(LATE, pending_date=date(2027, 6, 30))
    assert check(pending, revised_date="2027-06-30") == (None, {"progress_note": NOTHING_YET})
    change, _ = check(pending, revised_date="2027-06-30", progress_note="still on it")
    assert change is not None and change.revised_date is None


def test_a_late_action_or_a_new_date_needs_a_reason_from_the_list() -> None:
    no_reason = dataclasses.replace(LATE, delay_reason=None)
    assert check(no_reason, progress_note="x")[1] == {"delay_reason": UpdateProblem(P.REASON_NEEDED_OVERDUE)}
    assert check(dataclasses.replace(ON_TIME, delay_reason=None), revised_date="2027-06-30")[1] == {
        "delay_reason": UpdateProblem(P.REASON_NEEDED_PROPOSAL)
    }
    assert check(LATE, delay_reason="The dog ate it")[1] == {"delay_reason": UpdateProblem(P.REASON_NOT_LISTED)}
    change, _ = check(LATE, delay_reason="Project delay")
    assert change is not None and change.delay_reason == "Project delay"


def test_no_delay_clears_the_reason_only_when_nothing_still_needs_it() -> None:
    change, errors = check(ON_TIME, delay_reason=NO_DELAY)
    assert errors == {} and change is not None and change.clear_delay_reason and change.delay_reason is None
    assert check(LATE, delay_reason=NO_DELAY)[1]["delay_reason"] == UpdateProblem(P.KEEPS_DELAY_REASON)
    with_date = check(ON_TIME, delay_reason=NO_DELAY, revised_date="2027-06-30")[1]["delay_reason"]
    assert with_date == UpdateProblem(P.REASON_FOR_PROPOSAL)
    pending = dataclasses.replace(ON_TIME, pending_date=date(2027, 6, 30))
    assert check(pending, delay_reason=NO_DELAY)[1]["delay_reason"] == UpdateProblem(
        P.REASON_WHILE_PENDING, on=date(2027, 6, 30)
    )


def test_implemented_needs_evidence_now_or_on_file_and_no_new_date() -> None:
    _, errors = check(LATE, status="implemented", revised_date="2027-06-30")
    assert errors == {
        "revised_date": UpdateProblem(P.DATE_WITH_IMPLEMENTED),
        "evidence_note": UpdateProblem(P.EVIDENCE_FOR_IMPLEMENTED),
    }
    change, errors = check(LATE, status="implemented", evidence_link="https://x.test/a,  https://x.test/b")
    assert errors == {} and change is not None and change.evidence_link == "https://x.test/a\nhttps://x.test/b"
    on_file = dataclasses.replace(LATE, evidence_note="Board minutes")
    assert check(on_file, status="implemented")[1] == {}


def test_evidence_links_must_be_https_and_text_within_its_cap() -> None:
    errors = check(LATE, evidence_link="http://x.test", progress_note="x" * 2001)[1]
    assert errors["evidence_link"] == UpdateProblem(P.NOT_HTTPS, link="http://x.test", count=0)
    assert errors["progress_note"] == UpdateProblem(P.TOO_LONG, count=2001, limit=2000)


def test_sending_back_the_evidence_on_file_is_not_a_change() -> None:
    on_file = dataclasses.replace(ON_TIME, evidence_note="Pack", evidence_link="https://x.test/a\nhttps://x.test/b")
    assert check(on_file, evidence_note="Pack", evidence_link="https://x.test/a https://x.test/b") == (
        None,
        {"progress_note": NOTHING_YET},
    )


def test_hmicfrs_items_are_open_or_submitted_for_closure_with_evidence() -> None:
    item = InspectionFacts(status="open")
    assert validate_inspection_update(item, {"status": "closed"})[1]["status"] == UpdateProblem(
        P.INSPECTION_STATUS_NOT_OWNERS
    )
    assert validate_inspection_update(item, {"status": "submitted for closure"})[1] == {
        "evidence_note": UpdateProblem(P.EVIDENCE_FOR_CLOSURE)
    }
    change, errors = validate_inspection_update(item, {"status": "submitted for closure", "evidence_note": "Report"})
    assert errors == {} and change is not None and change.status == "submitted for closure"
    assert validate_inspection_update(item, {}) == (None, {"progress_note": NOTHING_YET})


def test_an_item_in_a_national_holding_position_may_keep_it() -> None:
    change, errors = validate_inspection_update(InspectionFacts(status="holding"), {"progress_note": "National review"})
    assert errors == {} and change is not None and change.status == "holding"
    assert "status" in validate_inspection_update(InspectionFacts(status="open"), {"status": "holding"})[1]
