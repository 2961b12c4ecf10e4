"""Issue 10 point 4: a conversation reference recorded under another user's object id is never a
person's, for proactive messages too (e.g. a reference stored while e-mail matching was loose)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.messages import Request
from store.conversations.references import personal_reference, reachable_person_ids, save_reference
from store.db.models import ConversationRef, Person
from store.demo.builder import load_demo
from store.outbox.claims import claim_batch
from store.outbox.queue import NewMessage, enqueue

MALLORY_AAD = "66666666-0000-4000-8000-00000000000f"


def _reference(conversation_id: str, user_id: str) -> dict:
    return {
        "conversation": {"id": conversation_id, "conversationType": "personal"},
        "user": {"id": user_id},
        "serviceUrl": "http://127.0.0.1:9/",
    }


def test_a_reference_recorded_for_another_object_id_is_not_the_persons(
    session: Session, today: date, now: datetime
) -> None:
    load_demo(session, today, now)
    grace = session.scalar(select(Person).where(Person.email == "grace.gordon@met.police.example"))
    save_reference(
        session, _reference("a:grace", "29:grace"), person_id=grace.id, aad_object_id=grace.aad_object_id, now=now
    )
    # Mallory's conversation, wrongly tied to Grace, and newer than hers.
    save_reference(
        session,
        _reference("a:mallory", "29:mallory"),
        person_id=grace.id,
        aad_object_id=MALLORY_AAD,
        now=now + timedelta(hours=1),
    )

    assert personal_reference(session, grace.id).conversation_id == "a:grace"
    assert grace.id in reachable_person_ids(session)
    enqueue(session, [NewMessage(Request("Grace", None, ()), "k", person_id=grace.id)], now)
    [message] = claim_batch(session, "w", now, 10, timedelta(minutes=1))
    assert message.reference["conversation"]["id"] == "a:grace"

    # When Mallory next talks (matched to nobody), the wrong tie is cleared.
    save_reference(
        session,
        _reference("a:mallory", "29:mallory"),
        person_id=None,
        aad_object_id=MALLORY_AAD,
        now=now + timedelta(hours=2),
    )
    assert (
        session.scalar(select(ConversationRef.person_id).where(ConversationRef.conversation_id == "a:mallory")) is None
    )


def test_only_that_reference_makes_a_person_reachable(session: Session, today: date, now: datetime) -> None:
    load_demo(session, today, now)
    grace = session.scalar(select(Person).where(Person.email == "grace.gordon@met.police.example"))
    save_reference(
        session, _reference("a:mallory", "29:mallory"), person_id=grace.id, aad_object_id=MALLORY_AAD, now=now
    )
    assert grace.id not in reachable_person_ids(session)
    assert personal_reference(session, grace.id) is None
