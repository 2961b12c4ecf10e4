"""The facts of one incoming activity, read from its JSON: who, tenant, conversation, what was sent.

Both hosts hand features the same `Facts`, built here from the body the channel posted (after the
host's SDK accepted it), so nothing outside bot/platform/ reads an SDK object. The conversation
reference kept for proactive messages is built here too, in the Bot Framework's JSON shape, without
empty strings (the Agents SDK's models refuse them; migration 0010 cleaned the older rows).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Facts", "facts_of", "tenant_of", "clean_reference", "without_empty", "addressed"]

PERSONAL = "personal"


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def without_empty(value: Any) -> Any:
    """`value` with every empty string, None and empty object left out (recursively)."""
    if isinstance(value, dict):
        kept = {k: without_empty(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in ("", None, {})}
    if isinstance(value, list):
        return [without_empty(v) for v in value]
    return value


def clean_reference(reference: dict[str, Any]) -> dict[str, Any]:
    """A stored conversation reference both SDKs load: no empty strings or nulls (botbuilder wrote
    `"locale": ""`, `"role": ""`, `"activityId": ""`...), and only the fields of a reference."""
    keys = ("activityId", "user", "bot", "conversation", "channelId", "locale", "serviceUrl")
    cleaned: dict[str, Any] = without_empty({k: reference[k] for k in keys if k in reference})
    return cleaned


def addressed(reference: dict[str, Any], activity: dict[str, Any]) -> dict[str, Any]:
    """`activity` as a new message in the stored conversation `reference` (from the bot, to the user):
    what TurnContext.apply_conversation_reference does, without a replyToId (not a thread reply; a
    `"replyToId": null` is refused by the Agents Playground)."""
    ref = clean_reference(reference)
    address = {
        "channelId": ref.get("channelId"),
        "serviceUrl": ref.get("serviceUrl"),
        "conversation": ref.get("conversation"),
        "from": ref.get("bot"),
        "recipient": ref.get("user"),
        "locale": ref.get("locale"),
    }
    return {"type": "message", **{k: v for k, v in address.items() if v is not None}, **activity}


def tenant_of(body: dict[str, Any]) -> str | None:
    """The tenant Teams says the activity comes from (channelData.tenant.id), lower case."""
    tenant_id = _dict(_dict(body.get("channelData")).get("tenant")).get("id")
    return tenant_id.strip().lower() if isinstance(tenant_id, str) and tenant_id.strip() else None


@dataclass(frozen=True)
class Facts:
    """What features may know about the activity; see the module docstring."""

    type: str
    name: str | None
    activity_id: str | None
    text: str
    value: Any
    channel_id: str | None
    service_url: str
    locale: str | None
    conversation_id: str
    conversation_kind: str  # "personal", "groupChat", "channel" (anything not personal is shared)
    is_group: bool
    tenant_id: str | None
    user_id: str | None
    aad_object_id: str | None
    user_name: str | None
    recipient_id: str | None
    members_added: tuple[str, ...] = ()
    mentions: tuple[tuple[str, str], ...] = ()  # (mentioned id, the text of the mention)
    action: str | None = None  # installationUpdate's "add" / "remove"
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def is_invoke(self) -> bool:
        return self.type == "invoke"

    @property
    def is_shared(self) -> bool:
        """True unless the conversation is one-to-one with the bot: Teams marks group chats and
        channels with conversationType and isGroup; any kind but "personal" counts as shared (fail
        closed). Clients that say nothing (the Agents Playground, the Emulator) are one-to-one."""
        return self.is_group or self.conversation_kind not in ("", PERSONAL)

    @property
    def first_name(self) -> str | None:
        name = (self.user_name or "").strip()
        return name.split()[0] if name else None

    def reference(self) -> dict[str, Any]:
        """The conversation reference to store for proactive messages (Bot Framework JSON)."""
        conversation = dict(_dict(self.raw.get("conversation")))
        if self.tenant_id:  # the verified tenant, where every reader of a reference looks for it
            conversation["tenantId"] = self.tenant_id
        return clean_reference(
            {
                "activityId": self.activity_id,
                "user": _dict(self.raw.get("from")),
                "bot": _dict(self.raw.get("recipient")),
                "conversation": conversation,
                "channelId": self.channel_id,
                "locale": self.locale,
                "serviceUrl": self.service_url,
            }
        )

    def addressing(self) -> dict[str, Any]:
        """The fields a reply in this conversation carries (as TurnContext.apply_conversation_reference)."""
        fields: dict[str, Any] = without_empty(
            {
                "channelId": self.channel_id,
                "locale": self.locale,
                "serviceUrl": self.service_url,
                "conversation": _dict(self.raw.get("conversation")),
                "from": _dict(self.raw.get("recipient")),
                "recipient": _dict(self.raw.get("from")),
                "replyToId": self.activity_id,
            }
        )
        return fields


def _mentions(body: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    found = []
    for entity in body.get("entities") or ():
        if isinstance(entity, dict) and entity.get("type") == "mention":
            who = _str(_dict(entity.get("mentioned")).get("id"))
            text = _str(entity.get("text"))
            if who and text:
                found.append((who, text))
    return tuple(found)


def facts_of(body: dict[str, Any]) -> Facts:
    """The facts of an activity body that passed the server's checks (bot/server.py `_malformed`)."""
    sender = _dict(body.get("from"))
    conversation = _dict(body.get("conversation"))
    kind = conversation.get("conversationType")
    text = body.get("text")
    return Facts(
        type=body["type"],
        name=_str(body.get("name")),
        activity_id=_str(body.get("id")),
        text=text if isinstance(text, str) else "",
        value=body.get("value"),
        channel_id=_str(body.get("channelId")),
        service_url=body["serviceUrl"],
        locale=_str(body.get("locale")),
        conversation_id=conversation["id"],
        conversation_kind=kind.strip().lower() if isinstance(kind, str) else "",
        is_group=conversation.get("isGroup") is True,
        tenant_id=tenant_of(body),
        user_id=_str(sender.get("id")),
        aad_object_id=_str(sender.get("aadObjectId")),
        user_name=_str(sender.get("name")),
        recipient_id=_str(_dict(body.get("recipient")).get("id")),
        members_added=tuple(
            m["id"] for m in body.get("membersAdded") or () if isinstance(m, dict) and _str(m.get("id"))
        ),
        mentions=_mentions(body),
        action=_str(body.get("action")),
        raw=body,
    )
