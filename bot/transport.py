"""Sending to the Bot Connector over one shared aiohttp session.

The SDK's default pipeline sends with `requests` in a thread pool and silently retries 5xx three
times; the proactive sender owns retries (it reschedules in the outbox), so connector clients are
rewired here to one aiohttp session, one attempt per call, with the bot's token reused.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import weakref
from datetime import datetime
from enum import Enum
from typing import Any
from urllib.parse import quote

import aiohttp
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import AuthenticationConstants
from botframework.connector.models import ErrorResponseException
from msrest.serialization import Model, Serializer
from msrest.exceptions import ClientRequestError
from msrest.pipeline import AsyncHTTPPolicy, AsyncHTTPSender, AsyncPipeline, Request, Response
from msrest.pipeline.universal import RawDeserializer
from msrest.universal_http.async_abc import AsyncClientResponse
from multidict import CIMultiDict

__all__ = ["SharedSession", "use_aiohttp", "JsonSender", "json_sender", "model_json"]

logger = logging.getLogger(__name__)

_TOKEN_REUSE_SECONDS = 240.0  # msal hands out tokens with > 5 minutes left; re-ask well before that


class _AiohttpResponse(AsyncClientResponse):
    def __init__(self, request, status: int, headers: CIMultiDict, reason: str, body: bytes):
        super().__init__(request, None)
        self.internal_response = self  # HttpOperationError exposes `internal_response` as `.response`
        self.status_code = status
        self.headers = headers
        self.reason = reason
        self._body = body

    def body(self) -> bytes:
        return self._body


class SharedSession:
    """One aiohttp.ClientSession per running event loop (tests use a loop per test)."""

    def __init__(self, timeout: float, limit: int = 200) -> None:
        self.timeout = timeout
        self._limit = limit
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def get(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._limit), timeout=aiohttp.ClientTimeout(total=self.timeout)
            )
            self._loop = loop
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            if self._loop is asyncio.get_running_loop():
                await self._session.close()
        self._session = None


class _AiohttpSender(AsyncHTTPSender):
    """msrest pipeline sender over aiohttp. Per-call `timeout=` (seconds) is honoured."""

    def __init__(self, session: SharedSession) -> None:
        self._session = session

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_details):
        return None

    async def send(self, request: Request, **config: Any) -> Response:
        http_request = request.http_request
        headers = {k: v for k, v in http_request.headers.items() if k.lower() != "content-length"}
        data = http_request.data
        if isinstance(data, str):
            data = data.encode("utf-8")
        timeout = config.get("timeout")
        kwargs = {"timeout": aiohttp.ClientTimeout(total=timeout)} if timeout else {}
        try:
            async with self._session.get().request(
                http_request.method, http_request.url, headers=headers, data=data, **kwargs
            ) as resp:
                body = await resp.read()
                response = _AiohttpResponse(
                    http_request, resp.status, CIMultiDict(resp.headers), resp.reason or "", body
                )
        except asyncio.TimeoutError:
            raise
        except aiohttp.ClientError as err:
            raise ClientRequestError(f"connection error: {err}", inner_exception=err) from err
        return Response(request, response)


class _BearerTokenPolicy(AsyncHTTPPolicy):
    """Adds the bot's AAD token; the (blocking) msal call runs in a thread, rarely."""

    def __init__(self, credentials) -> None:
        super().__init__()
        self._credentials = credentials
        self._token: str | None = None
        self._fetched = 0.0
        self._locks: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # loop -> asyncio.Lock

    async def bearer(self) -> str:
        # One msal call at a time: a broadcast must not start thousands of token requests.
        lock = self._locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())
        async with lock:
            if self._token is None or time.monotonic() - self._fetched > _TOKEN_REUSE_SECONDS:
                self._token = await asyncio.to_thread(self._credentials.get_access_token)
                self._fetched = time.monotonic()
            return self._token

    def forget(self) -> None:
        self._token = None

    def needs_token(self) -> bool:
        if self._credentials is None:
            return False
        app_id = getattr(self._credentials, "microsoft_app_id", None)
        return bool(app_id) and app_id != AuthenticationConstants.ANONYMOUS_SKILL_APP_ID

    async def send(self, request: Request, **kwargs: Any) -> Response:
        if self.needs_token():
            request.http_request.headers["Authorization"] = f"Bearer {await self.bearer()}"
        response = await self.next.send(request, **kwargs)
        if response.http_response.status_code == 401:
            self._token = None  # ask msal again next time
        return response


