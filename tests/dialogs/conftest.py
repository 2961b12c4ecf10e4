"""Services for dialog tests: the bot's BotServices over an async engine on each test database."""

from __future__ import annotations

from datetime import datetime
from typing import AsyncIterator

import pytest
from sqlalchemy import Engine

from bot.services import BotServices
from config import Settings
from store.db.engine import make_async_engine, make_async_sessionmaker


@pytest.fixture
async def services(engine: Engine, database_url: str, now: datetime) -> AsyncIterator[BotServices]:
    """``engine`` has migrated the database; the dialogs reach it the way the bot does."""
    async_engine = make_async_engine(database_url)
    yield BotServices(
        settings=Settings(database_url=database_url), sessions=make_async_sessionmaker(async_engine), clock=lambda: now
    )
    await async_engine.dispose()
