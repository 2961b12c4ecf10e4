"""The person an operator names by e-mail on the command line, whatever their Entra object id.

Teams turns match a user by object id, and by e-mail only for people who have no object id yet
(store/people/viewers.py `match_person`): that rule stops a user whose roster e-mail equals a known
person's from becoming them. It protects turns. An operator typing `--by`, `--to`, a cover or an
owner on the command line names a person on the tracker; once people have used Teams every one of
them has an object id, and the turn rule would refuse them all. So every command's lookup is here.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.db.models import Person
from store.people.viewers import Viewer, viewer_for

__all__ = ["person_named", "viewer_named"]


def person_named(session: Session, email_or_upn: str | None) -> Person | None:
    """The person whose e-mail (their UPN in Entra) is ``email_or_upn``, ignoring case and spaces."""
    email = (email_or_upn or "").strip().lower()
    if not email:
        return None
    return session.scalar(select(Person).where(func.lower(Person.email) == email).order_by(Person.id).limit(1))


def viewer_named(session: Session, email_or_upn: str | None, today: date | None = None) -> Viewer | None:
    """What the person named by e-mail may see and do (`today` brings in the owners they cover)."""
    person = person_named(session, email_or_upn)
    return viewer_for(session, person, today) if person else None
