"""The owner's update forms and what a submission answers (saved, invalid, stale, refused), for
actions and HMICFRS items, each validated by the official adaptivecards renderer at 1.5."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from cards.inspection_update import inspection_update_card
from cards.update import action_update_card, outcome_card
from domain.update_views import (
    ACTION,
    CLOSED,
    INSPECTION,
    INVALID,
    NOT_FOUND,
    NOT_PERMITTED,
    REFUSED,
    SAVED,
    STALE,
    UpdateOutcome,
)
from domain.words import DEFAULT_DELAY_REASONS
from tests.cardcheck import MAX_CARD_BYTES, assert_valid_cards
from tests.cards.owner_samples import LONG, TODAY, UNICODE, action, buttons, error_after, inputs, inspection
from tests.fakes.live_bot import card_text


def test_update_card_has_every_input_and_carries_ref_and_version() -> None:
    card = action_update_card(action(), DEFAULT_DELAY_REASONS, TODAY)
    assert_valid_cards(card)
    found = inputs(card)
    assert list(found) == ["status", "progress_note", "delay_reason", "revised_date", "evidence_note", "evidence_link"]
    assert [c["value"] for c in found["status"]["choices"]] == ["open", "in progress", "implemented"]
    assert found["status"]["value"] == "in progress"
    assert [c["value"] for c in found["delay_reason"]["choices"]] == list(DEFAULT_DELAY_REASONS)
    assert found["delay_reason"]["value"] == "Resource challenges"
    assert found["revised_date"]["type"] == "Input.Date" and found["revised_date"]["min"] == "2026-11-27"
    assert found["progress_note"]["maxLength"] == 2000 and found["evidence_link"]["maxLength"] == 1000
    save = card["actions"][0]
    assert (save["type"], save["verb"], save["data"]) == (
        "Action.Execute",
        "action.save",
        {"ref": "DARA-2011-001", "version": 3},
    )
    assert save["fallback"]["type"] == "Action.Submit" and save["fallback"]["data"]["verb"] == "action.save"
    assert card["actions"][1]["associatedInputs"] == "none"  # Back does not submit the form
    assert "required: this action is past its original due date" in found["delay_reason"]["label"]
    assert card["version"] == "1.5"


def test_min_revised_date_is_after_the_original_due_date_when_that_is_later() -> None:
    future = action(due_date=TODAY + timedelta(days=40), days_overdue=0)
    card = action_update_card(future, DEFAULT_DELAY_REASONS, TODAY)
    assert inputs(card)["revised_date"]["min"] == "2027-01-06"
    assert "required if you propose a revised date" in inputs(card)["delay_reason"]["label"]


def _invalid(**kw: Any) -> UpdateOutcome:
    return UpdateOutcome(INVALID, ACTION, "DARA-2011-001", action=action(), delay_reasons=DEFAULT_DELAY_REASONS, **kw)


def test_invalid_submission_keeps_inputs_and_puts_each_error_beside_its_field() -> None:
    typed = {
        "status": "implemented",
        "progress_note": "x" * 2001,
        "delay_reason": "Recruitment",
        "revised_date": "2027-06-30",
        "evidence_link": "ftp://nope",
    }
    errors = {
        "progress_note": "Too long: 2,001 characters. Please keep it to 2,000.",
        "revised_date": "Leave the revised date empty when marking the action implemented.",
        "evidence_note": "Evidence is required when marking an action implemented: add a note, a link, or both.",
        "evidence_link": "Enter a web link starting with https://.",
        "status": "Choose open, in progress or implemented.",
        "delay_reason": "Choose a delay reason from the list.",
    }
    card = outcome_card(_invalid(inputs=typed, errors=errors), TODAY)
    assert_valid_cards(card)
    found = inputs(card)
    assert found["status"]["value"] == "implemented" and found["progress_note"]["value"] == "x" * 2001
    assert found["delay_reason"]["value"] == "Recruitment" and found["revised_date"]["value"] == "2027-06-30"
    assert found["evidence_link"]["value"] == "ftp://nope"
    for field, error in errors.items():
        assert error_after(card, field) == error, field
    assert "Not saved yet" in card_text(card)


def test_an_unparseable_date_is_not_put_back_into_the_date_input() -> None:
    card = outcome_card(
        _invalid(inputs={"revised_date": "next spring"}, errors={"revised_date": "Enter the date as YYYY-MM-DD."}),
        TODAY,
    )
    assert_valid_cards(card)
    assert "value" not in inputs(card)["revised_date"]


def test_saved_card_says_what_happened_and_replaces_the_form() -> None:
    saved = UpdateOutcome(
        SAVED,
        ACTION,
        "DARA-2011-001",
        action=action(version=4, pending_date=date(2027, 6, 30)),
        proposed_date=date(2027, 6, 30),
    )
    card = outcome_card(saved, TODAY)
    replay = outcome_card(dataclasses.replace(saved, replayed=True), TODAY)
    assert_valid_cards(card, replay)
    text = card_text(card)
    assert "Saved. Revised date 30 Jun 2027 proposed — awaiting Strategy & Governance." in text
    assert "30 Jun 2027 — awaiting Strategy & Governance" in text  # the pending proposal fact
    assert not inputs(card) and [b["verb"] for b in buttons(card)] == ["my_actions.page", "action.edit"]
    assert "nothing was saved twice" in card_text(replay)


def test_stale_card_shows_the_current_state_and_keeps_only_the_users_words() -> None:
    stale = UpdateOutcome(
        STALE,
        ACTION,
        "DARA-2011-001",
        action=action(version=5, status="implemented"),
        changed_by="Sam Spencer",
        changed_at=datetime(2026, 11, 26, 9, 30),
        delay_reasons=DEFAULT_DELAY_REASONS,
        inputs={"status": "open", "progress_note": "My words"},
    )
    card = outcome_card(stale, TODAY)
    assert_valid_cards(card)
    assert "was changed after this card was sent" in card_text(card)
    assert "(last change: Sam Spencer, 26 Nov 2026 09:30)" in card_text(card)
    assert inputs(card)["status"]["value"] == "implemented"  # the current state, not the stale choice
    assert inputs(card)["progress_note"]["value"] == "My words"
    assert card["actions"][0]["data"] == {"ref": "DARA-2011-001", "version": 5}


def test_refusals_and_unknown_refs_are_plain_messages() -> None:
    refused = outcome_card(UpdateOutcome(REFUSED, ACTION, "X-1", refusal=NOT_PERMITTED, group="Met Operations"), TODAY)
    unseen = outcome_card(UpdateOutcome(REFUSED, INSPECTION, "HMI-3", refusal=NOT_PERMITTED), TODAY)
    closed = outcome_card(
        UpdateOutcome(REFUSED, ACTION, "X-2", refusal=CLOSED, item_status="closed", closed_on=date(2026, 3, 31)), TODAY
    )
    missing = outcome_card(UpdateOutcome(NOT_FOUND, INSPECTION, "HMI-9"), TODAY)
    assert_valid_cards(refused, closed, missing)
    assert (
        "You can't update X-1: only its owner, a delegate they have named, the Met Operations "
        "SPOC or Strategy & Governance can."
    ) in card_text(refused) and not inputs(refused)
    assert "only its owner, a delegate they have named, its business group's SPOC or" in card_text(unseen)
    assert "X-2 is closed on 31 Mar 2026, so it is no longer updated here." in card_text(closed)
    assert "I can't find an HMICFRS item with the reference 'HMI-9'." in card_text(missing)
    assert missing["actions"][0]["verb"] == "my_inspections.page"


def test_extreme_update_cards_are_valid_and_under_28_kb() -> None:
    huge = action(
        description=LONG,
        audit_title=UNICODE * 20,
        owner_name=UNICODE,
        last_update_note=LONG,
        evidence_note=LONG[:2000],
        evidence_link="https://example.test/" + "é" * 900,
        delay_reason=UNICODE,
    )
    reasons = DEFAULT_DELAY_REASONS + tuple(f"{UNICODE} {i}" for i in range(5))
    typed = {"progress_note": "ü" * 2000, "evidence_note": "🚓" * 2000, "evidence_link": "https://x.test/" + "é" * 980}
    cards = [
        action_update_card(
            huge, reasons, TODAY, inputs=typed, errors={k: LONG[:300] for k in typed}, notice=LONG[:400]
        ),
        inspection_update_card(
            inspection(inspection=LONG, theme=UNICODE * 20, progress_note=LONG, evidence_note=LONG),
            inputs=typed,
            errors={"status": "x"},
            notice=UNICODE,
        ),
        action_update_card(huge, reasons, TODAY),
    ]
    reports = assert_valid_cards(*cards)
    assert all(r.bytes < MAX_CARD_BYTES for r in reports)
    # What the user typed is shortened (and they are told) only when it cannot fit otherwise.
    assert "has been shortened" in card_text(cards[0])
    kept = inputs(cards[0])
    assert kept["evidence_note"]["value"].startswith("🚓" * 100) and len(kept["evidence_note"]["value"]) < 2000
    assert kept["progress_note"]["value"].startswith("ü" * 100)


def test_ordinary_long_inputs_are_kept_in_full() -> None:
    typed = {"progress_note": "p" * 2000, "evidence_note": "e" * 2000, "evidence_link": "https://x.test/" + "l" * 980}
    card = action_update_card(action(), DEFAULT_DELAY_REASONS, TODAY, inputs=typed)
    assert {k: inputs(card)[k]["value"] for k in typed} == typed
    assert "shortened" not in card_text(card)


def test_stored_evidence_is_shown_not_prefilled() -> None:
    card = action_update_card(
        action(evidence_note="Audit pack v2", evidence_link="https://x.test/pack"), DEFAULT_DELAY_REASONS, TODAY
    )
    assert "On file: Audit pack v2; https://x.test/pack" in card_text(card)
    assert "value" not in inputs(card)["evidence_note"] and "value" not in inputs(card)["evidence_link"]


# -- HMICFRS ----------------------------------------------------------------------------------------------


def test_inspection_update_card_offers_open_and_submitted_for_closure() -> None:
    card = inspection_update_card(inspection())
    holding = inspection_update_card(inspection(status="holding", days_overdue=0))
    assert_valid_cards(card, holding)
    assert list(inputs(card)) == ["status", "progress_note", "evidence_note", "evidence_link"]
    assert [c["value"] for c in inputs(card)["status"]["choices"]] == ["open", "submitted for closure"]
    assert [c["value"] for c in inputs(holding)["status"]["choices"]][-1] == "holding"
    assert card["actions"][0]["verb"] == "inspection.save"
    assert card["actions"][0]["data"] == {"ref": "HMI-2018-001", "version": 1}
    assert "required when submitting for closure" in card_text(card)


@pytest.mark.parametrize("status", [SAVED, INVALID, STALE, "form"])
def test_inspection_outcomes(status: str) -> None:
    outcome = UpdateOutcome(
        status,
        INSPECTION,
        "HMI-2018-001",
        changed=("status",),
        inspection=inspection(status="submitted for closure", evidence_note="Report"),
        errors={"evidence_note": "Evidence is required"} if status == INVALID else {},
        inputs={"progress_note": "typed"},
    )
    card = outcome_card(outcome, TODAY)
    assert_valid_cards(card)
    if status == SAVED:
        assert not inputs(card) and "Saved. Submitted for closure — awaiting Strategy & Governance." in card_text(card)
    else:
        assert inputs(card)["status"]["value"] == "submitted for closure"
    if status == INVALID:
        assert error_after(card, "evidence_note") == "Evidence is required"
