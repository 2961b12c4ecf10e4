"""The aiohttp web app: `POST /api/messages` for the Bot Framework, `GET /healthz` for probes.

Before any work an activity must be a JSON object of at most MAX_BODY_BYTES, nested at most
MAX_JSON_DEPTH deep (400/413 otherwise); ids and names of the wrong type get 400 too; then the host
(bot/platform: the Agents SDK or botbuilder) checks it against its SDK's model (400), authenticates it
(401 for any bad token, 503 only when the signing keys cannot be fetched), and the tenant is checked
(403 for an invoke, no answer otherwise). Each refusal is logged once at WARNING, without a traceback.

Invoke answers are written here, from what the bot's logic returns, for both hosts: each SDK's own
`process()` gets them wrong (botbuilder 4.17.1 answers 500 to every `adaptiveCard/action`, the
Agents SDK 501 to any invoke its handlers did not answer).
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import uuid
from http import HTTPStatus
from typing import Any, Awaitable, Callable

from aiohttp import web
from aiohttp.http_exceptions import BadHttpMessage

from bot.platform import (
    AuthenticationFailed,
    Host,
    InvokeAnswer,
    Logic,
    MalformedActivity,
    SigningKeysUnavailable,
    TurnIO,
)
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
    if not isinstance(conversation["id"], str):
        return "conversation.id must be a string"
    for key in ("id", "name", "replyToId", "channelId", "locale", "action"):
        if body.get(key) is not None and not isinstance(body[key], str):
            return f"{key} must be a string"
    for key in ("from", "recipient"):
        account = body.get(key)
        if account is None:
            continue
        if not isinstance(account, dict):
            return f"{key} must be an object"
        for field in ("id", "name", "aadObjectId"):
            if account.get(field) is not None and not isinstance(account[field], str):
                return f"{key}.{field} must be a string"
    return None


class _QuietParseErrors(logging.Filter):
    """aiohttp logs a request it cannot parse (a header over 8 kB, a bad request line) at ERROR with a
    traceback whose message quotes the start of the offending line: an Authorization header, say.
    Such a request is the client's fault: one WARNING line, naming the kind of problem only."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, BadHttpMessage):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg, record.args = "Refused an HTTP request aiohttp could not parse (%s)", (type(error).__name__,)
            record.exc_info, record.exc_text = None, None
        return True


_QUIET_PARSE_ERRORS = _QuietParseErrors()


def _tenant_guard(logic: Logic, allowed: tuple[str, ...]) -> Logic:
    """Only the tenants in ALLOWED_TENANT_IDS are served (checked after authentication, before the turn)."""

    async def guarded(io: TurnIO) -> InvokeAnswer | None:
        tenant = io.facts.tenant_id
        if allowed and tenant not in allowed:
            logger.warning(
                "Refused an activity from tenant %s (type %s): not in ALLOWED_TENANT_IDS",
                tenant or "(none)",
                io.facts.type,
            )
            # an invoke needs an answer; a message from another tenant gets none and leaves nothing stored
            return InvokeAnswer(int(HTTPStatus.FORBIDDEN)) if io.facts.is_invoke else None
        return await logic(io)

    return guarded


def build_web_app(
    host: Host, logic: Logic, health_check: Callable[[], Awaitable[None]], *, allowed_tenants: tuple[str, ...] = ()
) -> web.Application:
    """The bot's web app. `health_check` raises (or times out) when the bot cannot serve."""
    turn = _tenant_guard(logic, allowed_tenants)
    server_log = logging.getLogger("aiohttp.server")
    if _QUIET_PARSE_ERRORS not in server_log.filters:
        server_log.addFilter(_QUIET_PARSE_ERRORS)

    async def messages(request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return _plain(415, "Send the activity as application/json.")
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            logger.warning("Refused an activity of %d bytes (limit %d)", request.content_length, MAX_BODY_BYTES)
            return _plain(413, f"The activity is larger than {MAX_BODY_BYTES} bytes.")
        auth_header = request.headers.get("Authorization", "")  # aiohttp refuses one over 8 kB itself
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
            logger.warning("Refused a malformed activity: %s", problem)
            return _plain(400, f"Malformed activity: {problem}.")

        try:
            answer = await host.process(body, auth_header, turn)
        except MalformedActivity as malformed:
            logger.warning("Refused a malformed activity (type %s): %s", body["type"][:40], malformed)
            return _plain(400, "Malformed activity: the Bot Framework schema refuses it.")
        except AuthenticationFailed as failure:
            logger.warning("Refused an unauthenticated activity (type %s): %s", body["type"][:40], failure.reason)
            return _plain(401, "Unauthorized.")
        except SigningKeysUnavailable as unavailable:
            logger.warning("Could not check an activity's token: %s", unavailable)
            return _plain(503, "Cannot check the request's token right now; try again shortly.")
        except Exception:
            reference = uuid.uuid4().hex[:8]
            logger.exception("Activity failed outside the turn [ref %s]", reference)
            return _plain(500, f"Internal error (reference {reference}).")

        if answer is None:
            if body["type"] == "invoke":  # every invoke gets an answer, never the SDKs' 501
                return web.json_response({}, status=200)
            return web.Response(status=200)
        if answer.body is None:
            return web.Response(status=answer.status)
        return web.json_response(answer.body, status=answer.status)

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

    async def close_host(app: web.Application) -> None:
        await host.close()

    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    app.on_cleanup.append(close_host)
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
