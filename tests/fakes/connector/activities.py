"""The JSON a fake connector exchanges: an activity as Teams posts it, and one request received."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


@dataclass(frozen=True)
class Received:
    """One request that carried (or created) an activity, accepted or not."""

    seq: int
    kind: str  # "send" | "reply" | "update" | "delete" | "create"
    method: str
    conversation_id: str
    activity_id: str | None  # id given to a new activity, or the id updated/deleted
    reply_to_id: str | None
    activity: dict | None
    status: int
    at: float  # time.monotonic()
    authorization: str | None = None  # the Authorization header the bot sent, if any

    @property
    def accepted(self) -> bool:
        return 200 <= self.status < 300


def make_activity(
    service_url: str,
    *,
    type: str = "message",  # noqa: A002 - the Bot Framework field name
    text: str | None = None,
    conversation_id: str = "a:conv-1",
    user_id: str = "29:user-1",
    user_name: str = "Test User",
    aad_object_id: str = "00000000-0000-0000-0000-000000000001",
    bot_id: str = "28:bot",
    tenant_id: str = "tenant-1",
    name: str | None = None,
    value: Any = None,
    **extra: Any,
) -> dict:
    """An activity as Teams posts it to a bot (personal chat), as JSON."""
    activity: dict[str, Any] = {
        "type": type,
        "id": f"in-{uuid.uuid4().hex[:12]}",
        "timestamp": "2024-01-01T00:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": user_id, "name": user_name, "aadObjectId": aad_object_id},
        "conversation": {"id": conversation_id, "conversationType": "personal", "tenantId": tenant_id},
        "recipient": {"id": bot_id, "name": "Tracker"},
        "channelData": {"tenant": {"id": tenant_id}},
        "locale": "en-GB",
    }
    if text is not None:
        activity["text"] = text
    if name is not None:
        activity["name"] = name
    if value is not None:
        activity["value"] = value
    activity.update(extra)
    return activity
