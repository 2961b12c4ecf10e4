"""Problem codes travel inside an UpdateOutcome, which is kept as JSON and replayed."""

from __future__ import annotations

from datetime import date

from domain import update_problems as P
from domain.update_problems import UpdateProblem
from domain.update_views import ACTION, INVALID, UpdateOutcome

D = date(2026, 11, 26)


def test_an_invalid_outcome_round_trips_through_json_with_its_problems() -> None:
    outcome = UpdateOutcome(
        INVALID,
        ACTION,
        "DARA-1",
        errors={"revised_date": UpdateProblem(P.DATE_NOT_FUTURE, on=D), "status": "Worded before."},
    )
    assert UpdateOutcome.from_json(outcome.to_json()) == outcome
