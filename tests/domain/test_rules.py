"""The spec's words as Python rules: monitored, outstanding, overdue, the effective due date and the
percentage rounded half up (the SQL and pandas forms are checked to agree in tests/test_figures_agree.py)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.rules import (
    days_late,
    days_overdue,
    effective_due_date,
    is_monitored,
    is_outstanding,
    is_overdue,
    pct_half_up,
)
from domain.words import ACTION_STATUSES, ASSURANCES

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize("assurance", ASSURANCES)
def test_high_risk_is_always_monitored_medium_only_for_limited_or_no_assurance(assurance: str) -> None:
    assert is_monitored("high", assurance)
    assert is_monitored("medium", assurance) is (assurance in ("limited", "no assurance"))
    assert not is_monitored("low", assurance)


def test_open_and_in_progress_are_the_outstanding_statuses() -> None:
    assert [s for s in ACTION_STATUSES if is_outstanding(s)] == ["open", "in progress"]


def test_overdue_is_outstanding_with_the_original_due_date_before_today() -> None:
    yesterday, tomorrow = date(2026, 11, 25), date(2026, 11, 27)
    assert is_overdue("open", yesterday, TODAY) and is_overdue("in progress", yesterday, TODAY)
    assert not is_overdue("open", TODAY, TODAY)  # due today is not yet late
    assert not is_overdue("open", tomorrow, TODAY)
    assert not is_overdue("implemented", yesterday, TODAY)
    assert days_overdue(date(2026, 10, 12), TODAY) == 45
    assert days_overdue(tomorrow, TODAY) == 0


def test_an_action_is_late_only_while_outstanding() -> None:
    """The owner's card, the detail card and the tab's grid all show this one number."""
    assert days_late("in progress", date(2026, 10, 12), TODAY) == 45
    assert days_late("implemented", date(2026, 10, 12), TODAY) == 0
    assert days_late("open", TODAY, TODAY) == 0


def test_the_effective_due_date_is_the_revised_date_else_the_original() -> None:
    assert effective_due_date(date(2026, 10, 12), None) == date(2026, 10, 12)
    assert effective_due_date(date(2026, 10, 12), date(2027, 1, 31)) == date(2027, 1, 31)


def test_pct_is_rounded_half_up_in_integers():
    assert pct_half_up(1, 8) == 13  # 12.5 -> 13
    assert pct_half_up(5, 200) == 3  # 2.5 -> 3 (round() would give 2)
    assert pct_half_up(3, 8) == 38  # 37.5 -> 38
    assert pct_half_up(2, 3) == 67  # 66.67
    assert pct_half_up(1, 3) == 33  # 33.33
    assert pct_half_up(0, 5) == 0
    assert pct_half_up(0, 0) is None


def test_response_rates_round_half_up_and_nothing_asked_has_none():
    """A cycle's response rate (store.cycles.status.percent is this rule)."""
    assert [pct_half_up(1, 8), pct_half_up(1, 3), pct_half_up(2, 3), pct_half_up(0, 5), pct_half_up(0, 0)] == [
        13,
        33,
        67,
        0,
        None,
    ]
