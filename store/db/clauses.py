"""The spec's rules as SQL clauses (the plain-Python forms are in domain/rules.py).

Every figure counted in SQL (bot answers, cycles) goes through these definitions.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy import ColumnElement, and_, func, or_

from domain.words import LIMITED_ASSURANCES, OUTSTANDING_STATUSES
from store.db.models import Action, Audit

__all__ = ["monitored_clause", "outstanding_clause", "overdue_clause", "effective_due"]


def monitored_clause() -> ColumnElement[bool]:
    """domain.rules.is_monitored. Requires Audit joined to Action."""
    return or_(Action.risk == "high", and_(Action.risk == "medium", Audit.assurance.in_(LIMITED_ASSURANCES)))


def outstanding_clause() -> ColumnElement[bool]:
    """domain.rules.is_outstanding."""
    return Action.status.in_(OUTSTANDING_STATUSES)


def overdue_clause(today: date) -> ColumnElement[bool]:
    """domain.rules.is_overdue: outstanding and the ORIGINAL due date before today."""
    return and_(outstanding_clause(), Action.due_date < today)


# built once: SQL elements are immutable, and the answers' statements are cached by the identity of
# their parts (store/queries/sql.py), so one shared object lets a question reuse its statement
@cache
def effective_due() -> ColumnElement[date]:
    """domain.rules.effective_due_date."""
    return func.coalesce(Action.revised_due_date, Action.due_date)
