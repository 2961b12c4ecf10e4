"""The Bot Framework adapter: authentication, cached connector clients, turn error handling.

`build_adapter(settings)` returns a `TrackerAdapter` (a botbuilder `CloudAdapter`) that

* runs anonymously (no auth, any serviceUrl, e.g. the Agents Playground or a local fake
  connector) when `settings.app_id` is empty, and with Bot Framework authentication
  (`ConfigurationBotFrameworkAuthentication`: app id, password, tenant, app type) otherwise;
* turns every way a token can fail (the SDK raises PermissionError, jwt errors, IndexError,
  plain Exception...) into one `AuthenticationFailed`, and a key endpoint that cannot be reached
  into `SigningKeysUnavailable` (bot.signing_keys), so the server answers 401 or 503, never 500;
* serves only the tenants in `settings.allowed_tenant_ids` (checked before any turn runs) and
  records the verified tenant on the activity's conversation, so stored references carry it;
* keeps one `ConnectorClient` per (app id, service URL, audience) and one user-token client
  per app id instead of building new ones every turn (the SDK default, and its main CPU cost);
* sends to the Bot Connector over one shared aiohttp session instead of `requests` in a thread
  pool, with no hidden retries (msrest's default policy silently retries 5xx three times);
* answers a failed turn with a plain apology and a reference the user can quote, logging the
  exception under that reference; a failed invoke still gets an invoke response (500).
"""

from __future__ import annotations

import logging
import uuid
from collections import OrderedDict
from http import HTTPStatus
from types import SimpleNamespace

from typing import Awaitable, Callable

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)

from bot.signing_keys import FetchJson, SigningKeysUnavailable, fetch_json, install_signing_keys
from bot.transport import SharedSession, use_aiohttp
from config import Settings
from store.db.outage import database_unavailable

__all__ = [
    "TrackerAdapter",
    "build_adapter",
    "apology_text",
    "new_reference",
    "AuthenticationFailed",
    "SigningKeysUnavailable",
    "activity_tenant",
]

logger = logging.getLogger(__name__)

DEFAULT_CONNECTOR_TIMEOUT = 30.0
_CLIENT_CACHE_SIZE = 1024


def new_reference() -> str:
    """A short correlation id a user can read out to the support team."""
    return uuid.uuid4().hex[:8]


RETRY_TEXT = "The tracker is busy for a moment and nothing was saved. Please try again in a minute."


def apology_text(reference: str, contact: str = "the Strategy & Governance team") -> str:
    return (
        "Sorry, something went wrong on our side. If it keeps happening, "
        f"tell {contact} and quote reference {reference}."
    )


