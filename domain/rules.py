"""What the spec's words mean, in plain Python, defined once (docs/domain.md, "Figures").

The SQL forms of the same rules are in store/db/clauses.py, and the pandas forms in
reports/figures.py; tests/test_figures_agree.py checks that all three count alike.
"""

from __future__ import annotations

from datetime import date

from domain.words import LIMITED_ASSURANCES, OUTSTANDING_STATUSES

__all__ = [
    "is_monitored",
    "is_outstanding",
    "is_overdue",
    "days_overdue",
    "days_late",
    "effective_due_date",
    "pct_half_up",
]


def is_monitored(risk: str, assurance: str) -> bool:
    """High-risk actions, and medium-risk actions of limited / no-assurance audits."""
    return risk == "high" or (risk == "medium" and assurance in LIMITED_ASSURANCES)


def is_outstanding(status: str) -> bool:
    return status in OUTSTANDING_STATUSES


def is_overdue(status: str, due_date: date, today: date) -> bool:
    """Outstanding and the ORIGINAL due date is before today (how the seed counts)."""
    return is_outstanding(status) and due_date < today


def days_overdue(due_date: date, today: date) -> int:
    return max(0, (today - due_date).days)


def days_late(status: str, due_date: date, today: date) -> int:
    """How many days an action is overdue as its own cards show it: 0 unless ``is_overdue``."""
    return days_overdue(due_date, today) if is_overdue(status, due_date, today) else 0


def effective_due_date(due_date: date, revised_due_date: date | None) -> date:
    """The accepted revised due date, else the original."""
    return revised_due_date or due_date


def pct_half_up(part: int, whole: int) -> int | None:
    """100 x part / whole rounded half up to a whole number, in integers (no float ties);
    None when there is nothing to divide by: the caller says how to show that (an answer
    card shows 0% overdue of nothing outstanding, the pack leaves a response rate blank)."""
    if whole <= 0:
        return None
    return (200 * part + whole) // (2 * whole)
