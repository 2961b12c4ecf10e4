"""What handlers need from the outside world, built once per process and injected."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable, TypeVar

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm import Session

from config import Settings

__all__ = ["BotServices"]

T = TypeVar("T")


@dataclass
class BotServices:
    settings: Settings
    sessions: async_sessionmaker
    clock: Callable[[], datetime]
    # Optional collaborators that features add (the proactive sender, the outbox wake-up, ...).
    extras: dict[str, Any] = field(default_factory=dict)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.clock().date()

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a store function in one transaction: the bot's unit of work is one call."""
        async with self.sessions() as session:
            async with session.begin():
                return await session.run_sync(lambda sync_session: fn(sync_session, *args, **kwargs))

    async def read(self, fn: Callable[[Session], T]) -> T:
        return await self.run(fn)
