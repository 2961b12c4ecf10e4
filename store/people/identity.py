"""Recognising the person behind a Teams user, per the spec's matching rule."""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session

from store.conversations.references import conversation_owner, save_reference
from store.db.models import Person
from domain.permissions import Viewer
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

_WATCHED_TABLES = frozenset(
    {"people", "person_roles", "group_leads", "delegations", "business_groups", "conversation_refs", "covers"}
)
_DIRTY = "viewer_cache_dirty"
_generation = 0  # bumped whenever this process writes a table a Viewer is built from
_MISSING = object()


_bump_lock = threading.Lock()  # the bot's store transactions run on worker threads (BotServices.run)


def _bump() -> None:
    global _generation
    with _bump_lock:  # two threads writing at once must not lose a bump
        _generation += 1


@event.listens_for(Engine, "after_execute")
def _after_execute(
    conn: Connection, clauseelement: Any, _multiparams: Any, _params: Any, _options: Any, _result: Any
) -> None:
    # Every write goes through Connection.execute (ORM flushes too), so this sees imports, role
    # changes and reassignments made by this process; other processes are covered by the TTL.
    if getattr(clauseelement, "is_dml", False) and getattr(clauseelement.table, "name", None) in _WATCHED_TABLES:
        conn.info[_DIRTY] = True
        _bump()


@event.listens_for(Engine, "commit")
def _after_commit(conn: Connection) -> None:
    # Bump again once the write is visible: a turn that read the old rows meanwhile must not keep them.
    if conn.info.pop(_DIRTY, False):
        _bump()


@event.listens_for(Engine, "rollback")
def _after_rollback(conn: Connection) -> None:
    conn.info.pop(_DIRTY, None)


class ViewerCache:
    """(conversation id, user id, aad object id) -> the Viewer (or None: not on the tracker).

    Saves the identity queries on every turn. Entries live at most `ttl` seconds, so a role change
    made by another process (the CLI import, another instance) shows within that time; writes made
    by this process clear everything at once. An answer read while such a write happened is not kept.

    Each entry lives a random time between half the ttl and the ttl: users who started together
    (a broadcast's replies, a load test) would otherwise all be looked up again in the same moment:
    a burst of identity queries on the one event loop, holding up every other turn meanwhile.
    """

    def __init__(
        self,
        ttl: float = 10.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        size: int = 10_000,
        spread: Callable[[], float] = random.random,
    ):
        self.ttl, self._clock, self._size, self._spread = ttl, clock, size, spread
        self._entries: dict[tuple[Any, ...], tuple[float, Viewer | None]] = {}
        self._seen = _generation

    @staticmethod
    def generation() -> int:
        return _generation

    def get(self, key: tuple[Any, ...]) -> Any:
        """The cached Viewer or None; `ViewerCache.MISSING` when it must be looked up."""
        if self._seen != _generation:
            self._entries.clear()
            self._seen = _generation
            return _MISSING
        found = self._entries.get(key)
        if found is None or found[0] < self._clock():
            return _MISSING
        return found[1]

    def put(self, key: tuple[Any, ...], viewer: Viewer | None, *, generation: int) -> None:
        """Keep `viewer` unless a watched write happened since `generation` (read before the lookup)."""
        if generation != _generation:
            return
        if self._seen != generation:
            self._entries.clear()
            self._seen = generation
        if len(self._entries) >= self._size:
            self._entries.clear()
        self._entries[key] = (self._clock() + self.ttl * (0.5 + 0.5 * self._spread()), viewer)

    MISSING = _MISSING
