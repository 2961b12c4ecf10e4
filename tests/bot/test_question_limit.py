"""Issue 10, point 6 (part): a question over 500 characters is refused before it is parsed."""

from __future__ import annotations

from datetime import datetime

import bot.features.basics as basics
from tests.cardcheck import assert_valid_cards
from tests.conftest import NOW
from tests.fakes.live_bot import LiveBot


def clock() -> datetime:
    return NOW


async def test_long_questions_are_refused_before_parsing(sqlite_url: str, monkeypatch) -> None:
    parsed: list[str] = []
    real_parse = basics.parse

    def recording_parse(text, *args, **kwargs):
        parsed.append(text)
        return real_parse(text, *args, **kwargs)

    monkeypatch.setattr(basics, "parse", recording_parse)
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        olivia = live.user("olivia")
        for text in ("overdue " * 63, "x" * 200_000):  # 504 characters; a pasted document
            reply = await live.say(olivia, text)
            [card] = reply.cards
            assert_valid_cards(card)
            assert "That question is too long" in reply.card_text() and "500 characters" in reply.card_text()
        assert parsed == []
        just_fits = ("overdue " * 63)[:500]
        reply = await live.say(olivia, just_fits)
        assert parsed == [just_fits.strip()] and "too long" not in reply.card_text()
