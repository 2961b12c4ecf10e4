"""Proactive messages to stored conversation references, one attempt each.

`ProactiveSender` never retries: the outbox worker that calls it owns retries and pacing, so
every failure comes back as a `SendResult` carrying the connector's HTTP status (None for a
timeout or a connection failure) and, for 429, the Retry-After delay in seconds. The host
(bot/platform) makes the call with whichever SDK runs the bot.
"""

from __future__ import annotations

from typing import Any, Mapping

from bot.platform import ADAPTIVE_CARD, Host, SendResult, card_message
from bot.platform.outcomes import parse_retry_after

__all__ = ["SendResult", "ProactiveSender", "card_activity", "parse_retry_after", "ADAPTIVE_CARD_CONTENT_TYPE"]

ADAPTIVE_CARD_CONTENT_TYPE = ADAPTIVE_CARD


def card_activity(card: dict[str, Any], text: str | None = None) -> dict[str, Any]:
    """A message activity (JSON) carrying one Adaptive Card (and optional text)."""
    return card_message(card, text)


def _activity(activity_or_card: Mapping[str, Any]) -> dict[str, Any]:
    if activity_or_card.get("type") == "AdaptiveCard":
        return card_message(dict(activity_or_card))
    return {"type": "message", **dict(activity_or_card)} if not activity_or_card.get("type") else dict(activity_or_card)


class ProactiveSender:
    """Sends and updates messages in stored conversations through the host."""

    def __init__(self, host: Host, *, timeout: float = 15.0) -> None:
        self.host = host
        self.timeout = timeout

    async def send(self, reference: dict[str, Any], activity_or_card: Mapping[str, Any]) -> SendResult:
        """Post a new message (a card dict becomes an Adaptive Card attachment) to the conversation."""
        return await self.host.send(dict(reference), _activity(activity_or_card), timeout=self.timeout)

    async def update(self, reference: dict[str, Any], activity_id: str, card: Mapping[str, Any]) -> SendResult:
        """Replace the card of a message the bot sent earlier (`activity_id` from `send`)."""
        return await self.host.update(dict(reference), activity_id, _activity(card), timeout=self.timeout)

    async def create_conversation(
        self, reference: dict[str, Any], user_id: str, *, tenant_id: str | None
    ) -> SendResult:
        """Open a 1:1 conversation with `user_id` (SendResult.activity_id: the conversation's id)."""
        return await self.host.create_conversation(dict(reference), user_id, tenant_id=tenant_id, timeout=self.timeout)
