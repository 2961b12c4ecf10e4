"""Connector clients the Agents SDK host keeps, instead of the SDK's one-per-turn.

The SDK's `RestChannelServiceClientFactory` builds a new connector client (with its own aiohttp
session, so no connection is reused) and asks msal for a token on every turn and every proactive
send, and a user-token client (with another token request) the bot never uses: it offers no sign-in.
Here one client per (service URL, audience) is kept while its token is young, a burst of concurrent
sends asks for one token, and the user-token client is an anonymous one, built once.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from microsoft_agents.hosting.core import RestChannelServiceClientFactory, TurnContext
from microsoft_agents.hosting.core.authorization import ClaimsIdentity
from microsoft_agents.hosting.core.connector.client import UserTokenClient
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

__all__ = ["KeptClients"]

TOKEN_REUSE_SECONDS = 240.0  # msal hands out tokens with > 5 minutes left; ask again well before that
RETIRED_GRACE_SECONDS = 60.0  # calls in flight on a replaced client finish before its session closes


async def _kept_open() -> None:
    """The SDK closes each turn's clients when the turn ends; kept clients stay open."""


class KeptClients(RestChannelServiceClientFactory):
    def __init__(self, connections: Any) -> None:
        super().__init__(connections)
        self._clients: dict[tuple[str, str, bool], tuple[float, Any]] = {}
        self._locks: dict[tuple[str, str, bool], asyncio.Lock] = {}
        self._retired: list[Any] = []
        self._user_tokens: dict[str, Any] = {}
        self.created = 0

    async def create_connector_client(
        self,
        context: TurnContext | None,
        claims_identity: ClaimsIdentity,
        service_url: str,
        audience: str,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> Any:
        if context is not None and (context.activity.is_agentic_request() or _from_copilot_studio(context)):
            return await super().create_connector_client(
                context, claims_identity, service_url, audience, scopes, use_anonymous
            )
        key = (service_url, audience, use_anonymous)
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            kept = self._clients.get(key)
            if kept is not None and time.monotonic() - kept[0] < TOKEN_REUSE_SECONDS and not kept[1].client.closed:
                return kept[1]
            fresh = await super().create_connector_client(
                None, claims_identity, service_url, audience, scopes, use_anonymous
            )
            if not isinstance(fresh, TeamsConnectorClient):
                return fresh
            fresh.close = _kept_open  # type: ignore[method-assign]  # kept open across turns (see _kept_open)
            self.created += 1
            if kept is not None:
                self._retire(kept[1])
            self._clients[key] = (time.monotonic(), fresh)
            return fresh

    async def create_user_token_client(
        self, context: TurnContext, claims_identity: ClaimsIdentity, use_anonymous: bool = False
    ) -> Any:
        # never used (no sign-in); anonymous local mode has no app id, which the SDK warns about each turn
        app_id = claims_identity.get_app_id() or "anonymous"
        client = self._user_tokens.get(app_id)
        if client is None:
            client = UserTokenClient(app_id=app_id, endpoint=self._token_service_endpoint, token="")
            client.close = _kept_open  # type: ignore[method-assign]  # kept open across turns (see _kept_open)
            self._user_tokens[app_id] = client
        return client

    def _retire(self, client: Any) -> None:
        self._retired.append(client)
        loop = asyncio.get_running_loop()
        loop.call_later(RETIRED_GRACE_SECONDS, lambda: loop.create_task(self._close(client)))

    async def _close(self, client: Any) -> None:
        if client in self._retired:
            self._retired.remove(client)
        if not client.client.closed:
            await client.client.close()

    async def close(self) -> None:
        clients = [c for _, c in self._clients.values()] + self._retired + list(self._user_tokens.values())
        self._clients.clear()
        self._retired.clear()
        self._user_tokens.clear()
        for client in clients:
            session = getattr(client, "client", None)
            if session is not None and not session.closed:
                await session.close()


def _from_copilot_studio(context: TurnContext) -> bool:
    recipient = context.activity.recipient
    return recipient is not None and getattr(recipient, "role", None) == "connectoruser"
