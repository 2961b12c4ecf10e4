"""Stored conversation references, so the bot can message people proactively."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, bindparam, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.db.models import ConversationRef, Person
from store.db.rows import affected

__all__ = [
    "SavedReference",
    "save_reference",
    "personal_reference",
    "personal_reference_of_user",
    "reachable_person_ids",
    "conversation_owner",
    "theirs",
]


_GREETING_GAP = timedelta(minutes=1)


@dataclass(frozen=True)
class SavedReference:
    row: ConversationRef
    # True when the conversation is new, or was last seen a while ago: worth a greeting.
    # Teams announces one install twice (installationUpdate and conversationUpdate), often at once.
    fresh: bool


def save_reference(
    session: Session, reference: dict[str, Any], *, person_id: int | None, aad_object_id: str | None, now: datetime
) -> SavedReference:
    """Insert or refresh the reference for (conversation, user), safe against a concurrent insert."""
    conversation = reference.get("conversation") or {}
    user = reference.get("user") or {}
    key = (ConversationRef.conversation_id == conversation.get("id"), ConversationRef.user_id == user.get("id"))
    fields = {
        "conversation_type": conversation.get("conversationType")
        or conversation.get("conversation_type")
        or "personal",
        "service_url": reference.get("serviceUrl") or reference.get("service_url") or "",
        # The adapter puts the verified tenant (channelData.tenant.id) here; botbuilder-schema
        # serializes it as `tenantID`, raw Teams JSON spells it `tenantId`.
        "tenant_id": conversation.get("tenantID") or conversation.get("tenantId") or conversation.get("tenant_id"),
        "reference": reference,
        "updated_at": now,
    }
    row = session.scalar(select(ConversationRef).where(*key))
    if row is None:
        try:
            with session.begin_nested():
                row = ConversationRef(
                    conversation_id=conversation.get("id"),
                    user_id=user.get("id"),
                    person_id=person_id,
                    aad_object_id=aad_object_id,
                    **fields,
                )
                session.add(row)
            return SavedReference(row, fresh=True)
        except IntegrityError:  # the other announcement of the same install got there first
            row = session.scalar(select(ConversationRef).where(*key).execution_options(populate_existing=True))
            assert row is not None  # the IntegrityError says a row with this key exists
    # Whether this announcement is worth a greeting is claimed by one conditional write, not judged
    # from the row read above: two announcements of one arrival (installationUpdate and
    # conversationUpdate, or a client's replay) run at once, both read the old row, and each judged
    # it fresh, so the person was greeted twice. The database lets exactly one UPDATE match.
    claimed = session.execute(
        update(ConversationRef)
        .where(ConversationRef.id == row.id, ConversationRef.updated_at < now - _GREETING_GAP)
        .values(updated_at=now)
        .execution_options(synchronize_session=False)
    )
    fresh = affected(claimed) == 1
    if person_id is not None:
        row.person_id = person_id
    elif row.person_id is not None:  # keep an earlier match, unless it was another user's person
        earlier = session.get(Person, row.person_id)
        if earlier is None or earlier.aad_object_id not in (None, aad_object_id or row.aad_object_id):
            row.person_id = None
    row.aad_object_id = aad_object_id or row.aad_object_id
    for name, value in fields.items():
        setattr(row, name, value)
    session.flush()
    return SavedReference(row, fresh=fresh)


def personal_reference(session: Session, person_id: int) -> ConversationRef | None:
    """The newest one-to-one conversation with the person, if the bot is installed for them."""
    return session.scalar(
        select(ConversationRef)
        .join(Person, Person.id == ConversationRef.person_id)
        .where(ConversationRef.person_id == person_id, ConversationRef.conversation_type == "personal", theirs())
        .order_by(ConversationRef.updated_at.desc())
        .limit(1)
    )


def reachable_person_ids(session: Session) -> set[int]:
    return set(
        session.scalars(
            select(ConversationRef.person_id)
            .join(Person, Person.id == ConversationRef.person_id)
            .where(ConversationRef.conversation_type == "personal", theirs())
        )
    )


# built once, values bound: every turn reads it (issue 19: building statements per call was the hot
# path's cost; bench/RESULTS.md)
_OWNER = select(ConversationRef.person_id, ConversationRef.aad_object_id).where(
    ConversationRef.conversation_id == bindparam("conversation"), ConversationRef.user_id == bindparam("user")
)


def conversation_owner(session: Session, conversation_id: str, user_id: str) -> tuple[int | None, str | None] | None:
    """(person id, object id) recorded with a stored conversation, or None if it is not stored.

    Saves asking Teams who the user is on each turn; identify() checks the object id still agrees.
    """
    row = session.execute(_OWNER, {"conversation": conversation_id, "user": user_id}).first()
    return (row[0], row[1]) if row else None


def theirs() -> ColumnElement[bool]:
    """SQL: a reference counts as its person's only if it was not recorded for another object id.

    Use with ConversationRef joined to Person on person_id. Guards every proactive message against a
    reference wrongly tied to a person (e.g. stored before e-mail matching was tightened).
    """
    return or_(
        Person.aad_object_id.is_(None),
        ConversationRef.aad_object_id.is_(None),
        Person.aad_object_id == ConversationRef.aad_object_id,
    )


def personal_reference_of_user(session: Session, user_id: str, *, aad_object_id: str | None) -> dict[str, Any] | None:
    """The stored one-to-one conversation with this Teams user (for answering a group chat privately).

    By the Teams user id the activity came from, never by a person: that is the asker whether or not
    the tracker knows them. A row recorded for another object id is not theirs.
    """
    if not user_id:
        return None
    query = select(ConversationRef.reference).where(
        ConversationRef.user_id == user_id, ConversationRef.conversation_type == "personal"
    )
    if aad_object_id:
        query = query.where(
            or_(ConversationRef.aad_object_id.is_(None), ConversationRef.aad_object_id == aad_object_id)
        )
    return session.scalar(query.order_by(ConversationRef.updated_at.desc()).limit(1))
