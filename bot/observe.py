"""The web side of observability: turn metrics and log context, GET /metrics, correlation ids.

Wired in bot/app.py (build_app) so the server, handler and sender modules carry no more than a line.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import time
import uuid
from typing import Awaitable, Callable

from aiohttp import web

from bot.platform import InvokeAnswer, Logic, TurnIO
from bot.services import BotServices
from observability import metrics
from observability.logs import CONVERSATION_ID, CORRELATION_ID, TURN_ID
from store.db.outage import database_unavailable
from store.outbox.queue import status_counts

__all__ = ["InstrumentedBot", "turn_kind", "add_metrics_route", "correlation_middleware", "may_read_metrics"]

log = logging.getLogger(__name__)

CORRELATION_HEADER = "X-Correlation-Id"


def turn_kind(activity_type: str | None, name: str | None) -> str:
    if activity_type == "message":
        return "message"
    if activity_type == "invoke" and name == "adaptiveCard/action":
        return "card_action"
    if activity_type in ("installationUpdate", "conversationUpdate"):
        return "install"
    return "other"


class InstrumentedBot:
    """Counts and times every turn of the wrapped logic and names it in the log context."""

    def __init__(self, inner: Logic):
        self.inner = inner

    async def __call__(self, io: TurnIO) -> InvokeAnswer | None:
        facts = io.facts
        kind = turn_kind(facts.type, facts.name)
        turn_token = TURN_ID.set(facts.activity_id or uuid.uuid4().hex)
        conversation_token = CONVERSATION_ID.set(facts.conversation_id)
        started = time.perf_counter()
        outcome = "error"
        try:
            answer = await self.inner(io)
            outcome = "ok"
            return answer
        finally:
            metrics.TURN_SECONDS.labels(kind=kind).observe(time.perf_counter() - started)
            metrics.TURNS.labels(kind=kind, outcome=outcome).inc()
            TURN_ID.reset(turn_token)
            CONVERSATION_ID.reset(conversation_token)


@web.middleware
async def correlation_middleware(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    # Only a short token-like value is taken from the caller; anything else gets a fresh id.
    given = request.headers.get(CORRELATION_HEADER, "")
    correlation = given if 0 < len(given) <= 64 and given.replace("-", "").isalnum() else uuid.uuid4().hex
    token = CORRELATION_ID.set(correlation)
    try:
        response = await handler(request)
    finally:
        CORRELATION_ID.reset(token)
    response.headers[CORRELATION_HEADER] = correlation
    return response


def may_read_metrics(remote: str | None, authorization: str, token: str) -> bool:
    """Loopback clients always; anyone else only with the configured bearer token."""
    if token and hmac.compare_digest(authorization.encode(), f"Bearer {token}".encode()):  # constant time
        return True
    try:
        return remote is not None and ipaddress.ip_address(remote).is_loopback
    except ValueError:
        return False


def add_metrics_route(app: web.Application, services: BotServices) -> None:
    async def read_metrics(request: web.Request) -> web.Response:
        if not may_read_metrics(
            request.remote, request.headers.get("Authorization", ""), services.settings.metrics_token
        ):
            return web.Response(
                status=403,
                text="Metrics are served to loopback clients, or with Authorization: Bearer <METRICS_TOKEN>.",
                content_type="text/plain",
            )
        try:
            metrics.set_outbox_depth(await services.run(status_counts))
        except Exception as err:
            if not database_unavailable(err):
                raise
            # The scrape still answers during a database restart (the counters say what happened);
            # the outbox gauge keeps its last reading until the database is back.
            log.warning("metrics: outbox depth not read, the database is unavailable (%s)", type(err).__name__)
        return web.Response(body=metrics.render(), headers={"Content-Type": metrics.CONTENT_TYPE})

    app.router.add_get("/metrics", read_metrics)
