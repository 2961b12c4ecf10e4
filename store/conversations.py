"""Stored conversation references, so the bot can message people proactively."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import ConversationRef

__all__ = ["save_reference", "personal_reference", "reachable_person_ids", "person_id_for_conversation"]


def save_reference(session: Session, reference: dict[str, Any], *, person_id: int | None,
                   aad_object_id: str | None, now: datetime) -> ConversationRef:
    """Insert or refresh the reference for (conversation, user)."""
    conversation = reference.get("conversation") or {}
    user = reference.get("user") or {}
    row = session.scalar(select(ConversationRef).where(
        ConversationRef.conversation_id == conversation.get("id"), ConversationRef.user_id == user.get("id")))
    if row is None:
        row = ConversationRef(conversation_id=conversation.get("id"), user_id=user.get("id"))
        session.add(row)
    row.person_id = person_id if person_id is not None else row.person_id
    row.aad_object_id = aad_object_id or row.aad_object_id
    row.conversation_type = conversation.get("conversationType") or conversation.get("conversation_type") or "personal"
    row.service_url = reference.get("serviceUrl") or reference.get("service_url") or ""
    row.tenant_id = conversation.get("tenantId") or conversation.get("tenant_id")
    row.reference = reference
    row.updated_at = now
    session.flush()
    return row


def personal_reference(session: Session, person_id: int) -> ConversationRef | None:
    """The newest one-to-one conversation with the person, if the bot is installed for them."""
    return session.scalar(select(ConversationRef).where(
        ConversationRef.person_id == person_id, ConversationRef.conversation_type == "personal")
        .order_by(ConversationRef.updated_at.desc()).limit(1))


def reachable_person_ids(session: Session) -> set[int]:
    return set(session.scalars(select(ConversationRef.person_id).where(
        ConversationRef.person_id.is_not(None), ConversationRef.conversation_type == "personal")))


def person_id_for_conversation(session: Session, conversation_id: str, user_id: str) -> int | None:
    """The person a stored conversation belongs to (saves asking Teams who the user is each turn)."""
    return session.scalar(select(ConversationRef.person_id).where(
        ConversationRef.conversation_id == conversation_id, ConversationRef.user_id == user_id))
