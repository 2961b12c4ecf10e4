"""The aiohttp web app: `POST /api/messages` for the Bot Framework, `GET /healthz` for probes.

Before any work an activity must be a JSON object of at most MAX_BODY_BYTES, nested at most
MAX_JSON_DEPTH deep (400/413 otherwise); then the adapter authenticates it (401 for any bad token,
503 only when the signing keys cannot be fetched) and checks its tenant. Each refusal is logged once
at WARNING, without a traceback.

Invoke responses are written here rather than by `CloudAdapter.process()`, which in 4.17.1
re-serializes an already serialized body and answers 500 to every `adaptiveCard/action`.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
from typing import Any, Awaitable, Callable

from aiohttp import web
from botbuilder.core import Bot
from botbuilder.schema import Activity

from bot.adapter import AuthenticationFailed, SigningKeysUnavailable, TrackerAdapter, new_reference
from store.db.outage import database_unavailable

__all__ = [
    "build_web_app",
    "serve",
    "freeze_startup_objects",
    "start_site",
    "HEALTH_TIMEOUT_SECONDS",
    "MAX_BODY_BYTES",
    "MAX_JSON_DEPTH",
]

logger = logging.getLogger(__name__)

HEALTH_TIMEOUT_SECONDS = 5.0
# Teams activities are a few kB (a card's data, a message of at most ~28 kB): 256 kB is generous.
MAX_BODY_BYTES = 256 * 1024
# Real activities nest about 6 deep; deeper bodies only serve to exhaust the parser's recursion.
MAX_JSON_DEPTH = 32


def _too_deep(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when `value` nests deeper than `limit` (iterative: safe for any depth)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _json_default(value: Any) -> Any:
    serialize = getattr(value, "serialize", None)
    if callable(serialize):
        return serialize()
    isoformat = getattr(value, "isoformat", None)
    if callable(isoformat):
        return isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _plain(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=text, content_type="text/plain")


def _malformed(body: Any) -> str | None:
    """What is wrong with an incoming activity, in a few words; None when it is usable."""
    if not isinstance(body, dict):
        return "the body must be a JSON object (a Bot Framework activity)"
    if not isinstance(body.get("type"), str) or not body["type"]:
        return "the activity has no type"
    if not isinstance(body.get("serviceUrl"), str) or not body["serviceUrl"]:
        return "the activity has no serviceUrl"
    conversation = body.get("conversation")
    if not isinstance(conversation, dict) or not conversation.get("id"):
        return "the activity has no conversation id"
    return None


def build_web_app(adapter: TrackerAdapter, bot: Bot, health_check: Callable[[], Awaitable[None]]) -> web.Application:
    """The bot's web app. `health_check` raises (or times out) when the bot cannot serve."""

    async def messages(request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return _plain(415, "Send the activity as application/json.")
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            logger.warning("Refused an activity of %d bytes (limit %d)", request.content_length, MAX_BODY_BYTES)
            return _plain(413, f"The activity is larger than {MAX_BODY_BYTES} bytes.")
        try:
            body = json.loads(await request.read())
        except web.HTTPRequestEntityTooLarge:  # chunked bodies have no Content-Length to check first
            logger.warning("Refused an activity over %d bytes", MAX_BODY_BYTES)
            return _plain(413, f"The activity is larger than {MAX_BODY_BYTES} bytes.")
        except RecursionError:
            return _plain(400, "Malformed JSON: nested too deeply.")
        except ValueError:  # includes UnicodeDecodeError
            return _plain(400, "Malformed JSON.")
        if _too_deep(body):
            return _plain(400, f"Malformed activity: nested more than {MAX_JSON_DEPTH} levels deep.")
        problem = _malformed(body)
        if problem:
            return _plain(400, f"Malformed activity: {problem}.")
        try:
            activity = Activity().deserialize(body)
        except Exception:  # msrest raises DeserializationError and friends
            return _plain(400, "Malformed activity.")

        auth_header = request.headers.get("Authorization", "")
        try:
            invoke_response = await adapter.process_activity(auth_header, activity, bot.on_turn)
        except AuthenticationFailed as failure:
            logger.warning("Refused an unauthenticated activity (type %s): %s", activity.type, failure.reason)
            return _plain(401, "Unauthorized.")
        except SigningKeysUnavailable as unavailable:
            logger.warning("Could not check an activity's token: %s", unavailable)
            return _plain(503, "Cannot check the request's token right now; try again shortly.")
        except Exception:
            reference = new_reference()
            logger.exception("Activity failed outside the turn [ref %s]", reference)
            return _plain(500, f"Internal error (reference {reference}).")

        if invoke_response is None:
            return web.Response(status=200)
        status = int(invoke_response.status or 200)
        if invoke_response.body is None:
            return web.Response(status=status)
        return web.Response(
            status=status, text=json.dumps(invoke_response.body, default=_json_default), content_type="application/json"
        )

    async def healthz(request: web.Request) -> web.Response:
        try:
            await asyncio.wait_for(health_check(), timeout=HEALTH_TIMEOUT_SECONDS)
        except asyncio.TimeoutError:
            logger.warning("Health check timed out after %.0f s", HEALTH_TIMEOUT_SECONDS)
            return web.json_response({"status": "unavailable"}, status=503)
        except Exception as err:  # probes are unauthenticated: the cause (host, user names) goes to the log only
            if database_unavailable(err):  # a restart: one line a probe, not a traceback
                logger.warning("Health check failed: the database is unavailable (%s)", str(err).splitlines()[0][:200])
            else:
                logger.warning("Health check failed", exc_info=True)
            return web.json_response({"status": "unavailable"}, status=503)
        return web.json_response({"status": "ok"})

    async def close_adapter(app: web.Application) -> None:
        await adapter.close()

    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    app.on_cleanup.append(close_adapter)
    return app


async def start_site(app: web.Application, host: str = "127.0.0.1", port: int = 0) -> tuple[web.AppRunner, str]:
    """Start `app` in the running loop (port 0 picks a free port); returns the runner and base URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound_host, bound_port = runner.addresses[0][:2]
    return runner, f"http://{bound_host}:{bound_port}"


async def freeze_startup_objects(_app: web.Application) -> None:
    """What start-up built (modules, the SDK, SQLAlchemy's mappers and caches, the running tasks)
    lives as long as the process: gc.freeze() keeps it out of the collector's full passes. Each of
    those scanned ~190,000 objects, about 100 ms on a 2-core machine, and every turn in flight waited
    for it: a full pass now scans only what turns made since."""
    gc.collect()
    gc.freeze()


def serve(app: web.Application, host: str, port: int, *, reuse_port: bool = False) -> None:
    """Serve until SIGTERM/SIGINT, logging where the bot listens. `reuse_port`: several processes
    listen on the same port (SO_REUSEPORT) and the kernel spreads connections over them."""
    logger.info("Bot listening on http://%s:%d/api/messages (health: /healthz)", host, port)
    app.on_startup.append(freeze_startup_objects)  # after the start-up hooks: they build long-lived objects too
    web.run_app(app, host=host, port=port, print=None, access_log=None, reuse_port=reuse_port or None)
