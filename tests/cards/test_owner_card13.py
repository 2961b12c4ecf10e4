"""Issue 13 point 5 on the cards: "No delay (back on track)", several evidence links, "What happens next".
Every card here is validated by the official adaptivecards renderer at 1.5 and kept under 28 KB."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from cards.update import NO_DELAY_TITLE, action_update_card, outcome_card
from domain.update_views import ACTION, INSPECTION, INVALID, NO_DELAY, SAVED, UpdateOutcome
from domain.words import DEFAULT_DELAY_REASONS
from tests.cardcheck import assert_valid_cards
from tests.cards.owner_samples import TODAY, action, error_after, inputs, inspection
from tests.fakes.live_bot import card_text

DEADLINE = TODAY + timedelta(days=14)
LINKS = "https://intranet.example.test/pack\nhttps://intranet.example.test/minutes"


def _choices(card: dict) -> list[tuple[str, str]]:
    return [(c["title"], c["value"]) for c in inputs(card)["delay_reason"]["choices"]]


def test_no_delay_is_offered_first_when_the_action_is_on_time() -> None:
    on_time = action(due_date=TODAY + timedelta(days=40), days_overdue=0)
    card = action_update_card(on_time, DEFAULT_DELAY_REASONS, TODAY)
    assert_valid_cards(card)
    assert _choices(card)[0] == (NO_DELAY_TITLE, NO_DELAY)
    assert inputs(card)["delay_reason"]["value"] == "Resource challenges"  # the stored reason stays chosen


def test_no_delay_is_not_offered_where_the_rules_keep_a_reason() -> None:
    late = action()  # 45 days past its original due date
    waiting = action(due_date=TODAY + timedelta(days=40), days_overdue=0, pending_date=TODAY + timedelta(days=90))
    for card in (
        action_update_card(late, DEFAULT_DELAY_REASONS, TODAY),
        action_update_card(waiting, DEFAULT_DELAY_REASONS, TODAY),
    ):
        assert_valid_cards(card)
        assert NO_DELAY not in [v for _t, v in _choices(card)]


def test_a_refused_no_delay_comes_back_chosen_with_its_error() -> None:
    on_time = action(due_date=TODAY + timedelta(days=40), days_overdue=0)
    error = "Choose a delay reason for the revised date you are proposing, or leave the date empty."
    card = outcome_card(
        UpdateOutcome(
            INVALID,
            ACTION,
            on_time.ref,
            action=on_time,
            delay_reasons=DEFAULT_DELAY_REASONS,
            inputs={"delay_reason": NO_DELAY, "revised_date": "2027-06-30"},
            errors={"delay_reason": error},
        ),
        TODAY,
    )
    assert_valid_cards(card)
    assert inputs(card)["delay_reason"]["value"] == NO_DELAY and error_after(card, "delay_reason") == error


def test_evidence_links_box_takes_several_links_and_shows_those_on_file() -> None:
    card = action_update_card(action(evidence_link=LINKS), DEFAULT_DELAY_REASONS, TODAY)
    assert_valid_cards(card)
    box = inputs(card)["evidence_link"]
    assert box["isMultiline"] is True and "one per line" in box["label"] and "https://" in box["label"]
    text = card_text(card)
    assert "https://intranet.example.test/pack; https://intranet.example.test/minutes" in text
    assert "one or more links" in text


def _saved(item_changes: dict, kind: str = ACTION, **fields: object) -> dict:
    if kind == ACTION:
        outcome = UpdateOutcome(SAVED, ACTION, "DARA-2011-001", action=action(**item_changes), **fields)  # type: ignore[arg-type]
    else:
        outcome = UpdateOutcome(SAVED, INSPECTION, "HMI-2018-001", inspection=inspection(**item_changes), **fields)  # type: ignore[arg-type]
    card = outcome_card(outcome, TODAY)
    assert_valid_cards(card)
    return card


def test_saved_closure_request_says_who_decides_and_by_when() -> None:
    card = _saved(
        {"status": "implemented", "evidence_note": "Board minutes", "evidence_link": LINKS, "days_overdue": 0},
        changed=("status", "evidence_link"),
        cycle_deadline=DEADLINE,
    )
    text = card_text(card)
    assert "What happens next" in text
    assert (
        "Strategy & Governance will review your closure request with this quarter's updates, once the round "
        f"closes on {DEADLINE:%d %b %Y}. If they accept it, the action is closed."
    ) in text
    assert "Board minutes · https://intranet.example.test/pack · https://intranet.example.test/minutes" in text


def test_saved_proposal_says_it_goes_to_governance() -> None:
    proposed = date(2027, 6, 30)
    text = card_text(_saved({}, changed=("last_update_note",), proposed_date=proposed))
    assert "Your revised date of 30 Jun 2027 goes to Strategy & Governance for a decision at their next review" in text
    assert f"the due date stays {action().due_date:%d %b %Y}" in text


def test_saved_no_delay_says_back_on_track_and_answers_the_round() -> None:
    text = card_text(
        _saved(
            {"delay_reason": None, "days_overdue": 0, "due_date": TODAY + timedelta(days=40)},
            changed=("delay_reason",),
            cycle_deadline=DEADLINE,
        )
    )
    assert f"Delay reason cleared: the action is back on track for {TODAY + timedelta(days=40):%d %b %Y}." in text
    assert f"answer to this quarter's update round (due {DEADLINE:%d %b %Y})" in text


def test_saved_hmicfrs_submission_says_who_decides() -> None:
    text = card_text(
        _saved({"status": "submitted for closure", "evidence_link": LINKS}, kind=INSPECTION, changed=("status",))
    )
    assert "Strategy & Governance will review your closure request at their next review of the tracker" in text
    assert "the item is closed" in text


def test_forms_and_errors_have_no_next_step_block() -> None:
    card = action_update_card(action(), DEFAULT_DELAY_REASONS, TODAY)
    assert "What happens next" not in card_text(card)
    replay = dataclasses.replace(
        UpdateOutcome(SAVED, ACTION, "DARA-2011-001", action=action(), changed=()), replayed=True
    )
    assert "Nothing needs a decision" in card_text(outcome_card(replay, TODAY))


def test_the_answer_detail_card_opens_each_https_link_on_file() -> None:
    from dataclasses import replace

    from cards.answer_detail import detail_card
    from tests.cards.answer_samples import action_detail

    card = detail_card(replace(action_detail(), evidence_link=LINKS + "\nhttp://old.example.test/x"), None)
    assert_valid_cards(card)
    opens = [(a["title"], a["url"]) for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    assert opens == [
        ("Open evidence 1", "https://intranet.example.test/pack"),
        ("Open evidence 2", "https://intranet.example.test/minutes"),
    ]  # never the http one
