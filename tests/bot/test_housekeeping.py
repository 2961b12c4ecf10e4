"""Idle dialog state is removed; live conversations keep theirs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, select

from bot.housekeeping import DIALOG_IDLE_LIMIT, purge_idle_dialogs
from bot.services import BotServices
from config import Settings
from store.db.engine import make_async_engine, make_async_sessionmaker, make_sessionmaker
from store.db.models import DialogState
from tests.conftest import NOW


async def test_idle_dialogs_are_purged(database_url: str, engine: Engine) -> None:
    with make_sessionmaker(engine).begin() as s:
        s.add(DialogState(key="old", data={}, etag=1, updated_at=NOW - DIALOG_IDLE_LIMIT - timedelta(hours=1)))
        s.add(DialogState(key="live", data={}, etag=1, updated_at=NOW - timedelta(hours=1)))
    async_engine = make_async_engine(database_url)
    services = BotServices(Settings(database_url=database_url), make_async_sessionmaker(async_engine), lambda: NOW)
    try:
        assert await purge_idle_dialogs(services) == 1
    finally:
        await async_engine.dispose()
    with make_sessionmaker(engine)() as s:
        assert list(s.scalars(select(DialogState.key))) == ["live"]
