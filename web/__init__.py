"""The governance workspace: a personal tab in Teams, its page and its JSON API (issue 21).

    add_tab_routes(app, settings=settings, sessions=sessions, clock=clock)

mounts GET /tab (the page), /tab/assets/* (the bundle `make tab` builds) and /api/tab/* (the JSON
API) on the bot's aiohttp app. web/ reads and writes through store/ and the rules of domain/ (the
bot's scope and permission rules), never bot/ (an import-linter contract in pyproject.toml).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Callable

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from config import Settings
from web.api import add_api_routes
from web.auth import TokenValidator
from web.create import add_create_routes
from web.cycle import add_cycle_routes
from web.decisions import add_decision_routes
from web.downloads import add_download_routes
from web.edit import add_edit_routes
from web.figures import add_figure_routes
from web.owner_update import add_owner_update_routes
from web.page import ASSETS, add_page_routes
from web.signin import TabContext
from web.upload import add_upload_routes

__all__ = ["add_tab_routes"]


def add_tab_routes(
    app: web.Application,
    *,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    clock: Callable[[], datetime],
    validator: TokenValidator | None = None,
    assets: Path = ASSETS,
    wake_outbox: Callable[[], None] = lambda: None,
) -> TabContext:
    """Mount the tab. With an app id, tokens are checked against Entra ID's keys (``validator``
    replaces that checker in tests); without one the tab runs in anonymous local mode."""
    if validator is None and not settings.anonymous:
        validator = TokenValidator(settings.app_id, settings.allowed_tenant_ids)
    ctx = TabContext(settings=settings, sessions=sessions, clock=clock, validator=validator, wake_outbox=wake_outbox)
    add_api_routes(app, ctx)
    add_edit_routes(app, ctx)
    add_upload_routes(app, ctx)
    add_download_routes(app, ctx)
    add_create_routes(app, ctx)
    add_owner_update_routes(app, ctx)
    add_decision_routes(app, ctx)  # decisions awaiting governance, one or many
    add_cycle_routes(app, ctx)  # update cycles: preview, start, remind, live progress
    add_figure_routes(app, ctx)  # chief officers' and SPOCs' figures, charts and nudge
    add_page_routes(app, assets)
    return ctx
