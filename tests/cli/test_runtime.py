"""The command line's runtime: today is the tracker's local date, and a bad zone is a clear error."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from cli.runtime import CommandError, Runtime
from config import Settings


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def test_cli_today_is_local_and_a_bad_zone_is_a_clear_error():
    late = lambda: utc(2027, 3, 31, 23, 30)  # noqa: E731
    assert Runtime(Settings(), clock=late).today() == date(2027, 4, 1)
    assert Runtime(Settings(timezone="UTC"), clock=late).today() == date(2027, 3, 31)
    with pytest.raises(CommandError, match="TRACKER_TIMEZONE"):
        Runtime(Settings(timezone="Nowhere/Else"), clock=late).today()
