"""Build the whole bot from settings: database, services, handler, host (bot/platform), web app."""

from __future__ import annotations

import logging
import sys
from datetime import datetime
from typing import Awaitable, Callable

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.answer_cache import AnswerCache
from bot.features import FEATURES
from bot.features.report import add_report_routes
from bot.handler import TrackerBot
from bot.housekeeping import housekeeping_background
from bot.observe import InstrumentedBot, add_metrics_route, correlation_middleware
from bot.outbox.hosts import sender_background
from bot.platform import Host, build_host
from bot.routing import build_routes
from bot.server import build_web_app, serve
from bot.services import BotServices
from config import Settings
from observability.metrics import instrument_sql
from observability.redaction import redact_urls
from store.db.engine import make_async_engine, make_async_sessionmaker
from web import add_tab_routes

__all__ = ["build_services", "build_app", "run", "STARTUP_HOOKS"]

log = logging.getLogger(__name__)

# Background work while the server runs: aiohttp cleanup-context factories fn(app, services).
STARTUP_HOOKS: tuple[Callable[[web.Application, BotServices], object], ...] = (
    sender_background,  # the outbox sender (issue 5)
    housekeeping_background,  # purging idle dialog state
)


Clock = Callable[[], datetime]


def build_services(settings: Settings, clock: Clock, engine: AsyncEngine, *, host: Host | None) -> BotServices:
    """Every collaborator the handlers use, in one place, built once: nothing is added later."""
    return BotServices(
        settings=settings,
        sessions=make_async_sessionmaker(engine),
        clock=clock,
        routes=build_routes(FEATURES),
        host=host,
        answers=AnswerCache(settings.answer_cache_size),
    )


def _health_check(engine: AsyncEngine) -> Callable[[], Awaitable[None]]:
    async def check() -> None:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    return check


def build_app(settings: Settings, clock: Clock) -> tuple[web.Application, BotServices]:
    engine = make_async_engine(settings.database_url, pool_size=settings.database_pool_size)
    host = build_host(settings)
    services = build_services(settings, clock, engine, host=host)
    if not settings.anonymous and not settings.allowed_tenant_ids:
        log.warning("ALLOWED_TENANT_IDS and MicrosoftAppTenantId are not set: any tenant is served")
    log.info(
        "Bot host: %s SDK, %s", host.name, "anonymous local mode" if settings.anonymous else f"app id {settings.app_id}"
    )
    instrument_sql(engine.sync_engine)
    if services.transaction_engine is not None:  # where BotServices.run works on threads
        instrument_sql(services.transaction_engine)
    bot = TrackerBot(services, instrument=InstrumentedBot)
    app = build_web_app(host, bot, _health_check(engine), allowed_tenants=settings.allowed_tenant_ids)
    app.middlewares.append(correlation_middleware)
    add_metrics_route(app, services)  # GET /metrics: loopback, or Bearer METRICS_TOKEN
    add_report_routes(app, services)  # GET /reports/{token}: the panel pack's signed download links
    add_tab_routes(  # /tab, /api/tab/*: issue 21; what the tab queues wakes this process's sender
        app, settings=settings, sessions=services.sessions, clock=clock, wake_outbox=services.wake_outbox
    )
    for hook in STARTUP_HOOKS:
        app.cleanup_ctx.append(lambda a, hook=hook: hook(a, services))

    async def dispose(_app: web.Application) -> None:
        await engine.dispose()
        services.dispose()

    app.on_cleanup.append(dispose)
    return app, services


def run(settings: Settings, clock: Clock, *, reuse_port: bool = False) -> int:
    """Serve until stopped (`python app.py serve`, which has checked the settings and the database)."""
    app, _ = build_app(settings, clock)
    s = settings
    mode = "anonymous local mode (no MicrosoftAppId)" if s.anonymous else f"app id {s.app_id}"
    sys.stdout.write(
        f"Audit tracker bot listening on http://{s.host}:{s.port}/api/messages ({mode})\n"
        f"  health:        http://{s.host}:{s.port}/healthz\n"
        f"  try it:        make playground   (Microsoft 365 Agents Playground, no Teams tenant needed)\n"
        f"  database:      {redact_urls(s.database_url)}\n"  # never the password: banners land in logs
    )
    sys.stdout.flush()
    serve(app, s.host, s.port, reuse_port=reuse_port)
    return 0
