"""The names a question may mention (groups, audits, people, themes), read from the store."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.db.models import Action, Audit, BusinessGroup, InspectionItem, Person

__all__ = ["KnownNames", "known_names"]


@dataclass(frozen=True)
class KnownNames:
    groups: tuple[str, ...]
    audits: tuple[str, ...]
    people: tuple[str, ...]
    key_themes: tuple[str, ...]


def known_names(session: Session) -> KnownNames:
    return KnownNames(
        groups=tuple(session.scalars(select(BusinessGroup.name).order_by(BusinessGroup.name))),
        audits=tuple(session.scalars(select(Audit.title).distinct().order_by(Audit.title))),
        people=tuple(session.scalars(select(Person.name).distinct().order_by(Person.name))),
        key_themes=_themes(session),
    )


def _themes(session: Session) -> tuple[str, ...]:
    """Actions' key themes and HMICFRS items' themes: a question names either the same way."""
    found = [
        t
        for column in (Action.key_theme, InspectionItem.theme)
        for t in session.scalars(select(column).distinct().order_by(column))
        if t
    ]
    return tuple(dict.fromkeys(found))
