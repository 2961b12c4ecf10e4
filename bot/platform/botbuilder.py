"""The botbuilder 4.17.1 host (`BOT_SDK=botbuilder`): the stack the project was first specified on.

botbuilder-python is archived upstream (no fixes since 31 Dec 2025); the Agents SDK host
(bot/platform/agents.py) is the default. Kept here only what botbuilder needs to be correct:

* every way its token validation fails (PermissionError, jwt errors, IndexError for an unknown key
  id, plain Exception...) becomes `AuthenticationFailed` (401), and tokens pass bot/platform/tokens.py;
* `CloudAdapter.process()` in 4.17.1 re-serialises the invoke body and answers 500 to every
  `adaptiveCard/action`, so bot/server.py writes invoke answers and this host only runs the turn;
* msrest retries a 5xx three times by itself: proactive calls make one attempt (the outbox retries).
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime
from types import SimpleNamespace
from typing import Any, Awaitable, Callable

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ConversationParameters, ConversationReference
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor, _OpenIdConfig, _OpenIdMetadata
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.platform.base import NO_ACTIVITY_ID, AuthenticationFailed, InvokeAnswer, Logic, MalformedActivity, SendResult
from bot.platform.facts import Facts, clean_reference, facts_of
from bot.platform.outcomes import connection_failure, http_failure
from bot.platform.tokens import check_lifetime
from config import Settings

__all__ = ["BotbuilderHost"]

logger = logging.getLogger(__name__)
# msrest warns about every field botbuilder's schema does not know: the Agents Playground's channelData
# carries a `source`, which TeamsChannelData(**channel_data) in TeamsInfo's roster lookup warned about
# on every page load (issue 24). Unknown fields are ignored either way; a body the schema refuses is
# logged once by bot/server.py.
logging.getLogger("msrest.serialization").setLevel(logging.ERROR)


class _FetchedKeys(_OpenIdMetadata):  # type: ignore[misc]  # botbuilder ships no type information
    """Signing keys read with `fetch(url)` in a worker thread (tests serve a test key this way)."""

    def __init__(self, url: str, fetch: Any) -> None:
        super().__init__(url)
        self._fetch = fetch

    async def _refresh(self) -> None:
        def download() -> list[dict[str, Any]]:
            keys: list[dict[str, Any]] = self._fetch(self._fetch(self.url)["jwks_uri"])["keys"]
            return keys

        self.keys = await asyncio.to_thread(download)
        self.last_updated = datetime.now()

    def _find(self, key_id: str) -> _OpenIdConfig | None:  # overrides the SDK's lookup by key id
        from jwt.algorithms import RSAAlgorithm

        for key in self.keys or ():
            if key_id and key.get("kid") == key_id:
                return _OpenIdConfig(RSAAlgorithm.from_jwk(json.dumps(key)), key.get("endorsements", []))
        return None


class _KeyCache(dict[str, _FetchedKeys]):
    def __init__(self, fetch: Any) -> None:
        super().__init__()
        self.fetch = fetch

    def get(self, url: str, default: Any = None) -> _FetchedKeys:  # noqa: ARG002 - the SDK passes None
        if url not in self:
            self[url] = _FetchedKeys(url, self.fetch)
        return self[url]


class _BotbuilderTurn:
    def __init__(self, context: TurnContext, facts: Facts) -> None:
        self.context, self.facts = context, facts

    async def send(self, activity: dict[str, Any]) -> str | None:
        reply = Activity().deserialize({**self.facts.addressing(), "inputHint": "acceptingInput", **activity})
        response = await self.context.send_activity(reply)
        return response.id if response is not None and response.id else None

    async def update(self, activity_id: str, activity: dict[str, Any]) -> None:
        body = {**self.facts.addressing(), **activity, "id": activity_id}
        body.pop("replyToId", None)
        await self.context.update_activity(Activity().deserialize(body))

    async def member(self, user_id: str) -> dict[str, Any] | None:
        member = await TeamsInfo.get_member(self.context, user_id)
        return member.serialize() if member is not None else None


class BotbuilderHost:
    name = "botbuilder"

    def __init__(self, settings: Settings, *, fetch_keys: Any = None) -> None:
        self.settings = settings
        if fetch_keys is not None:
            JwtTokenExtractor.metadataCache = _KeyCache(fetch_keys)
        configuration = SimpleNamespace(
            APP_ID=settings.app_id,
            APP_PASSWORD=settings.app_password,
            APP_TENANTID=settings.app_tenant_id,
            # SingleTenant (the default) needs its tenant id; without one only MultiTenant can work
            APP_TYPE=settings.app_type if settings.app_tenant_id else "MultiTenant",
        )
        self.auth = ConfigurationBotFrameworkAuthentication(configuration)
        self.adapter = CloudAdapter(self.auth)
        self.adapter.on_turn_error = None  # failures reach the bot's own handler

    async def process(self, body: dict[str, Any], auth_header: str, logic: Logic) -> InvokeAnswer | None:
        try:
            activity = Activity().deserialize(body)
        except Exception:  # msrest raises DeserializationError and friends
            raise MalformedActivity("the Bot Framework schema refuses it") from None
        try:
            result = await self.auth.authenticate_request(activity, "" if self.settings.anonymous else auth_header)
        except Exception as error:  # noqa: BLE001 - the SDK signals a bad token with many types
            raise AuthenticationFailed(type(error).__name__) from None
        if not self.settings.anonymous:
            check_lifetime(result.claims_identity.claims or {})
        facts = facts_of(body)
        answer: InvokeAnswer | None = None

        async def turn(context: TurnContext) -> None:
            nonlocal answer
            answer = await logic(_BotbuilderTurn(context, facts))

        await self.adapter.process_activity(result, activity, turn)
        return answer

    async def _call(
        self,
        reference: dict[str, Any],
        call: Callable[[Any, ConversationReference], Awaitable[SendResult]],
        *,
        timeout: float,
    ) -> SendResult:
        try:
            ref = ConversationReference().deserialize(clean_reference(reference))
        except Exception:
            ref = None
        if ref is None or not ref.service_url or not ref.conversation or not ref.conversation.id:
            return SendResult(ok=False, status=None, error="invalid reference: needs serviceUrl and conversation.id")
        try:
            async with asyncio.timeout(timeout):
                claims = self.adapter.create_claims_identity(self.settings.app_id)
                client = await self.auth.create_connector_factory(claims).create(ref.service_url, None)
                client.config.retry_policy.retries = 0  # one attempt: the outbox owns retries
                return await call(client, ref)
        except TimeoutError:
            return SendResult(ok=False, status=None, error="timeout")
        except HttpOperationError as error:
            response = error.response
            return http_failure(getattr(response, "status_code", None), getattr(response, "headers", None))
        except ClientRequestError as error:
            return connection_failure(error)
        except Exception as error:  # never let one recipient crash the sender
            logger.warning("Proactive call to %s failed: %s", ref.conversation.id, type(error).__name__)
            return SendResult(ok=False, status=None, error=f"unexpected error: {type(error).__name__}")

    @staticmethod
    def _outgoing(ref: ConversationReference, activity: dict[str, Any], **extra: Any) -> Activity:
        outgoing = Activity().deserialize({"type": "message", **activity, **extra})
        TurnContext.apply_conversation_reference(outgoing, ref, is_incoming=False)
        outgoing.reply_to_id = None
        return outgoing

    async def send(self, reference: dict[str, Any], activity: dict[str, Any], *, timeout: float) -> SendResult:
        async def call(client: Any, ref: ConversationReference) -> SendResult:
            sent = await client.conversations.send_to_conversation(ref.conversation.id, self._outgoing(ref, activity))
            return SendResult(ok=True, status=200, activity_id=getattr(sent, "id", None) or None)

        return await self._call(reference, call, timeout=timeout)

    async def update(
        self, reference: dict[str, Any], activity_id: str, activity: dict[str, Any], *, timeout: float
    ) -> SendResult:
        if not activity_id:
            return NO_ACTIVITY_ID

        async def call(client: Any, ref: ConversationReference) -> SendResult:
            outgoing = self._outgoing(ref, activity, id=activity_id)
            await client.conversations.update_activity(ref.conversation.id, activity_id, outgoing)
            return SendResult(ok=True, status=200, activity_id=activity_id)

        return await self._call(reference, call, timeout=timeout)

    async def create_conversation(
        self, reference: dict[str, Any], user_id: str, *, tenant_id: str | None, timeout: float
    ) -> SendResult:
        async def call(client: Any, ref: ConversationReference) -> SendResult:
            params = ConversationParameters(
                is_group=False,
                bot=ref.bot,
                members=[{"id": user_id}],
                tenant_id=tenant_id,
                channel_data={"tenant": {"id": tenant_id}} if tenant_id else None,
            )
            created = await client.conversations.create_conversation(params)
            return SendResult(ok=True, status=200, activity_id=created.id)

        return await self._call(reference, call, timeout=timeout)

    async def close(self) -> None:
        return None
