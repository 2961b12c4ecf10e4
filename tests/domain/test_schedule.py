"""When the tracker's own schedules fire: working days, the send window, reminder and nudge days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from domain.schedule import (
    CYCLE_REMINDERS,
    DEFAULT_REMINDER_DAYS,
    DUE_NUDGES,
    NUDGE_DAYS_BEFORE,
    WEEKLY_DIGEST,
    fires_on,
    format_reminder_days,
    in_send_window,
    is_digest_day,
    is_working_day,
    jobs_due,
    next_working_day,
    nudge_due_ranges,
    parse_reminder_days,
    reminder_dates,
)

THURSDAY = date(2026, 11, 26)
CHRISTMAS = date(2026, 12, 25)  # a Friday; Monday 28 December is the substitute Boxing Day


def test_working_days_are_weekdays_that_are_not_bank_holidays() -> None:
    assert is_working_day(THURSDAY)
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert not is_working_day(CHRISTMAS) and not is_working_day(date(2026, 12, 28))


@pytest.mark.parametrize(
    "at, inside", [(time(8, 59), False), (time(9, 0), True), (time(16, 59), True), (time(17, 0), False)]
)
def test_the_send_window_is_nine_to_five_on_a_working_day(at: time, inside: bool) -> None:
    assert in_send_window(datetime.combine(THURSDAY, at)) is inside
    assert not in_send_window(datetime.combine(date(2026, 11, 28), at))


def test_over_christmas_the_next_working_day_skips_the_holidays_and_the_weekend() -> None:
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)
    assert next_working_day(THURSDAY) == date(2026, 11, 27)


def test_something_due_on_a_day_off_goes_out_the_working_day_before() -> None:
    assert fires_on(THURSDAY) == THURSDAY
    assert fires_on(date(2026, 11, 29)) == date(2026, 11, 27)  # Sunday -> Friday
    assert fires_on(date(2026, 12, 28)) == date(2026, 12, 24)  # bank holiday Monday -> Thursday


def test_reminders_fall_on_working_days_after_the_opening_day_each_once() -> None:
    deadline = date(2026, 12, 10)  # a Thursday
    assert reminder_dates(deadline, DEFAULT_REMINDER_DAYS, THURSDAY) == [
        date(2026, 12, 3),
        date(2026, 12, 8),
        date(2026, 12, 10),
    ]
    assert reminder_dates(deadline, DEFAULT_REMINDER_DAYS, date(2026, 12, 3)) == [date(2026, 12, 8), deadline]
    # Saturday and Sunday both move to Friday: one reminder, not two
    assert reminder_dates(date(2026, 12, 7), (2, 1), THURSDAY) == [date(2026, 12, 4)]
    assert reminder_dates(deadline, (), THURSDAY) == []


def test_nudges_cover_every_due_date_once_across_weekends_and_holidays() -> None:
    assert nudge_due_ranges(date(2026, 11, 27)) == [
        (14, date(2026, 12, 11), date(2026, 12, 14)),
        (0, date(2026, 11, 27), date(2026, 11, 30)),
    ]
    day, ends = date(2026, 11, 2), {before: None for before in NUDGE_DAYS_BEFORE}
    while day < date(2027, 1, 31):
        if is_working_day(day):
            for before, first, after in nudge_due_ranges(day):
                assert ends[before] in (None, first), f"gap or overlap before {first} ({before} days)"
                ends[before] = after
        day += timedelta(days=1)


def test_the_digest_goes_on_the_first_working_day_of_the_week() -> None:
    assert is_digest_day(date(2026, 11, 30))  # Monday
    assert not is_digest_day(date(2026, 12, 1))
    assert not is_digest_day(date(2026, 12, 28)) and is_digest_day(date(2026, 12, 29))  # bank holiday Monday
    assert is_digest_day(date(2027, 3, 30))  # the Tuesday after Easter Monday


def test_the_jobs_due_at_a_moment() -> None:
    assert jobs_due(datetime(2026, 11, 30, 10)) == (CYCLE_REMINDERS, DUE_NUDGES, WEEKLY_DIGEST)
    assert jobs_due(datetime(2026, 11, 26, 10)) == (CYCLE_REMINDERS, DUE_NUDGES)
    assert jobs_due(datetime(2026, 11, 26, 18)) == ()
    assert jobs_due(datetime(2026, 11, 28, 10)) == ()


@pytest.mark.parametrize(
    "text, days",
    [(None, DEFAULT_REMINDER_DAYS), ("", DEFAULT_REMINDER_DAYS), ("7,2,0", (7, 2, 0)), ("0; 2, 7, 2", (7, 2, 0))],
)
def test_reminder_days_are_read_largest_first_without_repeats(text: str | None, days: tuple[int, ...]) -> None:
    assert parse_reminder_days(text) == days


def test_no_reminders_at_all_and_what_is_refused() -> None:
    assert parse_reminder_days("none") == () and parse_reminder_days("OFF") == ()
    assert parse_reminder_days("90") == (90,)
    with pytest.raises(ValueError, match="whole numbers of days before the deadline"):
        parse_reminder_days("seven, -1")
    with pytest.raises(ValueError, match="keep reminder days to 90 or fewer"):
        parse_reminder_days("91,7")


def test_reminder_days_are_written_back_as_they_are_read() -> None:
    assert format_reminder_days((7, 2, 0)) == "7,2,0" and format_reminder_days(()) == "none"
    for text in ("7,2,0", "none", "14"):
        assert format_reminder_days(parse_reminder_days(text)) == text
