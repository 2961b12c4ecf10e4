"""Migration 0010: conversation references botbuilder stored load in the Agents SDK's model after it."""

from __future__ import annotations

import json

import pytest
from microsoft_agents.activity import ConversationReference
from pydantic import ValidationError
from sqlalchemy import text

from store.db.engine import make_engine
from store.db.migrate import upgrade


def botbuilder_reference(conversation_id: str) -> dict:
    """What botbuilder 4.17's get_conversation_reference(activity).serialize() stored."""
    return {
        "activityId": "",
        "user": {"id": "29:olivia", "name": "Olivia Owen", "aadObjectId": "aad-olivia", "role": ""},
        "bot": {"id": "28:bot", "name": "Audit Tracker", "role": ""},
        "conversation": {
            "isGroup": None,
            "conversationType": "personal",
            "id": conversation_id,
            "name": "",
            "tenantID": "tenant-1",
        },
        "channelId": "msteams",
        "locale": "",
        "serviceUrl": "https://smba.trafficmanager.net/uk/",
    }


def test_the_agents_sdk_refuses_what_botbuilder_stored() -> None:
    """Why 0010 exists: if this starts passing, the SDK accepts empty strings again."""
    with pytest.raises(ValidationError):
        ConversationReference.model_validate(botbuilder_reference("a:1"))


def test_0010_cleans_every_stored_reference(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0009_tracker_version")
    old = botbuilder_reference("a:old")
    clean = {k: v for k, v in botbuilder_reference("a:clean").items() if v != ""}
    clean["user"] = {"id": "29:sam", "name": "Sam"}
    clean["bot"] = {"id": "28:bot"}
    clean["conversation"] = {"id": "a:clean", "conversationType": "personal"}
    with engine.begin() as conn:
        for row_id, ref in ((1, old), (2, clean)):
            conn.execute(
                text(
                    "INSERT INTO conversation_refs (id, user_id, conversation_id, conversation_type, service_url,"
                    " reference, updated_at) VALUES (:id, :u, :c, 'personal', :s, :r, '2026-11-01 09:00:00')"
                ),
                {
                    "id": row_id,
                    "u": ref["user"]["id"],
                    "c": ref["conversation"]["id"],
                    "s": ref["serviceUrl"],
                    "r": json.dumps(ref),
                },
            )
        conn.execute(
            text(
                "INSERT INTO update_cycles (id, opened_at, opened_by, deadline, scope, status, progress_conversation,"
                " progress_activity_id) VALUES (1, '2026-11-01 09:00:00', 'g@x', '2026-11-30', '{}', 'open', :r,"
                " 'act-1')"
            ),
            {"r": json.dumps(old)},
        )
        conn.execute(
            text(
                "INSERT INTO outbox (id, kind, dedupe_key, payload, status, attempts, next_attempt_at, created_at)"
                " VALUES (1, 'digest', 'digest:1', :p, 'queued', 0, '2026-11-01 09:00:00', '2026-11-01 09:00:00')"
            ),
            {"p": json.dumps({"reference": old, "card": {"type": "AdaptiveCard", "body": []}})},
        )
    upgrade(engine)
    with engine.connect() as conn:
        stored = [
            json.loads(r) if isinstance(r, str) else r
            for r in conn.scalars(text("SELECT reference FROM conversation_refs ORDER BY id"))
        ]
        progress = conn.scalar(text("SELECT progress_conversation FROM update_cycles WHERE id = 1"))
        payload = conn.scalar(text("SELECT payload FROM outbox WHERE id = 1"))
    engine.dispose()
    progress = json.loads(progress) if isinstance(progress, str) else progress
    payload = json.loads(payload) if isinstance(payload, str) else payload
    assert stored[1] == clean  # a clean reference is left as it was
    for ref in (stored[0], progress, payload["reference"]):
        assert '""' not in json.dumps(ref)
        assert "locale" not in ref and "activityId" not in ref and "role" not in ref["user"]
        assert ref["conversation"] == {"conversationType": "personal", "id": "a:old", "tenantID": "tenant-1"}
        loaded = ConversationReference.model_validate(ref)
        assert loaded.conversation.id == "a:old" and loaded.user.id == "29:olivia"
        assert loaded.service_url == "https://smba.trafficmanager.net/uk/"
    assert payload["card"] == {"type": "AdaptiveCard", "body": []}  # the rest of the payload is untouched
