"""The words for an answer's filters and notes: the store returns them as facts and codes
(domain/answer_notes.py), the answer card says them."""

from __future__ import annotations

from datetime import date

import pytest

from cards.answers import filter_words, note_words
from domain import answer_notes as A
from domain.answer_notes import FilterTerm, Note


@pytest.mark.parametrize(
    "term, words",
    [
        (FilterTerm(A.RISK, "high"), "high risk"),
        (FilterTerm(A.AUDIT, "No Assurance Follow-up"), "audit: No Assurance Follow-up"),
        (FilterTerm(A.OWNER, "Olivia Owen"), "owner: Olivia Owen"),
        (FilterTerm(A.KEY_THEME, "Policy"), "key theme: Policy"),
        (FilterTerm(A.THEME, "Vulnerability"), "theme: Vulnerability"),
        (FilterTerm(A.REVISED, flag=True), "with a revised date"),
        (FilterTerm(A.REVISED, flag=False), "with no revised date"),
        (FilterTerm(A.WINDOW, start=date(2026, 12, 1), end=date(2027, 2, 28)), "01 Dec 2026 to 28 Feb 2027"),
        (FilterTerm(A.WINDOW, start=date(2026, 12, 1)), "from 01 Dec 2026"),
        (FilterTerm(A.WINDOW, end=date(2027, 2, 28)), "up to 28 Feb 2027"),
        ("worded before", "worded before"),
    ],
)
def test_filter_words(term, words):
    assert filter_words(term) == words


@pytest.mark.parametrize(
    "note, words",
    [
        (
            Note(A.OWN_ONLY),
            "You can see your own actions and those delegated to you. For a whole group, ask its SPOC or chief officer.",
        ),
        (Note(A.LOW_RISK_UNMONITORED), "Low-risk actions are not monitored centrally, so they are never counted here."),
        (Note(A.MEDIUM_RISK_LIMITED), "Medium-risk actions count only from audits graded limited or no assurance."),
        (
            Note(A.DARA_ONLY),
            'These figures are for DARA audit actions; ask "open HMICFRS recommendations" for the inspectorate\'s items.',
        ),
        (
            Note(A.FILTERS_NOT_APPLIED, (A.RISK, A.AUDIT, A.REVISED)),
            "HMICFRS items have no risk, audit or revised date, so those filters were not applied.",
        ),
        (Note(A.FILTERS_NOT_APPLIED, (A.RISK,)), "HMICFRS items have no risk, so that filter was not applied."),
        (
            Note(A.FILTERS_NOT_APPLIED, (A.AUDIT, A.REVISED)),
            "HMICFRS items have no audit or revised date, so those filters were not applied.",
        ),
        ("worded before", "worded before"),
    ],
)
def test_note_words(note, words):
    assert note_words(note) == words
