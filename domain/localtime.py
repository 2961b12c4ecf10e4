"""The one rule that turns the injected UTC clock into the tracker's local time.

"Today", overdue, quarters, report days and send windows are all decided in one time zone
(Settings.timezone, TRACKER_TIMEZONE, default Europe/London), never at UTC midnight: at 23:30 UTC
on 31 March in British Summer Time it is already 1 April in London, a new financial year.
Pure: the zone is passed in, the clock is passed in.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["DEFAULT_TIMEZONE", "zone_named", "local_now", "local_date", "local_to_utc"]

DEFAULT_TIMEZONE = "Europe/London"


@lru_cache(maxsize=16)
def zone_named(name: str) -> ZoneInfo:
    """The IANA zone called `name`; ValueError saying what to set when there is none."""
    try:
        return ZoneInfo((name or "").strip())
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(
            f"TRACKER_TIMEZONE '{name}' is not a time zone: use an IANA name such as Europe/London"
        ) from None


def _aware(now: datetime) -> datetime:
    # The clock gives UTC; a naive value (SQLite hands stored times back naive) is UTC too.
    return now.replace(tzinfo=timezone.utc) if now.tzinfo is None else now


def local_now(now: datetime, zone: ZoneInfo) -> datetime:
    """The wall-clock time in `zone` at the instant `now`."""
    return _aware(now).astimezone(zone)


def local_date(now: datetime, zone: ZoneInfo) -> date:
    """The tracker's "today" at the instant `now`."""
    return local_now(now, zone).date()


def local_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock `at` on `day` in `zone` (a time skipped by the spring change
    moves forward; one repeated in autumn is its first occurrence)."""
    wall = datetime.combine(day, at, tzinfo=zone)
    return wall.astimezone(timezone.utc)
