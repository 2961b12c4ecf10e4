"""The words for the owner-update rules' problem codes (domain/update_problems.py): every code is
worded, and each sentence is the one owners have always been shown."""

from __future__ import annotations

from datetime import date

import pytest

from cards.update_wording import error_messages, problem_words
from domain import update_problems as P
from domain.update_problems import UpdateProblem

D = date(2026, 11, 26)


@pytest.mark.parametrize(
    "problem, words",
    [
        (UpdateProblem(P.TOO_LONG, count=2001, limit=2000), "Too long: 2,001 characters. Please keep it to 2,000."),
        (
            UpdateProblem(P.TOO_MANY_LINKS, count=11, limit=10),
            "Up to 10 links, please (11 given): put the rest in one shared folder or page.",
        ),
        (
            UpdateProblem(P.NOT_HTTPS, link="http://a.test/x", count=0),
            "Evidence links must start with https:// — ‘http://a.test/x’ is not an https link. "
            "Put one link per line, or describe the evidence in the note.",
        ),
        (
            UpdateProblem(P.NOT_HTTPS, link="x" * 70, count=2),
            f"Evidence links must start with https:// — ‘{'x' * 59}…’ and 2 more are not https links. "
            "Put one link per line, or describe the evidence in the note.",
        ),
        (
            UpdateProblem(P.EVIDENCE_FOR_IMPLEMENTED),
            "Evidence is required when marking an action implemented: add a note, a link, or both.",
        ),
        (
            UpdateProblem(P.EVIDENCE_FOR_CLOSURE),
            "Evidence is required when submitting an item for closure: add a note, a link, or both.",
        ),
        (
            UpdateProblem(P.ACTION_STATUS_NOT_OWNERS),
            "Choose open, in progress or implemented. Closing or superseding an action "
            "is decided by DARA and Strategy & Governance.",
        ),
        (
            UpdateProblem(P.INSPECTION_STATUS_NOT_OWNERS),
            "Choose open or submitted for closure. Closing an item is decided by Strategy & Governance.",
        ),
        (UpdateProblem(P.DATE_UNREADABLE), "Enter the date as YYYY-MM-DD."),
        (UpdateProblem(P.DATE_NOT_FUTURE, on=D), "A revised date must be in the future (after 26 Nov 2026)."),
        (
            UpdateProblem(P.DATE_TOO_FAR, on=date(2036, 11, 26)),
            "A revised date must be within ten years, by 26 Nov 2036: check the year.",
        ),
        (UpdateProblem(P.DATE_NOT_AFTER_DUE, on=D), "A revised date must be after the original due date, 26 Nov 2026."),
        (UpdateProblem(P.DATE_ALREADY_AGREED), "That is already the agreed revised date: leave this empty to keep it."),
        (UpdateProblem(P.DATE_WITH_IMPLEMENTED), "Leave the revised date empty when marking the action implemented."),
        (
            UpdateProblem(P.KEEPS_DELAY_REASON),
            "This action is past its original due date, so it keeps a delay reason: "
            "choose the reason that applies (or mark it implemented when it is done).",
        ),
        (
            UpdateProblem(P.REASON_FOR_PROPOSAL),
            "Choose a delay reason for the revised date you are proposing, or leave "
            "the date empty if the action is back on track.",
        ),
        (
            UpdateProblem(P.REASON_WHILE_PENDING, on=D),
            "Your revised date of 26 Nov 2026 is still waiting for "
            "Strategy & Governance, so its delay reason stays until they decide.",
        ),
        (UpdateProblem(P.REASON_NOT_LISTED), "Choose a delay reason from the list."),
        (UpdateProblem(P.REASON_NEEDED_OVERDUE), "Choose a delay reason: this action is past its original due date."),
        (UpdateProblem(P.REASON_NEEDED_PROPOSAL), "Choose a delay reason: you are proposing a revised date."),
        (UpdateProblem(P.NOTHING_TO_SAVE), "Nothing to save yet: add a progress note or change a field."),
    ],
)
def test_each_problem_has_its_sentence(problem: UpdateProblem, words: str) -> None:
    assert problem_words(problem) == words


def test_every_code_is_worded_and_words_already_chosen_pass_through() -> None:
    codes = [getattr(P, name) for name in P.__all__ if name != "UpdateProblem"]
    fallback = problem_words(UpdateProblem("no_such_code"))
    assert all(problem_words(UpdateProblem(code, count=1, limit=2, on=D)) != fallback for code in codes)
    assert problem_words("Typed elsewhere.") == "Typed elsewhere."
    assert error_messages({"status": UpdateProblem(P.DATE_UNREADABLE), "x": "as is"}) == {
        "status": "Enter the date as YYYY-MM-DD.",
        "x": "as is",
    }


def test_a_stale_notice_names_a_cover_with_the_owner_they_acted_for() -> None:
    from datetime import datetime

    from cards.update_wording import stale_notice
    from domain.update_views import ACTION, STALE, UpdateOutcome

    outcome = UpdateOutcome(
        STALE,
        ACTION,
        "DARA-1",
        changed_by="Sam Spencer",
        changed_for="Olivia Owen",
        changed_at=datetime(2026, 11, 26, 9, 30),
    )
    assert "(last change: Sam Spencer for Olivia Owen, 26 Nov 2026 09:30)" in stale_notice(outcome)
    assert "(last change: Sam Spencer)" in stale_notice(
        UpdateOutcome(STALE, ACTION, "DARA-1", changed_by="Sam Spencer")
    )
