"""The seam between the bot and a Teams SDK: what a host does, in plain data.

A host (bot/platform/agents.py: the Microsoft 365 Agents SDK, the default; bot/platform/botbuilder.py:
botbuilder 4.17.1, with BOT_SDK=botbuilder) receives an activity, authenticates it, runs the bot's
`Logic` with a `TurnIO`, and sends proactively. Activities cross the seam as Bot Framework JSON
dicts; nothing here imports an SDK.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Protocol

from bot.platform.facts import Facts

__all__ = [
    "AuthenticationFailed",
    "SigningKeysUnavailable",
    "MalformedActivity",
    "InvokeAnswer",
    "SendResult",
    "NO_ACTIVITY_ID",
    "TurnIO",
    "Logic",
    "Host",
    "ADAPTIVE_CARD",
    "card_message",
]

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


class AuthenticationFailed(PermissionError):
    """The request's token is missing or not acceptable; `reason` is safe to log (never the token)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SigningKeysUnavailable(Exception):
    """The signing keys could not be fetched, so no token can be checked (answer 503)."""


class MalformedActivity(ValueError):
    """The SDK's model refused the activity (answer 400); the message names no value sent."""


_MESSAGE = "application/vnd.microsoft.activity.message"
_ERROR = "application/vnd.microsoft.error"


@dataclass(frozen=True)
class InvokeAnswer:
    """The HTTP answer to an invoke: a status and an optional JSON body.

    The Universal Actions (`adaptiveCard/action`) body has three shapes, built here and nowhere else:
    a card that replaces the clicked one, a plain message, and an error.
    """

    status: int
    body: Any = None

    @classmethod
    def of_card(cls, card: dict[str, Any]) -> InvokeAnswer:
        """The card that replaces the clicked one in place."""
        return cls(200, {"statusCode": 200, "type": ADAPTIVE_CARD, "value": card})

    @classmethod
    def of_message(cls, text: str) -> InvokeAnswer:
        """A line the client shows instead of replacing the card."""
        return cls(200, {"statusCode": 200, "type": _MESSAGE, "value": text})

    @classmethod
    def of_error(cls, status: int, code: str, message: str) -> InvokeAnswer:
        return cls(status, {"statusCode": status, "type": _ERROR, "value": {"code": code, "message": message}})

    @property
    def card(self) -> dict[str, Any] | None:
        """The card this answer carries, if it is a card answer."""
        body = self.body
        if isinstance(body, dict) and body.get("type") == ADAPTIVE_CARD and isinstance(body.get("value"), dict):
            card: dict[str, Any] = body["value"]
            return card
        return None


@dataclass(frozen=True)
class SendResult:
    """One proactive call's outcome. `status` is the connector's HTTP status (None for a timeout or a
    connection failure); `retry_after` (seconds) comes with a 429."""

    ok: bool
    status: int | None
    retry_after: float | None = None
    activity_id: str | None = None
    error: str | None = None


# An update that names no activity can never succeed: each host answers it so without a call.
NO_ACTIVITY_ID = SendResult(ok=False, status=None, error="invalid request: no activity id to update")


def card_message(card: dict[str, Any], text: str | None = None) -> dict[str, Any]:
    """A message activity carrying one Adaptive Card (and optional text)."""
    body: dict[str, Any] = {
        "type": "message",
        "attachmentLayout": "list",
        "attachments": [{"contentType": ADAPTIVE_CARD, "content": card}],
    }
    if text:
        body["text"] = text
    return body


class TurnIO(Protocol):
    """One turn's way out, from its host (or a wrapper such as bot/privacy.py's)."""

    facts: Facts

    async def send(self, activity: dict[str, Any]) -> str | None:
        """Post a message in this conversation (a reply to the activity); the new activity's id."""

    async def update(self, activity_id: str, activity: dict[str, Any]) -> None:
        """Replace a message the bot sent in this conversation."""

    async def member(self, user_id: str) -> dict[str, Any] | None:
        """The conversation roster's entry for `user_id` (Teams: userPrincipalName, email), or None."""


Logic = Callable[[TurnIO], Awaitable[InvokeAnswer | None]]


class Host(Protocol):
    """A Teams SDK behind the seam."""

    name: str

    async def process(self, body: dict[str, Any], auth_header: str, logic: Logic) -> InvokeAnswer | None:
        """Check `body` against the SDK's model (MalformedActivity), authenticate the request
        (AuthenticationFailed, SigningKeysUnavailable), then run `logic` for the turn."""

    async def send(self, reference: dict[str, Any], activity: dict[str, Any], *, timeout: float) -> SendResult:
        """Post `activity` as a new message in the stored conversation `reference`."""

    async def update(
        self, reference: dict[str, Any], activity_id: str, activity: dict[str, Any], *, timeout: float
    ) -> SendResult:
        """Replace message `activity_id` in the stored conversation `reference`."""

    async def create_conversation(
        self, reference: dict[str, Any], user_id: str, *, tenant_id: str | None, timeout: float
    ) -> SendResult:
        """Open a 1:1 conversation with `user_id` at `reference`'s service URL; `activity_id` is the
        new conversation's id."""

    async def close(self) -> None:
        """Release HTTP sessions (on shutdown, from the loop that used them)."""
