"""The store returns decision outcome codes; the governance card words them (as the bot always has)."""

from __future__ import annotations

import pytest

from cards.decisions import result_line
from domain.decisions import (
    ALREADY_DECIDED,
    DATE_OUT_OF_RANGE,
    DECIDED,
    NO_SUCH_ACTION,
    NO_SUCH_PROPOSAL,
    NOT_PERMITTED,
    NOT_PROPOSED,
    REASON_NEEDED,
    REASON_TOO_LONG,
    UNKNOWN_KIND,
    Decision,
    DecisionResult,
)


@pytest.mark.parametrize(
    "result, line",
    [
        (
            DecisionResult(Decision("revised", 4, True), True, "MET-1", DECIDED, "accepted", "2027-06-30"),
            "MET-1: revised due date 2027-06-30 accepted",
        ),
        (DecisionResult(Decision("closure", 9, False), True, "MET-2", DECIDED, "rejected"), "MET-2: closure rejected"),
        (
            DecisionResult(Decision("revised", 999, True), False, None, NO_SUCH_PROPOSAL),
            "revised 999: no such proposed revised date",
        ),
        (
            DecisionResult(Decision("revised", 4, False), False, "MET-1", ALREADY_DECIDED, "accepted"),
            "MET-1: already accepted",
        ),
        (DecisionResult(Decision("closure", 5, True), False, None, NO_SUCH_ACTION), "closure 5: no such action"),
        (
            DecisionResult(Decision("closure", 5, True), False, "MET-3", NOT_PROPOSED, "in progress"),
            "MET-3: not proposed for closure (status is in progress)",
        ),
        (
            DecisionResult(Decision("revised", 4, False), False, None, REASON_NEEDED),
            "revised 4: a reason is needed to reject",
        ),
        (
            DecisionResult(Decision("revised", 4, False, "x" * 1001), False, None, REASON_TOO_LONG, "1001"),
            "revised 4: the reason is 1,001 characters: keep it to 1,000",
        ),
        (
            DecisionResult(Decision("revised", 4, True), False, "MET-1", DATE_OUT_OF_RANGE, date="9999-12-31"),
            "MET-1: the proposed date 9999-12-31 is not after today and within ten years: reject it with a reason",
        ),
        (
            DecisionResult(Decision("bogus", 1, True), False, None, UNKNOWN_KIND, "bogus"),
            "bogus 1: unknown decision kind 'bogus'",
        ),
        (
            DecisionResult(Decision("closure", 7, True), False, None, NOT_PERMITTED),
            "closure 7: only Strategy & Governance staff decide revised dates and closures",
        ),
    ],
)
def test_each_outcome_code_has_its_words(result: DecisionResult, line: str) -> None:
    assert result_line(result) == line
