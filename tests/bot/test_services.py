"""The bot's collaborators: today is the tracker's local date, as for the command line."""

from __future__ import annotations

from datetime import date, datetime, timezone

from bot.services import BotServices
from config import Settings


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def test_bot_today_is_local():
    services = BotServices(settings=Settings(), sessions=None, clock=lambda: utc(2027, 3, 31, 23, 30))
    assert services.today() == date(2027, 4, 1)
