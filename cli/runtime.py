"""What every command needs: settings, the database and the clock, built once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import cached_property
from typing import Callable

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from config import Settings
from domain.localtime import local_date
from store.db.engine import make_engine, make_sessionmaker

__all__ = ["Runtime", "CommandError", "utc_now"]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class CommandError(Exception):
    """A problem the user can fix: printed without a traceback, with a non-zero exit code."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class Runtime:
    settings: Settings
    clock: Callable[[], datetime] = field(default=utc_now)

    @classmethod
    def from_env(cls) -> "Runtime":
        return cls(Settings.from_env())

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.database_url)

    @cached_property
    def sessions(self) -> sessionmaker:
        return make_sessionmaker(self.engine)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """Today in the tracker's time zone (TRACKER_TIMEZONE), not at UTC midnight."""
        try:
            zone = self.settings.zone
        except ValueError as err:  # a misconfigured zone is the operator's to fix, not a traceback
            raise CommandError(str(err)) from None
        return local_date(self.clock(), zone)

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
