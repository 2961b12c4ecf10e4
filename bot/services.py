"""What handlers need from the outside world, built once per process (bot/app.py) and injected."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from bot.answer_cache import AnswerCache, Card
from bot.routing import Routes
from config import Settings
from dialogs.runner import OwnerDialogs
from domain.localtime import local_date
from questions import Question, Vocabulary
from store.db.engine import make_engine, make_sessionmaker
from store.db.version import tracker_version
from store.queries.names import KnownNames

if TYPE_CHECKING:
    from bot.platform import Host

__all__ = ["BotServices", "CachedVocabulary", "OutboxBell", "VocabularyCache"]

T = TypeVar("T")


def transactions_on_threads(url: URL) -> bool:
    """Whether `BotServices.run` runs each store transaction whole on a worker thread (a sync session)
    rather than statement by statement through the async driver from the event loop.

    Yes for both backends, measured in one afternoon's mixes (bench/RESULTS.md, "a week's load"):
    - SQLite files: aiosqlite hops from the loop to its connection's thread and back for every
      statement, and a save is ~12 statements after BEGIN IMMEDIATE, so on a loop busy with 20 users
      the write lock was held for twelve waits for the loop and the other saves slept in SQLite's busy
      handler (88-90% of the database threads' busy time). On a thread the lock is held only while
      SQLite works: saves p50/p99 1300/4537 -> 86/417 ms.
    - PostgreSQL: each statement through psycopg's async driver was also a wait for the busy loop
      (and its send/recv ran on the loop), so a transaction stayed open for many loop turns. On a
      thread, mix B went from 0.8-1.0x to 1.8x the echo bot, saves p50 631-894 -> 166 ms: shorter
      transactions, as issue 19 asks, and the loop keeps only the HTTP work.
    Not for ':memory:' SQLite: a second engine would open another, empty database."""
    backend = url.get_backend_name()
    return backend == "postgresql" or (backend == "sqlite" and url.database not in (None, "", ":memory:"))


class OutboxBell:
    """Wakes this process's outbox sender when something was queued. The bell is part of the
    services from the start; the sender, started with the server (bot/outbox/hosts.py), hangs itself
    on it. Until then (tests, the command line) ringing does nothing: queued messages wait for a sender."""

    def __init__(self) -> None:
        self._wake: Callable[[], None] | None = None

    def connect(self, wake: Callable[[], None]) -> None:
        self._wake = wake

    def __call__(self) -> None:
        if self._wake is not None:
            self._wake()


@dataclass(frozen=True)
class CachedVocabulary:
    version: int  # the tracker's version read before its names were
    vocabulary: Vocabulary
    # (text, today) -> what parse() made of it with this vocabulary (bot/features/basics.py): parsing
    # is pure, and the same few questions are typed again and again; dropped with the vocabulary
    parsed: dict[tuple[str, date], Question] = field(default_factory=dict)
    names: KnownNames | None = None  # what it was built from: the same names again need no new one


class VocabularyCache:
    """The names questions may mention (bot/features/basics.py builds them), and the one rebuild
    running, if any. Kept while the tracker's version is the one it was read at."""

    def __init__(self) -> None:
        self.current: CachedVocabulary | None = None
        self.rebuild: asyncio.Task[CachedVocabulary] | None = None


@dataclass(frozen=True)
class BotServices:
    """Built once, with everything, by the app factory (bot/app.py); nothing is set on it afterwards.
    The caches it holds change inside, each keyed on the tracker's version (store/db/version.py)."""

    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    clock: Callable[[], datetime]
    routes: Routes = field(default_factory=Routes)  # who answers which intent and verb
    host: Host | None = None  # the Teams SDK behind bot/platform (proactive sends); None: sends nothing
    wake_outbox: OutboxBell = field(default_factory=OutboxBell)  # rung when something was queued
    owner_dialogs: OwnerDialogs = field(default_factory=OwnerDialogs)  # typed 'update ...'
    vocabulary: VocabularyCache = field(default_factory=VocabularyCache)  # the names questions may mention
    answers: AnswerCache | None = None  # cards kept while the tracker is unchanged; None: none kept

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
            version = await self.tracker_version()
        return await self.answers.card(version, key, build)

    async def tracker_version(self) -> int:
        """The tracker's version now, in one autocommit read (turns have it already: Turn.start)."""
        async with self.reader.connect() as conn:
            return await conn.run_sync(tracker_version)

    @cached_property
    def _thread_sessions(self) -> sessionmaker[Session]:
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

    @cached_property
    def transaction_engine(self) -> Engine | None:
        """The pooled sync engine `run` uses on worker threads, or None where it runs on the async
        engine (see `transactions_on_threads`). Same database, settings and pragmas as the async one."""
        engine: AsyncEngine = self.sessions.kw["bind"]
        if not transactions_on_threads(engine.url):
            return None
        # kept open between calls, one per worker thread at most (asyncio.to_thread's executor has
        # min(32, cores + 4) threads): connections are opened on demand, so pool_size only caps them
        return make_engine(engine.url.render_as_string(hide_password=False), pool_size=self.settings.database_pool_size)

    @cached_property
    def _transaction_sessions(self) -> sessionmaker[Session] | None:
        engine = self.transaction_engine
        return None if engine is None else make_sessionmaker(engine)

    def dispose(self) -> None:
        """Close the pooled connections `run` opened on threads, if it did (at shutdown)."""
        engine = self.__dict__.get("transaction_engine")
        if engine is not None:
            engine.dispose()

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a store function in one transaction: the bot's unit of work is one call. Committed when
        ``fn`` returns, rolled back if it raises; on SQLite files on a worker thread (see
        `transactions_on_threads`), elsewhere through the async session."""
        sessions = self._transaction_sessions
        if sessions is not None:

            def work() -> T:
                with sessions.begin() as session:
                    return fn(session, *args, **kwargs)

            return await asyncio.to_thread(work)
        async with self.sessions() as session:
            async with session.begin():
                return await session.run_sync(lambda sync_session: fn(sync_session, *args, **kwargs))