def model_json(value: Any) -> Any:
    """An msrest model as the JSON msrest would send (wire keys, no None fields), without its
    per-leaf validation and type dispatch: card content is already plain JSON and passes as is."""
    if isinstance(value, Model):
        out = {}
        for attr, spec in value._attribute_map.items():  # noqa: SLF001 - msrest's public-in-practice map
            item = getattr(value, attr, None)
            if item is not None:
                out[spec["key"]] = model_json(item)
        return out
    if isinstance(value, list):
        return [model_json(v) for v in value]
    if isinstance(value, dict):
        return (
            {k: model_json(v) for k, v in value.items()}
            if any(isinstance(v, (Model, Enum, datetime)) for v in value.values())
            else value
        )
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return Serializer.serialize_iso(value)
    return value


class JsonSender:
    """Sends activity JSON straight to the connector: the turn's hot path (replies, card updates).

    Same URL, headers, token and errors as the connector client's msrest operations, but the body
    is built once as JSON by the caller instead of being deep-copied and serialised leaf by leaf.
    """

    def __init__(self, client: ConnectorClient, session: SharedSession, token: "_BearerTokenPolicy") -> None:
        self._client = client
        self._session = session
        self._token = token
        self._base = client.config.base_url.rstrip("/")
        self._user_agent = client.config.user_agent_policy.user_agent

    async def reply(self, conversation_id: str, reply_to_id: str | None, activity: dict[str, Any]) -> str | None:
        path = f"/v3/conversations/{quote(conversation_id, safe='')}/activities"
        if reply_to_id:
            path += f"/{quote(reply_to_id, safe='')}"
        return await self._call("POST", path, activity)

    async def update(self, conversation_id: str, activity_id: str, activity: dict[str, Any]) -> str | None:
        path = f"/v3/conversations/{quote(conversation_id, safe='')}/activities/{quote(activity_id, safe='')}"
        return await self._call("PUT", path, activity)

    async def _call(self, method: str, path: str, activity: dict[str, Any]) -> str | None:
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "User-Agent": self._user_agent,
        }
        if self._token.needs_token():
            headers["Authorization"] = f"Bearer {await self._token.bearer()}"
        url = self._base + path
        try:
            async with self._session.get().request(method, url, json=activity, headers=headers) as resp:
                body = await resp.read()
                status = resp.status
                if status not in (200, 201, 202):
                    if status == 401:
                        self._token.forget()
                    raw = _AiohttpResponse(None, status, CIMultiDict(resp.headers), resp.reason or "", body)
                    raise ErrorResponseException(self._client.conversations._deserialize, raw)  # noqa: SLF001
        except aiohttp.ClientError as err:
            raise ClientRequestError(f"connection error: {err}", inner_exception=err) from err
        if not body:
            return None
        try:
            found = json.loads(body)
        except ValueError:
            return None
        return found.get("id") if isinstance(found, dict) else None


def json_sender(client: Any) -> JsonSender | None:
    """The fast sender of a connector client rewired by `use_aiohttp` (None for any other client)."""
    return getattr(client, "tracker_json_sender", None)


def use_aiohttp(client: ConnectorClient, session: SharedSession) -> ConnectorClient:
    config = client.config
    token = _BearerTokenPolicy(config.credentials)
    config.pipeline = AsyncPipeline(
        [config.user_agent_policy, token, RawDeserializer(), config.http_logger_policy], _AiohttpSender(session)
    )
    client.tracker_json_sender = JsonSender(client, session, token)
    return client


# --- Authentication wrapper that caches what the SDK rebuilds every turn -----------------
