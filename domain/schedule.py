"""When the tracker's own schedules fire: working days, the send window, reminder and nudge days.

Pure rules over local dates (domain/localtime.py turns the UTC clock into them). A job fires on a
working day (Monday to Friday, not an England & Wales bank holiday) between 09:00 and 17:00 local
time. A day that is not a working day moves to the last working day before it, so a reminder due
on a Saturday goes out on the Friday and nothing is skipped over a weekend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

__all__ = [
    "ScheduledSend",
    "CYCLE_REMINDERS",
    "DUE_NUDGES",
    "WEEKLY_DIGEST",
    "JOBS",
    "DEFAULT_REMINDER_DAYS",
    "NUDGE_DAYS_BEFORE",
    "WINDOW_START",
    "WINDOW_END",
    "BANK_HOLIDAYS",
    "is_working_day",
    "in_send_window",
    "next_working_day",
    "fires_on",
    "reminder_dates",
    "nudge_due_ranges",
    "is_digest_day",
    "jobs_due",
    "parse_reminder_days",
    "format_reminder_days",
    "MAX_REMINDER_DAYS",
]

CYCLE_REMINDERS, DUE_NUDGES, WEEKLY_DIGEST = "cycle_reminders", "due_nudges", "weekly_digest"
JOBS = (CYCLE_REMINDERS, DUE_NUDGES, WEEKLY_DIGEST)
DEFAULT_REMINDER_DAYS = (7, 2, 0)  # days before a cycle's deadline
NUDGE_DAYS_BEFORE = (14, 0)  # days before an action's effective due date
WINDOW_START, WINDOW_END = time(9, 0), time(17, 0)


@dataclass(frozen=True)
class ScheduledSend:
    """What one of the schedules will send on a day (store/cycles/schedules.py `upcoming`); the
    facts only: cards/schedules.py words them for Teams and the command line."""

    job: str  # CYCLE_REMINDERS | DUE_NUDGES | WEEKLY_DIGEST
    day: date
    cycle_id: int | None = None  # cycle reminders: which cycle
    deadline: date | None = None  # ... and its deadline
    actions: int = 0  # due-date nudges: how many actions they are about


MAX_REMINDER_DAYS = 90

# England & Wales bank holidays (gov.uk), substitute days included. A short list is enough: a
# missing year only means a bank holiday is treated as a working day.
BANK_HOLIDAYS = frozenset(
    date.fromisoformat(d)
    for d in (
        "2025-01-01",
        "2025-04-18",
        "2025-04-21",
        "2025-05-05",
        "2025-05-26",
        "2025-08-25",
        "2025-12-25",
        "2025-12-26",
        "2026-01-01",
        "2026-04-03",
        "2026-04-06",
        "2026-05-04",
        "2026-05-25",
        "2026-08-31",
        "2026-12-25",
        "2026-12-28",
        "2027-01-01",
        "2027-03-26",
        "2027-03-29",
        "2027-05-03",
        "2027-05-31",
        "2027-08-30",
        "2027-12-27",
        "2027-12-28",
        "2028-01-03",
        "2028-04-14",
        "2028-04-17",
        "2028-05-01",
        "2028-05-29",
        "2028-08-28",
        "2028-12-25",
        "2028-12-26",
    )
)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in BANK_HOLIDAYS


def in_send_window(local: datetime) -> bool:
    """`local` is wall-clock time in the tracker's zone (domain.localtime.local_now)."""
    return is_working_day(local.date()) and WINDOW_START <= local.time() < WINDOW_END


def next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def fires_on(day: date) -> date:
    """The working day on which something due on `day` is sent: that day or the last one before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def reminder_dates(deadline: date, days_before: tuple[int, ...], opened_on: date) -> list[date]:
    """The working days a cycle's reminders go out (none before the day it opened, none twice)."""
    found = {fires_on(deadline - timedelta(days=d)) for d in days_before}
    return sorted(d for d in found if d > opened_on)  # the request itself went out on the opening day


def nudge_due_ranges(day: date) -> list[tuple[int, date, date]]:
    """For the nudges sent on working day `day`: (days before, first due date, day after the last).
    Each due date falls in exactly one working day's range, so none is nudged twice or missed."""
    following = next_working_day(day)
    return [(before, day + timedelta(days=before), following + timedelta(days=before)) for before in NUDGE_DAYS_BEFORE]


def is_digest_day(day: date) -> bool:
    """The week's first working day (Monday, or later when Monday is a bank holiday)."""
    monday = day - timedelta(days=day.weekday())
    return is_working_day(day) and all(not is_working_day(monday + timedelta(days=i)) for i in range(day.weekday()))


def jobs_due(local: datetime) -> tuple[str, ...]:
    """The jobs that may run at local wall-clock time `local` (each still runs once a day)."""
    if not in_send_window(local):
        return ()
    return (CYCLE_REMINDERS, DUE_NUDGES) + ((WEEKLY_DIGEST,) if is_digest_day(local.date()) else ())


def parse_reminder_days(text: str | None) -> tuple[int, ...]:
    """'7,2,0' -> (7, 2, 0): days before the deadline. ValueError saying what to write."""
    if text is None or not str(text).strip():
        return DEFAULT_REMINDER_DAYS
    parts = [p.strip() for p in str(text).replace(";", ",").split(",") if p.strip()]
    if str(text).strip().lower() in ("none", "no", "off"):
        return ()
    if not all(p.isdigit() for p in parts):
        raise ValueError(
            f"reminder days '{text}' should be whole numbers of days before the deadline, "
            f"separated by commas, like 7,2,0 (or 'none')"
        )
    days = sorted({int(p) for p in parts}, reverse=True)
    if days and days[0] > MAX_REMINDER_DAYS:
        raise ValueError(
            f"a reminder {days[0]} days before the deadline is too early: "
            f"keep reminder days to {MAX_REMINDER_DAYS} or fewer"
        )
    return tuple(days)


def format_reminder_days(days: tuple[int, ...] | list[int]) -> str:
    return ",".join(str(d) for d in days) if days else "none"
