"""Background housekeeping while the server runs: half-finished dialogs do not pile up for ever."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any, AsyncIterator

from bot.services import BotServices
from observability.metrics import scheduled_job
from store.conversations.dialog_state import purge_states

__all__ = ["DIALOG_IDLE_LIMIT", "purge_idle_dialogs", "housekeeping_background"]

log = logging.getLogger(__name__)

# A conversation idle this long loses its half-finished dialog (the user simply starts again).
DIALOG_IDLE_LIMIT = timedelta(days=7)
_EVERY_SECONDS = 3600.0


async def purge_idle_dialogs(services: BotServices) -> int:
    removed = await services.run(purge_states, services.now() - DIALOG_IDLE_LIMIT)
    if removed:
        log.info("removed %d idle dialog state rows", removed)
    return removed


async def _loop(services: BotServices, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            with scheduled_job("purge_idle_dialogs"):
                await purge_idle_dialogs(services)
        except Exception:  # housekeeping must never take the server down; try again next hour
            log.warning("dialog housekeeping failed", exc_info=True)
        try:
            await asyncio.wait_for(stop.wait(), timeout=_EVERY_SECONDS)
        except asyncio.TimeoutError:
            pass


async def housekeeping_background(app: Any, services: BotServices) -> AsyncIterator[None]:
    """aiohttp cleanup context: started with the server, stopped with it."""
    stop = asyncio.Event()
    task = asyncio.create_task(_loop(services, stop), name="housekeeping")
    try:
        yield
    finally:
        stop.set()
        await task
