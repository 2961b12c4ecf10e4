"""The names a question may mention (groups, audits, people, themes), read from the store."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Action, Audit, BusinessGroup, Person

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
        key_themes=tuple(t for t in session.scalars(
            select(Action.key_theme).distinct().order_by(Action.key_theme)) if t),
    )
