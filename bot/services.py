"""What handlers need from the outside world, built once per process (bot/app.py) and injected."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool

from bot.answer_cache import AnswerCache, Card
from bot.routing import Routes
from config import Settings
from domain.localtime import local_date
from questions import Question, Vocabulary
from store.db.engine import make_engine, make_sessionmaker
from store.db.version import tracker_version
from store.queries.names import KnownNames

if TYPE_CHECKING:
    from bot.platform import Host
    from dialogs.runner import OwnerDialogs

__all__ = ["BotServices", "CachedVocabulary"]

T = TypeVar("T")


def _nothing_to_wake() -> None:
    """No outbox sender runs in this process (tests, the CLI): queued messages wait for one."""


@dataclass(frozen=True)
class CachedVocabulary:
    at: float  # time.monotonic() when it was read
    vocabulary: Vocabulary
    # (text, today) -> what parse() made of it with this vocabulary (bot/features/basics.py): parsing
    # is pure, and the same few questions are typed again and again; dropped with the vocabulary
    parsed: dict[tuple[str, date], Question] = field(default_factory=dict)
    names: KnownNames | None = None  # what it was built from: the same names again need no new one


@dataclass
class BotServices:
    settings: Settings
    sessions: async_sessionmaker
    clock: Callable[[], datetime]
    routes: Routes = field(default_factory=Routes)  # who answers which intent and verb
    host: Host | None = None  # set by bot/app.py: the Teams SDK behind bot/platform (proactive sends)
    wake_outbox: Callable[[], None] = _nothing_to_wake  # set when this process runs an outbox sender
    owner_dialogs: OwnerDialogs | None = None  # set by bot/app.py (typed 'update ...')
    vocabulary: CachedVocabulary | None = None  # the names questions may mention, briefly cached
    vocabulary_rebuild: asyncio.Task[CachedVocabulary] | None = None  # the one rebuild running, if any
    answers: AnswerCache | None = None  # set by bot/app.py: cards kept while the tracker is unchanged

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """Today in the tracker's time zone (TRACKER_TIMEZONE), not at UTC midnight."""
        return local_date(self.clock(), self.settings.zone)

    @cached_property
    def reader(self) -> AsyncEngine:
        """For single reads (the answer cache's version, dialog state): plain autocommit connections, no
        Session, no ORM; on PostgreSQL a transaction would add a BEGIN and a ROLLBACK round trip."""
        engine: AsyncEngine = self.sessions.kw["bind"]
        return engine.execution_options(isolation_level="AUTOCOMMIT")

    async def cached_card(
        self, key: Hashable, build: Callable[[], Awaitable[Card]], *, version: int | None = None
    ) -> Card:
        """The card ``build`` makes, or the one it made for ``key`` since the tracker last changed.
        ``version``: the tracker's version if this turn read it already, before anything it wrote."""
        if self.answers is None or self.answers.size <= 0:
            return await build()
        if version is None:
            async with self.reader.connect() as conn:
                version = await conn.run_sync(tracker_version)
        return await self.answers.card(version, key, build)

    @cached_property
    def _thread_sessions(self) -> sessionmaker:
        # no pool: the jobs run a few times an hour, and an idle pooled connection would outlive them
        return make_sessionmaker(make_engine(self.settings.database_url, poolclass=NullPool))

    async def run_in_thread(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Like `run`, on a worker thread with a connection of its own: for jobs whose SQL and ORM work
        (the schedules queueing reminders for thousands of owners) would hold up every turn on the
        event loop while it lasts. One transaction, as `run`."""

        def work() -> T:
            with self._thread_sessions.begin() as session:
                return fn(session, *args, **kwargs)

        return await asyncio.to_thread(work)

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a store function in one transaction: the bot's unit of work is one call."""
        async with self.sessions() as session:
            async with session.begin():
                return await session.run_sync(lambda sync_session: fn(sync_session, *args, **kwargs))
