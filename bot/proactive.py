"""Proactive messages to stored conversation references, one attempt each.

`ProactiveSender` never retries: the outbox worker that calls it owns retries and pacing, so
every failure comes back as a `SendResult` carrying the connector's HTTP status (None for a
timeout or a connection failure) and, for 429, the Retry-After delay in seconds.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Mapping

from botbuilder.core import CardFactory, InvokeResponse, MessageFactory, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ConversationReference
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.adapter import TrackerAdapter

__all__ = ["SendResult", "ProactiveSender", "card_activity", "invoke_card_response", "ADAPTIVE_CARD_CONTENT_TYPE"]

logger = logging.getLogger(__name__)

ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"


@dataclass(frozen=True)
class SendResult:
    ok: bool
    status: int | None
    retry_after: float | None = None
    activity_id: str | None = None
    error: str | None = None


def card_activity(card: dict, text: str | None = None) -> Activity:
    """A message activity carrying one Adaptive Card (and optional text)."""
    return MessageFactory.attachment(CardFactory.adaptive_card(card), text=text)


def invoke_card_response(card: dict) -> InvokeResponse:
    """The Universal Actions (`adaptiveCard/action`) response that replaces the card in place."""
    return InvokeResponse(
        status=int(HTTPStatus.OK), body={"statusCode": 200, "type": ADAPTIVE_CARD_CONTENT_TYPE, "value": card}
    )


def _is_card(payload: Mapping[str, Any]) -> bool:
    return payload.get("type") == "AdaptiveCard"


def _to_activity(activity_or_card: Activity | Mapping[str, Any]) -> Activity:
    if isinstance(activity_or_card, Activity):
        return activity_or_card
    if _is_card(activity_or_card):
        return card_activity(dict(activity_or_card))
    activity = Activity().deserialize(dict(activity_or_card))
    activity.type = activity.type or ActivityTypes.message
    return activity


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _failure(err: HttpOperationError) -> SendResult:
    response = err.response
    status = getattr(response, "status_code", None)
    headers = getattr(response, "headers", None) or {}
    retry_after = parse_retry_after(headers.get("Retry-After")) if status == 429 else None
    detail = ""
    inner = getattr(getattr(err, "error", None), "error", None)  # ErrorResponse.error
    if inner is not None and (inner.code or inner.message):
        detail = f": {inner.code or ''} {inner.message or ''}".rstrip()
    return SendResult(ok=False, status=status, retry_after=retry_after, error=f"HTTP {status}{detail}"[:300])


class ProactiveSender:
    """Sends and updates messages in stored conversations through the adapter's connector clients."""

    def __init__(self, adapter: TrackerAdapter, *, timeout: float = 15.0) -> None:
        self._adapter = adapter
        self.timeout = timeout

    async def send(self, reference: dict, activity_or_card: dict) -> SendResult:
        """Post a new message (a card dict becomes an Adaptive Card attachment) to the conversation."""

        async def call(client, ref: ConversationReference, activity: Activity):
            activity.reply_to_id = None  # a new message in the conversation, not a thread reply
            return await client.conversations.send_to_conversation(
                ref.conversation.id, activity, raw=True, timeout=self.timeout
            )

        return await self._attempt(reference, _to_activity(activity_or_card), call)

    async def update(self, reference: dict, activity_id: str, card: dict) -> SendResult:
        """Replace the card of a message the bot sent earlier (`activity_id` from `send`)."""

        async def call(client, ref: ConversationReference, activity: Activity):
            activity.id = activity_id
            activity.reply_to_id = None
            return await client.conversations.update_activity(
                ref.conversation.id, activity_id, activity, raw=True, timeout=self.timeout
            )

        if not activity_id:
            return SendResult(ok=False, status=None, error="invalid request: no activity id to update")
        return await self._attempt(reference, _to_activity(card), call, fallback_id=activity_id)

    async def _attempt(self, reference: dict, activity: Activity, call, fallback_id: str | None = None) -> SendResult:
        try:
            ref = ConversationReference().deserialize(dict(reference))
        except Exception:
            ref = None
        if ref is None or not ref.service_url or not ref.conversation or not ref.conversation.id:
            return SendResult(ok=False, status=None, error="invalid reference: needs serviceUrl and conversation.id")
        TurnContext.apply_conversation_reference(activity, ref, is_incoming=False)
        try:
            async with asyncio.timeout(self.timeout):
                client = await self._adapter.connector_client(ref.service_url)
                raw = await call(client, ref, activity)
        except TimeoutError:
            return SendResult(ok=False, status=None, error="timeout")
        except HttpOperationError as err:  # ErrorResponseException and other non-2xx answers
            return _failure(err)
        except PermissionError:  # msal could not get the bot a token (wrong app id or password?)
            logger.warning("Proactive send to %s: no Bot Framework token", ref.conversation.id, exc_info=True)
            return SendResult(ok=False, status=None, error="authentication failed: no Bot Framework token")
        except ClientRequestError as err:
            return SendResult(ok=False, status=None, error=str(err)[:300] or "connection error")
        except Exception as err:  # never let one recipient crash the worker
            logger.exception("Proactive send to %s failed unexpectedly", ref.conversation.id)
            return SendResult(ok=False, status=None, error=f"unexpected error: {type(err).__name__}")
        output = getattr(raw, "output", None)
        activity_id = getattr(output, "id", None) or fallback_id
        status = getattr(getattr(raw, "response", None), "status_code", None)
        return SendResult(ok=True, status=status, activity_id=activity_id)
