"""Recognising the person behind a Teams user, per the spec's matching rule."""

from __future__ import annotations

import logging
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy.orm import Session

from domain.permissions import Viewer
from store.conversations.references import conversation_owner, save_reference
from store.db.models import Person
from store.people.viewers import is_same_user, match_person, viewer_for

__all__ = ["identify", "register_conversation", "Registration", "ViewerCache"]

log = logging.getLogger(__name__)


def identify(
    session: Session,
    *,
    conversation_id: str,
    user_id: str,
    aad_object_id: str | None,
    email_or_upn: str | None = None,
    today: date | None = None,
) -> Viewer | None:
    """By the stored conversation first, then aad_object_id, then email/UPN.

    A stored conversation vouches for its person only while the object ids agree: a reference
    recorded for another user's object id (stored before matching was tightened) is not trusted.
    """
    stored = conversation_owner(session, conversation_id, user_id)
    person = session.get(Person, stored[0]) if stored and stored[0] else None
    if person is not None and stored is not None and not is_same_user(person, aad_object_id, stored[1]):
        log.warning(
            "conversation %s is recorded for person %s under another object id: not trusted", conversation_id, person.id
        )
        person = None
    if person is None:
        person = match_person(session, aad_object_id, email_or_upn)
    return viewer_for(session, person, today) if person else None


@dataclass(frozen=True)
class Registration:
    viewer: Viewer | None
    fresh: bool  # a new (or long unseen) conversation: greet; a repeated announcement: don't


def register_conversation(
    session: Session,
    reference: dict[str, Any],
    *,
    aad_object_id: str | None,
    email_or_upn: str | None,
    now: datetime,
    today: date | None = None,
) -> Registration:
    """Store the conversation reference (matched to a person when possible).

    A person first matched by e-mail/UPN gets the user's object id recorded: from then on only that
    user is them (the spec: e-mail is the fallback for people not yet known by object id).
    """
    person = match_person(session, aad_object_id, email_or_upn)
    if person is not None and aad_object_id and person.aad_object_id is None:
        person.aad_object_id = aad_object_id
        log.info("person %s is now known by their object id", person.id)
    saved = save_reference(
        session, reference, person_id=person.id if person else None, aad_object_id=aad_object_id, now=now
    )
    return Registration(viewer_for(session, person, today) if person else None, saved.fresh)


# --- a per-process cache of who is behind a conversation -------------------------------------

_MISSING: Final = object()


class ViewerCache:
    """(conversation id, user id, aad object id) -> the Viewer (or None: not on the tracker), kept while
    the tracker's version (store/db/version.py) and the day stay what they were when it was read.

    Saves the identity queries on every turn. Every table a Viewer is built from is watched by the
    version's triggers (migration 0009): a role change, an import or a reassignment by any writer
    (another instance, the command line, a DBA's SQL) bumps it in the same transaction, so the next
    turn on any instance sees a newer version and looks the person up again. The day counts too:
    covers start and end on dates. A Viewer read after the version was read can only be newer than
    that version, never older, so keeping it under that version is safe.
    """

    def __init__(self, size: int = 10_000) -> None:
        self._size = size
        self._at: tuple[int, date | None] | None = None  # the (version, day) every entry was read at
        self._entries: dict[Hashable, Viewer | None] = {}

    def peek(self, key: Hashable) -> Viewer | None:
        """Whoever was behind ``key`` when last looked up, current or not: a guess, good enough to read
        that person's dialog row in the same statement as the version (bot/handler.py)."""
        return self._entries.get(key)

    def get(self, key: Hashable, *, version: int, today: date | None) -> Viewer | None | object:
        """The cached Viewer or None; `ViewerCache.MISSING` when it must be looked up."""
        if self._at != (version, today):
            return _MISSING
        return self._entries.get(key, _MISSING)

    def put(self, key: Hashable, viewer: Viewer | None, *, version: int, today: date | None) -> None:
        """Keep ``viewer``, looked up after ``version`` was read. A newer version or another day drops
        everything kept before; an older one (a turn that read before another turn saw a change)
        keeps nothing."""
        at = (version, today)
        if self._at is None or version > self._at[0] or (version == self._at[0] and today != self._at[1]):
            self._entries.clear()
            self._at = at
        elif version < self._at[0]:
            return
        if len(self._entries) >= self._size:
            self._entries.clear()
        self._entries[key] = viewer

    MISSING = _MISSING
