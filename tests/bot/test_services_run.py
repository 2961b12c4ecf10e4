"""BotServices.run: one store call is one transaction, wherever it runs (a worker thread with a sync session,
except for SQLite in memory), committed when the function returns and rolled back when it raises."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.services import BotServices, transactions_on_threads
from config import Settings
from store.db.engine import make_async_engine, make_async_sessionmaker
from store.db.models import BusinessGroup


@pytest.fixture
async def services(engine, database_url: str) -> AsyncIterator[BotServices]:  # noqa: ANN001
    async_engine = make_async_engine(database_url)
    services = BotServices(
        settings=Settings(database_url=database_url), sessions=make_async_sessionmaker(async_engine), clock=datetime.now
    )
    yield services
    services.dispose()
    await async_engine.dispose()


def _count(engine, name: str | None = None) -> int:  # noqa: ANN001
    query = select(func.count()).select_from(BusinessGroup)
    if name is not None:
        query = query.where(BusinessGroup.name == name)
    with engine.connect() as conn:
        return conn.scalar(query)


def test_threads_except_for_sqlite_in_memory() -> None:
    assert transactions_on_threads(make_url("sqlite+aiosqlite:////var/lib/tracker/tracker.db"))
    assert not transactions_on_threads(make_url("sqlite+aiosqlite://"))
    assert not transactions_on_threads(make_url("sqlite+aiosqlite:///:memory:"))
    assert transactions_on_threads(make_url("postgresql+psycopg://tracker@db/tracker"))


async def test_a_call_is_one_committed_transaction(services: BotServices, engine) -> None:  # noqa: ANN001
    loop_thread = threading.get_ident()

    def add_groups(session: Session, *names: str, then_count: bool) -> tuple[int, int]:
        for name in names:
            session.add(BusinessGroup(name=name))
            session.flush()
        # the same transaction sees its own rows before the commit
        return threading.get_ident(), session.scalar(select(func.count()).select_from(BusinessGroup))

    before = _count(engine)
    thread, counted = await services.run(add_groups, "Cyber Crime", "Roads Policing", then_count=True)
    assert counted == before + 2
    assert _count(engine) == before + 2  # committed: another connection sees both rows
    assert thread != loop_thread  # the loop is free for other turns meanwhile
    assert services.transaction_engine is not None


async def test_an_error_rolls_back_the_whole_call(services: BotServices, engine) -> None:  # noqa: ANN001
    def add_then_fail(session: Session) -> None:
        session.add(BusinessGroup(name="Never One"))
        session.flush()
        session.add(BusinessGroup(name="Never Two"))
        session.flush()
        raise LookupError("the store function failed")

    with pytest.raises(LookupError, match="the store function failed"):
        await services.run(add_then_fail)
    assert _count(engine, "Never One") == 0
    assert _count(engine, "Never Two") == 0

    def duplicate(session: Session) -> None:  # the database refuses it: still nothing half-written
        session.add(BusinessGroup(name="Twice"))
        session.flush()
        session.add(BusinessGroup(name="Twice"))
        session.flush()

    with pytest.raises(Exception):  # noqa: B017 -- the driver's IntegrityError, either backend
        await services.run(duplicate)
    assert _count(engine, "Twice") == 0
    await services.run(lambda session: session.add(BusinessGroup(name="After The Errors")))  # the pool still works
    assert _count(engine, "After The Errors") == 1


async def test_concurrent_writers_all_commit(services: BotServices, engine) -> None:  # noqa: ANN001
    """Twenty turns saving at once (the bench's mix B): each waits its turn for the write lock, none fails."""
    before = _count(engine)

    def add_and_read(session: Session, name: str) -> int:
        session.add(BusinessGroup(name=name))
        session.flush()
        return session.scalar(select(func.count()).select_from(BusinessGroup).where(BusinessGroup.name == name))

    seen = await asyncio.gather(*(services.run(add_and_read, f"Group {n:02d}") for n in range(20)))
    assert seen == [1] * 20
    assert _count(engine) == before + 20
