"""The fake connector's HTTP service: the Bot Connector REST calls, served from a loop or a thread."""

from __future__ import annotations

import asyncio
import threading
import uuid
from typing import Any, Iterable

from aiohttp import web

from tests.fakes.connector.faults import Faults, Refusal
from tests.fakes.connector.journal import Journal

_ERROR_CODES = {
    403: "ConversationBlockedByUser",
    404: "ConversationNotFound",
    412: "PreconditionFailed",
    429: "Throttled",
}


class FakeConnector(Faults, Journal):
    """See the package docstring. `rate_limit` is messages per second over all conversations."""

    def __init__(
        self,
        *,
        rate_limit: float | None = None,
        burst: float | None = None,
        retry_after: float | None = None,
        members: Iterable[dict] | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        Faults.__init__(self, rate_limit=rate_limit, burst=burst, retry_after=retry_after, members=members)
        Journal.__init__(self)
        self.host = host
        self.port: int | None = None
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

    # --- HTTP handlers ----------------------------------------------------------------------

    @staticmethod
    def _error(status: int, message: str, retry_after: float | None = None) -> web.Response:
        code = _ERROR_CODES.get(status, "ServiceError" if status >= 500 else "BadRequest")
        headers = (
            {"Retry-After": f"{retry_after:.3f}".rstrip("0").rstrip(".") or "0"} if retry_after is not None else None
        )
        return web.json_response({"error": {"code": code, "message": message}}, status=status, headers=headers)

    def _refused(self, refusal: Refusal) -> web.Response:
        return self._error(refusal.status, refusal.message, refusal.retry_after)

    async def _pause(self, cid: str) -> bool:
        """Apply a configured delay; False when the connector is stopping meanwhile."""
        seconds = self._delay_of(cid)
        if not seconds:
            return True
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
            return False
        except asyncio.TimeoutError:
            return True

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
        refusal = self._refusal(cid, posting=True)
        reply_to = aid if kind == "reply" else None
        if refusal is not None:
            self._record(kind, request.method, cid, aid, reply_to, activity, refusal.status, auth)
            return self._refused(refusal)
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
        if (refusal := self._throttled()) is not None:
            self._record("create", "POST", cid, None, None, params.get("activity"), refusal.status)
            return self._refused(refusal)
        activity = params.get("activity")
        activity_id = f"act-{uuid.uuid4().hex[:16]}" if activity else None
        if activity:
            activity = {**activity, "id": activity_id, "conversation": {"id": cid}}
        self._record("create", "POST", cid, activity_id, None, activity, 200)
        return web.json_response({"id": cid, "activityId": activity_id, "serviceUrl": self.service_url})

    async def _get_members(self, request: web.Request) -> web.Response:
        cid = request.match_info["cid"]
        if not await self._pause(cid):
            return self._error(503, "Connector stopping.")
        if (refusal := self._refusal(cid, posting=False)) is not None:
            return self._refused(refusal)
        return web.json_response(self._members_of(cid))

    async def _get_paged_members(self, request: web.Request) -> web.Response:
        cid = request.match_info["cid"]
        if (refusal := self._refusal(cid, posting=False)) is not None:
            return self._refused(refusal)
        return web.json_response({"members": self._members_of(cid), "continuationToken": None})

    async def _get_member(self, request: web.Request) -> web.Response:
        cid, mid = request.match_info["cid"], request.match_info["mid"]
        if (refusal := self._refusal(cid, posting=False)) is not None:
            return self._refused(refusal)
        for member in self._members_of(cid):
            if mid in (member.get("id"), member.get("aadObjectId")):
                return web.json_response(member)
        return web.json_response(
            {"error": {"code": "MemberNotFoundInConversation", "message": "The member is not in the conversation."}},
            status=404,
        )
