"""What every command needs: settings, the database and the clock, built once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import cached_property
from typing import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from domain.localtime import local_date
from store.db.engine import make_engine, make_sessionmaker

__all__ = ["Runtime", "CommandError", "utc_now", "clock_on"]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def clock_on(day: date, zone: ZoneInfo, base: Callable[[], datetime] = utc_now) -> Callable[[], datetime]:
    """A clock whose local date is ``day`` when it is made, running on from there at the real pace.

    For loading a force's history and for rehearsals (``--today``, TRACKER_TODAY): what a command
    records is dated on that day, and the server's schedules, leases and timeouts still see time pass.
    The local wall time is kept, so the shifted instant is on ``day`` in the tracker's zone whatever
    summer time does between the two dates."""
    shift = day - local_date(base(), zone)

    def now() -> datetime:
        real = base().astimezone(zone)
        return datetime.combine(real.date() + shift, real.time(), tzinfo=zone).astimezone(timezone.utc)

    return now


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
        runtime = cls(Settings.from_env())
        if runtime.settings.today is not None:
            runtime.run_as_on(runtime.settings.today)
        return runtime

    def run_as_on(self, day: date) -> None:
        """Every command from now on runs as on ``day`` (``--today`` / TRACKER_TODAY)."""
        try:
            zone = self.settings.zone
        except ValueError as err:
            raise CommandError(str(err)) from None
        self.clock = clock_on(day, zone, self.clock)

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return make_sessionmaker(self.engine)

    def require_up_to_date(self) -> None:
        """The server and the workers refuse to start on a database older than the code (one check,
        one message, for every command that serves or sends)."""
        from store.db.migrate import is_up_to_date

        if not is_up_to_date(self.engine):
            raise CommandError("the database is not up to date: run `python app.py migrate` (or `make run`) first")

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
