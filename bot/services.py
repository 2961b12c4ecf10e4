"""What handlers need from the outside world, built once per process (bot/app.py) and injected."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.routing import Routes
from config import Settings
from domain.localtime import local_date
from questions import Vocabulary

if TYPE_CHECKING:
    from bot.adapter import TrackerAdapter
    from dialogs.runner import OwnerDialogs

__all__ = ["BotServices", "CachedVocabulary"]

T = TypeVar("T")


def _nothing_to_wake() -> None:
    """No outbox sender runs in this process (tests, the CLI): queued messages wait for one."""


@dataclass(frozen=True)
class CachedVocabulary:
    at: float  # time.monotonic() when it was read
    vocabulary: Vocabulary


@dataclass
class BotServices:
    settings: Settings
    sessions: async_sessionmaker
    clock: Callable[[], datetime]
    routes: Routes = field(default_factory=Routes)  # who answers which intent and verb
    adapter: TrackerAdapter | None = None  # set by bot/app.py (proactive sends)
    wake_outbox: Callable[[], None] = _nothing_to_wake  # set when this process runs an outbox sender
    owner_dialogs: OwnerDialogs | None = None  # set by bot/app.py (typed 'update ...')
    vocabulary: CachedVocabulary | None = None  # the names questions may mention, briefly cached

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """Today in the tracker's time zone (TRACKER_TIMEZONE), not at UTC midnight."""
        return local_date(self.clock(), self.settings.zone)

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a store function in one transaction: the bot's unit of work is one call."""
        async with self.sessions() as session:
            async with session.begin():
                return await session.run_sync(lambda sync_session: fn(sync_session, *args, **kwargs))
