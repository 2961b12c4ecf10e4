"""What the spec's words mean, as SQL clauses and as plain Python, defined once.

Every figure (bot answers, cycles, the quarterly pack) counts through these definitions.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, case, func, or_

from store.domain import LIMITED_ASSURANCES, OUTSTANDING_STATUSES
from store.models import Action, Audit

__all__ = [
    "is_monitored", "monitored_clause", "outstanding_clause", "overdue_clause", "effective_due",
    "is_outstanding", "is_overdue", "days_overdue", "pct_half_up",
]


def is_monitored(risk: str, assurance: str) -> bool:
    """High-risk actions, and medium-risk actions of limited / no-assurance audits."""
    return risk == "high" or (risk == "medium" and assurance in LIMITED_ASSURANCES)


def pct_half_up(part: int, whole: int) -> int | None:
    """100 x part / whole rounded half up to a whole number, in integers (no float ties);
    None when there is nothing to divide by (pct_overdue of a group, response rates)."""
    if whole <= 0:
        return None
    return (200 * part + whole) // (2 * whole)


def is_outstanding(status: str) -> bool:
    return status in OUTSTANDING_STATUSES


def is_overdue(status: str, due_date: date, today: date) -> bool:
    """Outstanding and the ORIGINAL due date is before today (how the seed counts)."""
    return is_outstanding(status) and due_date < today


def days_overdue(due_date: date, today: date) -> int:
    return max(0, (today - due_date).days)


def monitored_clause() -> ColumnElement[bool]:
    """Requires Audit joined to Action."""
    return or_(Action.risk == "high", and_(Action.risk == "medium", Audit.assurance.in_(LIMITED_ASSURANCES)))


def outstanding_clause() -> ColumnElement[bool]:
    return Action.status.in_(OUTSTANDING_STATUSES)


def overdue_clause(today: date) -> ColumnElement[bool]:
    return and_(outstanding_clause(), Action.due_date < today)


def effective_due() -> ColumnElement[date]:
    return func.coalesce(Action.revised_due_date, Action.due_date)


def limited_clause() -> ColumnElement[bool]:
    return Audit.assurance.in_(LIMITED_ASSURANCES)


def overdue_flag(today: date) -> ColumnElement[int]:
    return case((Action.due_date < today, 1), else_=0)
