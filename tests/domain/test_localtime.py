"""One local-time rule: the UTC clock -> the tracker's date, at the clock changes and the year's turn."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest

from domain.calendar import Quarter
from domain.localtime import local_date, local_now, local_to_utc, zone_named

LONDON = zone_named("Europe/London")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def test_late_on_31_march_in_summer_time_is_already_the_new_financial_year():
    # 31 March 2027 is in BST (the clocks went forward on Sunday 28 March)
    now = utc(2027, 3, 31, 23, 30)
    assert now.date() == date(2027, 3, 31)  # the UTC rule would still say Q4 of 2026/27
    assert local_date(now, LONDON) == date(2027, 4, 1)
    assert Quarter.containing(local_date(now, LONDON)).label == "2027/28 Q1"


def test_before_the_spring_change_london_is_utc():
    assert local_date(utc(2027, 3, 27, 23, 30), LONDON) == date(2027, 3, 27)


@pytest.mark.parametrize(
    "hour, minute, wall, offset_hours",
    [
        (0, 30, time(1, 30), 1),  # 00:30 UTC on 31 Oct 2027 is 01:30 BST (the first 01:30)
        (1, 30, time(1, 30), 0),  # 01:30 UTC is 01:30 GMT (the second 01:30: the clocks went back)
    ],
)
def test_autumn_clock_change(hour, minute, wall, offset_hours):
    local = local_now(utc(2027, 10, 31, hour, minute), LONDON)  # the last Sunday of October 2027
    assert local.time() == wall
    assert local.utcoffset().total_seconds() == offset_hours * 3600
    assert local.date() == date(2027, 10, 31)


def test_the_evening_before_the_autumn_change_is_already_the_next_day_locally():
    assert local_date(utc(2027, 10, 30, 23, 30), LONDON) == date(2027, 10, 31)


def test_local_wall_time_to_utc_on_both_sides_of_the_autumn_change():
    assert local_to_utc(date(2027, 10, 29), time(9), LONDON) == utc(2027, 10, 29, 8)  # BST
    assert local_to_utc(date(2027, 11, 1), time(9), LONDON) == utc(2027, 11, 1, 9)  # GMT


def test_naive_clock_values_are_utc():
    assert local_date(datetime(2027, 3, 31, 23, 30), LONDON) == date(2027, 4, 1)