class AuthenticationFailed(PermissionError):
    """The request's token is missing or not acceptable; `reason` is safe to log (never the token)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _failure_reason(error: Exception) -> str:
    # The SDK's messages are fixed strings (no token content), but keep them to one short line.
    detail = (str(error).splitlines() or [""])[0][:120]
    return f"{type(error).__name__}: {detail}" if detail else type(error).__name__


def activity_tenant(activity: Activity) -> str | None:
    """The tenant Teams says the activity comes from (channelData.tenant.id), lower case."""
    channel_data = activity.channel_data
    tenant = channel_data.get("tenant") if isinstance(channel_data, dict) else None
    tenant_id = tenant.get("id") if isinstance(tenant, dict) else None
    return tenant_id.strip().lower() if isinstance(tenant_id, str) and tenant_id.strip() else None


def _app_id(claims_identity: ClaimsIdentity | None) -> str:
    if claims_identity is None:
        return ""
    return (
        claims_identity.get_claim_value(AuthenticationConstants.AUDIENCE_CLAIM)
        or claims_identity.get_claim_value(AuthenticationConstants.APP_ID_CLAIM)
        or ""
    )


class _CachingConnectorFactory(ConnectorFactory):
    def __init__(self, inner: ConnectorFactory, owner: "CachingAuthentication", app_id: str):
        self._inner = inner
        self._owner = owner
        self._app_id = app_id

    async def create(self, service_url: str, audience: str = None) -> ConnectorClient:
        return await self._owner.connector_client(self._inner, self._app_id, service_url, audience)


class CachingAuthentication(BotFrameworkAuthentication):
    """Delegates to the SDK's authentication; caches connector and user-token clients."""

    def __init__(self, inner: BotFrameworkAuthentication, *, anonymous: bool, timeout: float):
        self._inner = inner
        self._anonymous = anonymous
        self.http = SharedSession(timeout)
        self._clients: OrderedDict[tuple[str, str, str], ConnectorClient] = OrderedDict()
        self._token_clients: dict[str, UserTokenClient] = {}
        self.clients_created = 0

    async def connector_client(
        self, inner: ConnectorFactory, app_id: str, service_url: str, audience: str | None
    ) -> ConnectorClient:
        audience = audience or self._inner.get_originating_audience()  # None means the default scope
        key = (app_id, service_url, audience)
        client = self._clients.get(key)
        if client is not None:
            self._clients.move_to_end(key)
            return client
        created = use_aiohttp(await inner.create(service_url, audience), self.http)
        client = self._clients.setdefault(key, created)  # another task may have won the race
        self.clients_created += client is created
        while len(self._clients) > _CLIENT_CACHE_SIZE:
            self._clients.popitem(last=False)
        return client

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        # Local mode ignores whatever token a local tool sends: there is nothing to check it against.
        try:
            result = await self._inner.authenticate_request(activity, None if self._anonymous else auth_header)
        except SigningKeysUnavailable:
            raise
        except Exception as error:  # noqa: BLE001 - the SDK signals a bad token with many types
            raise AuthenticationFailed(_failure_reason(error)) from None
        if result.connector_factory is not None:
            result.connector_factory = _CachingConnectorFactory(
                result.connector_factory, self, _app_id(result.claims_identity)
            )
        return result

    async def authenticate_streaming_request(self, auth_header: str, channel_id_header: str):
        return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _CachingConnectorFactory(
            self._inner.create_connector_factory(claims_identity), self, _app_id(claims_identity)
        )

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        app_id = _app_id(claims_identity)
        client = self._token_clients.get(app_id)
        if client is None:
            client = await self._inner.create_user_token_client(claims_identity)
            self._token_clients[app_id] = client
        return client

    def create_bot_framework_client(self):
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self._inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)


# --- The adapter ---------------------------------------------------------------------------


