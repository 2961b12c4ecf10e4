"""Proposed revised due dates still waiting for governance: the one definition of "pending".

An owner proposes a date (store/updates/actions.py), governance accepts or rejects it
(store/updates/decisions.py), and cards show the date waiting (the owner's card, an action's
detail). Each of them finds the pending proposals here.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from store.db.models import DueDateProposal

__all__ = ["PENDING", "pending_clause", "pending_dates"]

PENDING = "pending"  # DueDateProposal.decision until governance decides or a newer proposal replaces it


def pending_clause() -> ColumnElement[bool]:
    """The proposals still waiting for a decision."""
    return DueDateProposal.decision == PENDING


def pending_dates(session: Session, action_ids: Iterable[int]) -> dict[int, date]:
    """The latest pending proposed date per action (a new proposal withdraws the older ones)."""
    ids = list(action_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(DueDateProposal.action_id, DueDateProposal.proposed_date)
        .where(DueDateProposal.action_id.in_(ids), pending_clause())
        .order_by(DueDateProposal.proposed_at, DueDateProposal.id)
    ).all()
    return {action_id: proposed for action_id, proposed in rows}  # the latest wins
