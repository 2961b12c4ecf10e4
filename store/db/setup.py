"""First-run set-up: the configured lists of business groups and delay reasons."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.words import DEFAULT_BUSINESS_GROUPS, DEFAULT_DELAY_REASONS
from store.db.models import Action, BusinessGroup, DelayReason

__all__ = ["ensure_default_lists", "is_empty", "delay_reasons", "business_groups"]


def ensure_default_lists(session: Session) -> None:
    """Add the spec's default lists where the store has none yet (never removes anything)."""
    if session.scalar(select(BusinessGroup.id).limit(1)) is None:
        session.add_all(BusinessGroup(name=n) for n in DEFAULT_BUSINESS_GROUPS)
    if session.scalar(select(DelayReason.id).limit(1)) is None:
        session.add_all(DelayReason(value=v, position=i) for i, v in enumerate(DEFAULT_DELAY_REASONS))
    session.flush()


def is_empty(session: Session) -> bool:
    return session.scalar(select(Action.id).limit(1)) is None


def delay_reasons(session: Session) -> list[str]:
    return list(session.scalars(select(DelayReason.value).order_by(DelayReason.position, DelayReason.value)))


def business_groups(session: Session) -> list[str]:
    return list(session.scalars(select(BusinessGroup.name).order_by(BusinessGroup.name)))
