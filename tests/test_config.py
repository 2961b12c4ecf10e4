"""Settings read from the environment: the tracker's time zone (London unless TRACKER_TIMEZONE says
otherwise), and a zone that does not exist stops the start with the variable named."""

from __future__ import annotations

from config import Settings


def test_settings_read_tracker_timezone_with_london_by_default():
    assert Settings.from_env({}).timezone == "Europe/London"
    assert Settings.from_env({"TRACKER_TIMEZONE": "Asia/Tokyo"}).zone.key == "Asia/Tokyo"


def test_an_unknown_zone_is_a_startup_problem_naming_the_variable():
    problem = Settings(timezone="Mars/Olympus").startup_problem()
    assert problem and "TRACKER_TIMEZONE" in problem and "Europe/London" in problem
