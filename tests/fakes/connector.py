"""A fake Bot Connector service: a real aiohttp server on 127.0.0.1 to use as `serviceUrl`.

It answers the REST calls the SDK makes for a bot (send, reply, update, delete activities,
create conversation, member lookups), records every activity it receives, and can misbehave
on purpose: a global rate limit (429 + Retry-After), scripted per-conversation failures,
blocked (403) or missing (404) conversations, and slow answers (to provoke client timeouts).

Async tests (same event loop as the bot under test)::

    async with FakeConnector() as connector:
        activity = make_activity(connector.service_url, text="hi")
        ...post it to the bot...
        [reply] = await connector.wait_for(1)
        assert connector.texts() == ["..."]

Sync tests, benchmarks or separate processes (server in a background thread with its own loop)::

    with FakeConnector(rate_limit=20) as connector:
        ...drive a sender at connector.service_url...
        connector.wait_for_blocking(5000, timeout=600)
        assert connector.stats()["accepted"] == 5000

Every public method is thread-safe. Delays end early when the connector stops.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
import uuid
from collections import Counter, deque
from dataclasses import dataclass
from typing import Any, Iterable

from aiohttp import web

__all__ = ["FakeConnector", "Received", "make_activity", "ADAPTIVE_CARD"]

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"

_ERROR_CODES = {
    403: "ConversationBlockedByUser",
    404: "ConversationNotFound",
    412: "PreconditionFailed",
    429: "Throttled",
}


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


class _Bucket:
    """Token bucket: `rate` per second, bursts up to `burst`."""

    def __init__(self, rate: float, burst: float | None = None) -> None:
        self.rate = float(rate)
        self.capacity = float(burst if burst is not None else max(1.0, rate))
        self.tokens = self.capacity
        self.last = time.monotonic()

    def take(self) -> float:
        """0 when a token was taken, else the seconds until one is available."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


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