class TrackerAdapter(CloudAdapter):
    """CloudAdapter with cached connector clients and a plain-words turn error handler."""

    def __init__(self, auth: CachingAuthentication, settings: Settings) -> None:
        super().__init__(auth)
        self.auth = auth
        self.settings = settings
        self.app_id = settings.app_id
        self.on_turn_error = self.handle_turn_error

    @property
    def connector_clients_created(self) -> int:
        """How many connector clients were built (stays 1 for any number of turns to one URL)."""
        return self.auth.clients_created

    async def connector_client(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        """The cached connector client this bot uses to reach `service_url` (proactive sends)."""
        claims = self.create_claims_identity(self.app_id)
        factory = self.bot_framework_authentication.create_connector_factory(claims)
        return await factory.create(service_url, audience)

    async def process_activity(
        self, auth_header_or_authenticate_request_result, activity: Activity, logic: Callable[[TurnContext], Awaitable]
    ):
        """Authenticate, then check the tenant, then run the turn (the SDK's order, plus the tenant)."""
        result = auth_header_or_authenticate_request_result
        if isinstance(result, str) or result is None:
            result = await self.bot_framework_authentication.authenticate_request(activity, result or "")
        tenant = activity_tenant(activity)
        allowed = self.settings.allowed_tenant_ids
        if allowed and tenant not in allowed:
            logger.warning(
                "Refused an activity from tenant %s (type %s): not in ALLOWED_TENANT_IDS",
                tenant or "(none)",
                activity.type,
            )
            if activity.type == ActivityTypes.invoke:
                return InvokeResponse(status=int(HTTPStatus.FORBIDDEN))
            return None  # a message from another tenant gets no answer and leaves nothing stored
        if tenant and activity.conversation is not None:
            # botbuilder-schema reads `tenantID`; Teams sends `tenantId`: keep the verified one.
            activity.conversation.tenant_id = tenant
        return await super().process_activity(result, activity, logic)

    async def close(self) -> None:
        """Close the shared HTTP session (call on shutdown, from the loop that used it)."""
        await self.auth.http.close()

    async def handle_turn_error(self, context: TurnContext, error: Exception) -> None:
        if database_unavailable(error):
            await _database_unavailable(context, error)
            return
        reference = new_reference()
        activity = context.activity
        logger.error(
            "Turn failed [ref %s] type=%s name=%s conversation=%s activity=%s",
            reference,
            getattr(activity, "type", None),
            getattr(activity, "name", None),
            getattr(getattr(activity, "conversation", None), "id", None),
            getattr(activity, "id", None),
            exc_info=(type(error), error, error.__traceback__),
        )
        message = apology_text(reference, self.settings.governance_contact)
        if activity is not None and activity.type == ActivityTypes.invoke:
            body = {
                "statusCode": int(HTTPStatus.INTERNAL_SERVER_ERROR),
                "type": "application/vnd.microsoft.error",
                "value": {"code": "InternalServerError", "message": message},
            }
            context.turn_state[self._INVOKE_RESPONSE_KEY] = Activity(
                type=ActivityTypes.invoke_response,
                value=InvokeResponse(status=int(HTTPStatus.INTERNAL_SERVER_ERROR), body=body),
            )
        try:
            await context.send_activity(Activity(type=ActivityTypes.message, text=message))
        except Exception:  # the connector may be what failed; the log above has the cause
            logger.warning("Could not send the apology [ref %s]", reference, exc_info=True)


async def _database_unavailable(context: TurnContext, error: Exception) -> None:
    """The database is restarting or unreachable: nothing was saved (the turn's transaction rolled
    back), so the person is asked to try again in a moment; one WARNING line, no traceback, no 500."""
    activity = context.activity
    logger.warning(
        "Turn not done: the database is unavailable (%s); the user was asked to try again [type=%s name=%s]",
        type(error).__name__,
        getattr(activity, "type", None),
        getattr(activity, "name", None),
    )
    if activity is not None and activity.type == ActivityTypes.invoke:
        body = {
            "statusCode": int(HTTPStatus.OK),
            "type": "application/vnd.microsoft.activity.message",
            "value": RETRY_TEXT,
        }
        context.turn_state[TrackerAdapter._INVOKE_RESPONSE_KEY] = Activity(
            type=ActivityTypes.invoke_response, value=InvokeResponse(status=int(HTTPStatus.OK), body=body)
        )
    try:
        await context.send_activity(Activity(type=ActivityTypes.message, text=RETRY_TEXT))
    except Exception:  # the reply itself may not get out; the line above says why
        logger.warning("Could not send the try-again message", exc_info=False)


def build_adapter(
    settings: Settings, *, connector_timeout: float = DEFAULT_CONNECTOR_TIMEOUT, fetch_keys: FetchJson = fetch_json
) -> TrackerAdapter:
    """The adapter for `settings`: anonymous when no app id is set, Bot Framework auth otherwise.

    `fetch_keys` reads the OpenID metadata and signing keys (blocking; run in a thread)."""
    if not settings.anonymous:
        install_signing_keys(fetch_keys)
        if not settings.allowed_tenant_ids:
            logger.warning("ALLOWED_TENANT_IDS and MicrosoftAppTenantId are not set: any tenant is served")
    configuration = SimpleNamespace(
        APP_ID=settings.app_id,
        APP_PASSWORD=settings.app_password,
        APP_TENANTID=settings.app_tenant_id,
        APP_TYPE=settings.app_type or "MultiTenant",
    )
    inner = ConfigurationBotFrameworkAuthentication(configuration)
    auth = CachingAuthentication(inner, anonymous=settings.anonymous, timeout=connector_timeout)
    logger.info("Bot adapter: %s", "anonymous local mode" if settings.anonymous else f"app id {settings.app_id}")
    return TrackerAdapter(auth, settings)
