"""Recognising the person behind a Teams user, per the spec's matching rule."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from store.conversations import person_id_for_conversation, save_reference
from store.models import Person
from store.people import Viewer, match_person, viewer_for

__all__ = ["identify", "register_conversation", "Registration"]


def identify(session: Session, *, conversation_id: str, user_id: str, aad_object_id: str | None,
             email_or_upn: str | None = None) -> Viewer | None:
    """By the stored conversation first, then aad_object_id, then email/UPN."""
    person_id = person_id_for_conversation(session, conversation_id, user_id)
    person = session.get(Person, person_id) if person_id else None
    if person is None:
        person = match_person(session, aad_object_id, email_or_upn)
    return viewer_for(session, person) if person else None


@dataclass(frozen=True)
class Registration:
    viewer: Viewer | None
    fresh: bool  # a new (or long unseen) conversation: greet; a repeated announcement: don't


def register_conversation(session: Session, reference: dict[str, Any], *, aad_object_id: str | None,
                          email_or_upn: str | None, now: datetime) -> Registration:
    """Store the conversation reference (matched to a person when possible)."""
    person = match_person(session, aad_object_id, email_or_upn)
    saved = save_reference(session, reference, person_id=person.id if person else None,
                           aad_object_id=aad_object_id, now=now)
    return Registration(viewer_for(session, person) if person else None, saved.fresh)