class FakeConnector:
    """See the module docstring. `rate_limit` is messages per second over all conversations."""

    def __init__(
        self,
        *,
        rate_limit: float | None = None,
        burst: float | None = None,
        retry_after: float | None = None,
        members: Iterable[dict] | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self.host = host
        self.port: int | None = None
        self._lock = threading.Condition()
        self._records: list[Received] = []
        self._seq = itertools.count(1)
        self._bucket = _Bucket(rate_limit, burst) if rate_limit else None
        self._retry_after = retry_after
        self._scripts: dict[str, deque[tuple[int, float | None]]] = {}
        self._blocked: set[str] = set()
        self._missing: set[str] = set()
        self._delays: dict[str, float] = {}
        self._default_members = [dict(m) for m in (members or [])]
        self._members: dict[str, list[dict]] = {}
        self._received = 0
        self._rejected: Counter[int] = Counter()
        self._accepted_by_cid: Counter[str] = Counter()  # accepted requests that carried an activity
        self._accepted_total = 0
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------

    @property
    def service_url(self) -> str:
        if self.port is None:
            raise RuntimeError("FakeConnector is not running")
        return f"http://{self.host}:{self.port}/"

    url = service_url

    async def start(self) -> "FakeConnector":
        """Serve from the running event loop on a free port."""
        app = web.Application()
        r = app.router
        r.add_post("/v3/conversations", self._create_conversation)
        r.add_post("/v3/conversations/{cid}/activities", self._send)
        r.add_post("/v3/conversations/{cid}/activities/{aid}", self._reply)
        r.add_put("/v3/conversations/{cid}/activities/{aid}", self._update)
        r.add_delete("/v3/conversations/{cid}/activities/{aid}", self._delete)
        r.add_get("/v3/conversations/{cid}/members", self._get_members)
        r.add_get("/v3/conversations/{cid}/pagedmembers", self._get_paged_members)
        r.add_get("/v3/conversations/{cid}/members/{mid}", self._get_member)
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0, backlog=4096)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        if self._stopping is not None:
            self._stopping.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> "FakeConnector":
        return await self.start()

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()

    def start_background(self) -> "FakeConnector":
        """Serve from a daemon thread with its own event loop (for sync code and benchmarks)."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.start())
            except BaseException as exc:  # surface startup errors to the caller
                failure.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self.stop())
            loop.close()

        self._thread = threading.Thread(target=run, name="fake-connector", daemon=True)
        self._thread.start()
        ready.wait(10)
        if failure:
            raise failure[0]
        return self

    def stop_background(self) -> None:
        if self._thread is None or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._stopping.set)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._thread = None

    def __enter__(self) -> "FakeConnector":
        return self.start_background()

    def __exit__(self, *exc: Any) -> None:
        self.stop_background()

    # --- fault injection --------------------------------------------------------------------

    def fail(self, conversation_id: str, statuses: Iterable[int], retry_after: float | None = None) -> None:
        """The next sends to the conversation answer these statuses, in order (then normal)."""
        with self._lock:
            script = self._scripts.setdefault(conversation_id, deque())
            script.extend((int(s), retry_after) for s in statuses)

    def block(self, conversation_id: str) -> None:
        """403 forever (the user blocked or uninstalled the bot)."""
        with self._lock:
            self._blocked.add(conversation_id)

    def missing(self, conversation_id: str) -> None:
        """404 forever (the conversation does not exist)."""
        with self._lock:
            self._missing.add(conversation_id)

    def delay(self, conversation_id: str, seconds: float) -> None:
        """Answer requests for the conversation only after `seconds` (0 removes the delay).
        The request still succeeds after the delay, as a real service may deliver a message
        whose sender timed out."""
        with self._lock:
            if seconds > 0:
                self._delays[conversation_id] = seconds
            else:
                self._delays.pop(conversation_id, None)

    def set_rate_limit(self, per_second: float | None, burst: float | None = None) -> None:
        with self._lock:
            self._bucket = _Bucket(per_second, burst) if per_second else None

    def clear(self, conversation_id: str | None = None) -> None:
        """Remove faults for one conversation, or all faults."""
        with self._lock:
            for table in (self._scripts, self._delays):
                if conversation_id is None:
                    table.clear()
                else:
                    table.pop(conversation_id, None)
            for group in (self._blocked, self._missing):
                if conversation_id is None:
                    group.clear()
                else:
                    group.discard(conversation_id)

    def set_members(self, conversation_id: str | None, members: Iterable[dict]) -> None:
        """Members returned for a conversation (None: for every conversation without its own)."""
        with self._lock:
            if conversation_id is None:
                self._default_members = [dict(m) for m in members]
            else:
                self._members[conversation_id] = [dict(m) for m in members]

    # --- what was received ------------------------------------------------------------------

    def records(self, conversation_id: str | None = None, *, accepted_only: bool = False) -> list[Received]:
        with self._lock:
            return [
                r
                for r in self._records
                if (conversation_id is None or r.conversation_id == conversation_id)
                and (r.accepted or not accepted_only)
            ]

    def activities(self, conversation_id: str | None = None) -> list[dict]:
        """Activity JSON of every accepted send, reply and update, in arrival order."""
        return [r.activity for r in self.records(conversation_id, accepted_only=True) if r.activity is not None]

    def texts(self, conversation_id: str | None = None) -> list[str]:
        return [a["text"] for a in self.activities(conversation_id) if a.get("text")]

    def cards(self, conversation_id: str | None = None) -> list[dict]:
        """The Adaptive Card contents of accepted activities, in arrival order."""
        return [
            att.get("content")
            for a in self.activities(conversation_id)
            for att in a.get("attachments") or []
            if att.get("contentType") == ADAPTIVE_CARD
        ]

    def delivered_counts(self) -> Counter[str]:
        """Accepted new messages (sends and replies) per conversation; > 1 means duplicates."""
        with self._lock:
            return Counter(r.conversation_id for r in self._records if r.accepted and r.kind in ("send", "reply"))

    def stats(self) -> dict[str, Any]:
        """Counters: received, accepted, rejected (total) and rejected_by_status."""
        with self._lock:
            rejected = sum(self._rejected.values())
            return {
                "received": self._received,
                "accepted": self._received - rejected,
                "rejected": rejected,
                "rejected_by_status": dict(self._rejected),
            }

    def _count_accepted(self, conversation_id: str | None) -> int:
        if conversation_id is None:
            return self._accepted_total
        return self._accepted_by_cid[conversation_id]

    async def wait_for(self, count: int, timeout: float = 5.0, conversation_id: str | None = None) -> list[dict]:
        """Wait (without blocking the loop) until `count` activities were accepted; returns them."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if self._count_accepted(conversation_id) >= count:
                    break
            if time.monotonic() >= deadline:
                raise AssertionError(self._timeout_message(count, timeout, conversation_id))
            await asyncio.sleep(0.005)
        return self.activities(conversation_id)

    def wait_for_blocking(self, count: int, timeout: float = 5.0, conversation_id: str | None = None) -> list[dict]:
        """Like `wait_for`, for sync code (the connector must run in the background thread)."""
        with self._lock:
            done = self._lock.wait_for(lambda: self._count_accepted(conversation_id) >= count, timeout)
        if not done:
            raise AssertionError(self._timeout_message(count, timeout, conversation_id))
        return self.activities(conversation_id)

    def _timeout_message(self, count: int, timeout: float, conversation_id: str | None) -> str:
        where = f" in {conversation_id}" if conversation_id else ""
        got = len(self.activities(conversation_id))
        return f"expected {count} activities{where} within {timeout}s, got {got}; stats {self.stats()}"

    # --- HTTP handlers ----------------------------------------------------------------------

    def _record(
        self,
        kind: str,
        method: str,
        cid: str,
        aid: str | None,
        reply_to: str | None,
        activity: dict | None,
        status: int,
        authorization: str | None = None,
    ) -> None:
        with self._lock:
            self._received += 1
            if not 200 <= status < 300:
                self._rejected[status] += 1
            elif activity is not None:
                self._accepted_by_cid[cid] += 1
                self._accepted_total += 1
            self._records.append(
                Received(
                    next(self._seq), kind, method, cid, aid, reply_to, activity, status, time.monotonic(), authorization
                )
            )
            self._lock.notify_all()

    @staticmethod
    def _error(status: int, message: str, retry_after: float | None = None) -> web.Response:
        code = _ERROR_CODES.get(status, "ServiceError" if status >= 500 else "BadRequest")
        headers = (
            {"Retry-After": f"{retry_after:.3f}".rstrip("0").rstrip(".") or "0"} if retry_after is not None else None
        )
        return web.json_response({"error": {"code": code, "message": message}}, status=status, headers=headers)

    async def _pause(self, cid: str) -> bool:
        """Apply a configured delay; False when the connector is stopping meanwhile."""
        with self._lock:
            seconds = self._delays.get(cid)
        if not seconds:
            return True
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
            return False
        except asyncio.TimeoutError:
            return True

    def _fault(self, cid: str, posting: bool) -> web.Response | None:
        """A scripted or standing failure for this request, consuming it; None to accept."""
        with self._lock:
            if cid in self._blocked:
                return self._error(403, "The bot is blocked in this conversation.")
            if cid in self._missing:
                return self._error(404, "Conversation not found.")
            if not posting:
                return None
            script = self._scripts.get(cid)
            if script:
                status, retry_after = script.popleft()
                if status == 429 and retry_after is None:
                    retry_after = 1.0
                return self._error(status, f"Scripted failure {status}.", retry_after)
            if self._bucket is not None:
                wait = self._bucket.take()
                if wait > 0:
                    retry_after = self._retry_after if self._retry_after is not None else wait
                    return self._error(429, "Too many requests.", retry_after)
        return None

    async def _activity_request(self, request: web.Request, kind: str) -> web.Response:
        cid = request.match_info["cid"]
        aid = request.match_info.get("aid")
        auth = request.headers.get("Authorization")
        try:
            activity = await request.json() if kind != "delete" else None
        except ValueError:
            return self._error(400, "Body is not JSON.")
        if not await self._pause(cid):
            self._record(kind, request.method, cid, aid, None, activity, 503, auth)
            return self._error(503, "Connector stopping.")
        failure = self._fault(cid, posting=True)
        reply_to = aid if kind == "reply" else None
        if failure is not None:
            self._record(kind, request.method, cid, aid, reply_to, activity, failure.status, auth)
            return failure
        new_id = aid if kind in ("update", "delete") else f"act-{uuid.uuid4().hex[:16]}"
        if activity is not None and kind in ("send", "reply"):
            activity["id"] = new_id
        self._record(kind, request.method, cid, new_id, reply_to, activity, 200, auth)
        return web.json_response({"id": new_id}) if kind != "delete" else web.Response(status=200)

    async def _send(self, request: web.Request) -> web.Response:
        return await self._activity_request(request, "send")

    async def _reply(self, request: web.Request) -> web.Response:
        return await self._activity_request(request, "reply")

    async def _update(self, request: web.Request) -> web.Response:
        return await self._activity_request(request, "update")

    async def _delete(self, request: web.Request) -> web.Response:
        return await self._activity_request(request, "delete")

    async def _create_conversation(self, request: web.Request) -> web.Response:
        try:
            params = await request.json()
        except ValueError:
            return self._error(400, "Body is not JSON.")
        cid = f"a:created-{uuid.uuid4().hex[:12]}"
        with self._lock:
            wait = self._bucket.take() if self._bucket is not None else 0.0
        if wait > 0:
            self._record("create", "POST", cid, None, None, params.get("activity"), 429)
            return self._error(429, "Too many requests.", self._retry_after or wait)
        activity = params.get("activity")
        activity_id = f"act-{uuid.uuid4().hex[:16]}" if activity else None
        if activity:
            activity = {**activity, "id": activity_id, "conversation": {"id": cid}}
        self._record("create", "POST", cid, activity_id, None, activity, 200)
        return web.json_response({"id": cid, "activityId": activity_id, "serviceUrl": self.service_url})

    def _members_of(self, cid: str) -> list[dict]:
        with self._lock:
            return list(self._members.get(cid, self._default_members))

    async def _get_members(self, request: web.Request) -> web.Response:
        cid = request.match_info["cid"]
        if not await self._pause(cid):
            return self._error(503, "Connector stopping.")
        if (failure := self._fault(cid, posting=False)) is not None:
            return failure
        return web.json_response(self._members_of(cid))

    async def _get_paged_members(self, request: web.Request) -> web.Response:
        cid = request.match_info["cid"]
        if (failure := self._fault(cid, posting=False)) is not None:
            return failure
        return web.json_response({"members": self._members_of(cid), "continuationToken": None})

    async def _get_member(self, request: web.Request) -> web.Response:
        cid, mid = request.match_info["cid"], request.match_info["mid"]
        if (failure := self._fault(cid, posting=False)) is not None:
            return failure
        for member in self._members_of(cid):
            if mid in (member.get("id"), member.get("aadObjectId")):
                return web.json_response(member)
        return web.json_response(
            {"error": {"code": "MemberNotFoundInConversation", "message": "The member is not in the conversation."}},
            status=404,
        )
