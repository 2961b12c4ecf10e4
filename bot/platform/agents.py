"""The Microsoft 365 Agents SDK host (the default; `BOT_SDK=agents`).

What the SDK's migration guide leaves out, handled here (each has a test in tests/bot/):

* its `CloudAdapter` validates no token: that happens only in `jwt_authorization_middleware`. This
  host validates every request itself with the SDK's `JwtTokenValidator` (signature, audience,
  issuer/tenant binding, expiry) before the adapter sees the activity, plus bot/platform/tokens.py's
  expiry rules; a missing or bad token is `AuthenticationFailed` (401), unreachable signing keys
  `SigningKeysUnavailable` (503);
* `CloudAdapter.process()` answers 501 to an invoke nobody answered, and 500 to a body its model
  refuses: bot/server.py writes the invoke answer the bot's logic returns, and a refused body is 400;
* its default turn error handler prints a traceback and sends the exception text to the user: it is
  removed, so a failure reaches bot/handler.py's handler (an apology with a reference);
* its models refuse empty strings, which botbuilder stored in conversation references: references
  are cleaned (bot/platform/facts.py `clean_reference`, migration 0010) before they are loaded.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Awaitable, Callable, cast
from urllib.parse import quote

import aiohttp
from jwt import PyJWKClientConnectionError, PyJWTError
from microsoft_agents.activity import Activity, ConversationReference
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import ConnectorClientBase, TurnContext
from microsoft_agents.hosting.core.authorization import AuthenticationConstants, ClaimsIdentity
from microsoft_agents.hosting.core.authorization.jwt import JwtTokenValidator
from pydantic import ValidationError

from bot.platform.agents_auth import FetchedKeys, agents_configuration
from bot.platform.agents_clients import KeptClients
from bot.platform.base import (
    NO_ACTIVITY_ID,
    AuthenticationFailed,
    InvokeAnswer,
    Logic,
    MalformedActivity,
    SendResult,
    SigningKeysUnavailable,
)
from bot.platform.facts import Facts, addressed, clean_reference, facts_of, without_empty
from bot.platform.outcomes import connection_failure, http_failure
from bot.platform.tokens import check_lifetime
from config import Settings

__all__ = ["AgentsHost", "agents_configuration"]

logger = logging.getLogger(__name__)
# bot/server.py logs each refusal once, with its reason; the SDK's validator would log it a second time
logging.getLogger("microsoft_agents.hosting.core.authorization.jwt").setLevel(logging.ERROR)
# ...and the Activity model logs every body it refuses at ERROR with a traceback: a client's mistake
logging.getLogger("microsoft_agents.activity.activity").setLevel(logging.CRITICAL)

_CONNECTOR_CLIENT_KEY = "ConnectorClient"  # where the SDK's adapter leaves the turn's connector client


class _AgentsTurn:
    """One turn's TurnIO over the SDK's TurnContext."""

    def __init__(self, context: TurnContext, facts: Facts, host: "AgentsHost") -> None:
        self.context, self.facts, self._host = context, facts, host

    async def send(self, activity: dict[str, Any]) -> str | None:
        reply = Activity.model_validate({**self.facts.addressing(), "inputHint": "acceptingInput", **activity})
        # turn_state holds `object`s; the SDK's adapter keeps the turn's connector client under this key (an
        # isinstance check against the SDK's runtime Protocol costs ~50 us a send, this is the hot path)
        client = cast("ConnectorClientBase | None", self.context.turn_state.get(_CONNECTOR_CLIENT_KEY))
        if client is None or self.context._on_send_activities:  # noqa: SLF001 - expectReplies, or send hooks
            response = await self.context.send_activity(reply)
        else:
            # straight to the connector: TurnContext.send_activity deep-copies the activity (a card's
            # every node, ~1 ms) only to address it, which the JSON above already is
            facts = self.facts
            conversations = client.conversations
            if facts.activity_id:
                response = await conversations.reply_to_activity(facts.conversation_id, facts.activity_id, reply)
            else:
                response = await conversations.send_to_conversation(facts.conversation_id, reply)
            self.context.responded = True
        return response.id if response is not None and response.id else None

    async def update(self, activity_id: str, activity: dict[str, Any]) -> None:
        body = {**self.facts.addressing(), **activity, "id": activity_id}
        body.pop("replyToId", None)
        await self.context.update_activity(Activity.model_validate(body))

    async def member(self, user_id: str) -> dict[str, Any] | None:
        return await self._host.member(self.facts.raw, self.facts.conversation_id, user_id)


class AgentsHost:
    """See the module docstring."""

    name = "agents"

    def __init__(self, settings: Settings, *, fetch_keys: Any = None) -> None:
        self.settings = settings
        self.connections = MsalConnectionManager(**agents_configuration(settings))
        self.auth_configuration = self.connections.get_default_connection_configuration()
        self.clients = KeptClients(self.connections)
        self.adapter = CloudAdapter(channel_service_client_factory=self.clients)
        self.adapter.on_turn_error = None  # failures reach the bot's own handler (an apology, a reference)
        self.validator = JwtTokenValidator(self.auth_configuration)
        if fetch_keys is not None:
            self.validator._jwk_client_manager = FetchedKeys(fetch_keys)  # noqa: SLF001 - the SDK's key hook
        self.app_id = settings.app_id

    # -- incoming -------------------------------------------------------------------------------------
    async def authenticate(self, auth_header: str) -> ClaimsIdentity:
        if self.settings.anonymous:  # local mode ignores whatever token a local tool sends
            return ClaimsIdentity({}, "anonymous")
        parts = auth_header.split(" ")
        if len(parts) != 2 or parts[0].lower() != "bearer" or not parts[1]:
            raise AuthenticationFailed("no bearer token")
        try:
            identity = await self.validator.validate_token(parts[1])
        except PyJWKClientConnectionError:
            raise SigningKeysUnavailable("could not fetch the signing keys") from None
        except (PyJWTError, ValueError, KeyError, TypeError) as error:  # the SDK's refusals
            raise AuthenticationFailed(type(error).__name__) from None
        check_lifetime(identity.claims)
        return identity

    @staticmethod
    def _check_service_url(identity: ClaimsIdentity, service_url: str) -> None:
        """A channel's token names the service URL it may send from, as botbuilder checked (the Agents
        SDK checks it only in `CloudAdapter.process()`, and only logs a mismatch)."""
        claimed = identity.claims.get(AuthenticationConstants.SERVICE_URL_CLAIM)
        if not isinstance(claimed, str) or claimed.rstrip("/") != service_url.rstrip("/"):
            raise AuthenticationFailed("the token's serviceurl claim does not match the activity")

    async def process(self, body: dict[str, Any], auth_header: str, logic: Logic) -> InvokeAnswer | None:
        try:
            # empty strings carry nothing, and the model refuses them in a dozen optional fields
            # ("locale": "", "role": ""); botbuilder accepted such activities
            activity = Activity.model_validate(without_empty(body))
        except ValidationError as error:
            fields = sorted({".".join(str(p) for p in e["loc"]) for e in error.errors()})[:5]
            raise MalformedActivity(f"fields the Bot Framework schema refuses: {', '.join(fields)}") from None
        except Exception as error:  # its validators raise plain Exception too (a channel id conflict)
            raise MalformedActivity(f"the Bot Framework schema refuses it ({type(error).__name__})") from None
        identity = await self.authenticate(auth_header)
        if not self.settings.anonymous:
            self._check_service_url(identity, body["serviceUrl"])
        facts = facts_of(body)
        answer: InvokeAnswer | None = None

        async def turn(context: TurnContext) -> None:
            nonlocal answer
            answer = await logic(_AgentsTurn(context, facts, self))

        await self.adapter.process_activity(identity, activity, turn)
        return answer

    # -- outgoing -------------------------------------------------------------------------------------
    async def _client(self, service_url: str) -> Any:
        identity = self.adapter.create_claims_identity(self.app_id)
        return await self.clients.create_connector_client(
            None, identity, service_url, AuthenticationConstants.AGENTS_SDK_SCOPE, use_anonymous=self.settings.anonymous
        )

    async def _call(
        self,
        reference: dict[str, Any],
        call: Callable[[Any, ConversationReference], Awaitable[SendResult]],
        *,
        timeout: float,
    ) -> SendResult:
        try:
            ref = ConversationReference.model_validate(clean_reference(reference))
        except ValidationError:
            ref = None
        if ref is None or not ref.service_url or not ref.conversation or not ref.conversation.id:
            return SendResult(ok=False, status=None, error="invalid reference: needs serviceUrl and conversation.id")
        try:
            async with asyncio.timeout(timeout):
                client = await self._client(ref.service_url)
                return await call(client, ref)
        except TimeoutError:
            return SendResult(ok=False, status=None, error="timeout")
        except aiohttp.ClientResponseError as error:
            return http_failure(error.status, error.headers, error.message)
        except aiohttp.ClientError as error:
            return connection_failure(error)
        except Exception as error:  # never let one recipient crash the sender; msal's refusals land here
            logger.warning("Proactive call to %s failed: %s", ref.conversation.id, type(error).__name__)
            return SendResult(ok=False, status=None, error=f"unexpected error: {type(error).__name__}")

    @staticmethod
    def _outgoing(reference: dict[str, Any], activity: dict[str, Any], **extra: Any) -> Activity:
        return Activity.model_validate(addressed(reference, {**activity, **extra}))

    async def send(self, reference: dict[str, Any], activity: dict[str, Any], *, timeout: float) -> SendResult:
        async def call(client: Any, ref: ConversationReference) -> SendResult:
            response = await client.conversations.send_to_conversation(
                ref.conversation.id, self._outgoing(reference, activity)
            )
            return SendResult(ok=True, status=200, activity_id=getattr(response, "id", None) or None)

        return await self._call(reference, call, timeout=timeout)

    async def update(
        self, reference: dict[str, Any], activity_id: str, activity: dict[str, Any], *, timeout: float
    ) -> SendResult:
        if not activity_id:
            return NO_ACTIVITY_ID

        async def call(client: Any, ref: ConversationReference) -> SendResult:
            outgoing = self._outgoing(reference, activity, id=activity_id)
            response = await client.conversations.update_activity(ref.conversation.id, activity_id, outgoing)
            return SendResult(ok=True, status=200, activity_id=getattr(response, "id", None) or activity_id)

        return await self._call(reference, call, timeout=timeout)

    async def create_conversation(
        self, reference: dict[str, Any], user_id: str, *, tenant_id: str | None, timeout: float
    ) -> SendResult:
        async def call(client: Any, ref: ConversationReference) -> SendResult:
            # Posted as JSON rather than through conversations.create_conversation: the SDK's response
            # model refuses the `"activityId": null` the connector answers when no activity was sent.
            params = without_none(
                {
                    "isGroup": False,
                    "bot": ref.agent.model_dump(by_alias=True, exclude_none=True) if ref.agent else None,
                    "members": [{"id": user_id}],
                    "tenantId": tenant_id,
                    "channelData": {"tenant": {"id": tenant_id}} if tenant_id else None,
                }
            )
            async with client.client.post("v3/conversations", json=params) as response:
                text = await response.text()
                if response.status not in (200, 201, 202):
                    return http_failure(response.status, response.headers, text)
            try:
                created = json.loads(text)
            except ValueError:
                created = None
            conversation_id = created.get("id") if isinstance(created, dict) else None
            if not isinstance(conversation_id, str) or not conversation_id:
                return SendResult(ok=False, status=response.status, error="the connector named no conversation")
            return SendResult(ok=True, status=response.status, activity_id=conversation_id)

        return await self._call(reference, call, timeout=timeout)

    async def member(self, raw: dict[str, Any], conversation_id: str, user_id: str) -> dict[str, Any] | None:
        """The roster entry of `user_id` (GET .../members/{id}); None when the channel has none."""
        client = await self._client(raw["serviceUrl"])
        path = f"v3/conversations/{quote(conversation_id, safe='')}/members/{quote(user_id, safe='')}"
        async with client.client.get(path) as response:
            if response.status != 200:
                return None
            found = await response.json(content_type=None)
            return found if isinstance(found, dict) else None

    async def close(self) -> None:
        await self.clients.close()


def without_none(value: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in value.items() if v is not None}
