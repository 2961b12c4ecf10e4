"""Issue 10, point 6 (part): a question over 500 characters is refused before it is parsed; a message
over 2,000 characters (issue 20: the longest answer the bot reads is an evidence note) before the
dialogs see it, with a message naming that limit."""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

import bot.features.basics as basics
from store.db.models import Action, Person
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
        for text in ("overdue " * 63, "x" * 2000):  # 504 characters; the longest message read at all
            reply = await live.say(olivia, text)
            [card] = reply.cards
            assert_valid_cards(card)
            assert "That question is too long" in reply.card_text() and "500 characters" in reply.card_text()
        for text in ("x" * 2001, "x" * 200_000):  # a pasted document
            reply = await live.say(olivia, text)
            [card] = reply.cards
            assert_valid_cards(card)
            assert "That message is too long" in reply.card_text()
            assert "at most 2,000 characters" in reply.card_text() and "500" not in reply.card_text()
        assert parsed == []
        just_fits = ("overdue " * 63)[:500]
        reply = await live.say(olivia, just_fits)
        assert parsed == [just_fits.strip()] and "too long" not in reply.card_text()


async def test_an_evidence_note_longer_than_a_question_is_read_by_the_update_dialog(sqlite_url: str) -> None:
    """The message cap is the note's, not the question's: the dialog's answer of 1,500 characters is saved."""
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        olivia = live.user("olivia")
        ref = await live.services.run(_first_outstanding_of("olivia.owen@met.police.example"))
        await live.say(olivia, f"mark {ref} implemented")
        asked = await live.say(olivia, "yes")
        assert "What is the evidence" in asked.card_text()
        note = ("Policy published and briefed to every team. " * 40)[:1500].strip()
        reply = await live.say(olivia, note)
        assert "too long" not in reply.card_text()
        saved = await live.services.run(lambda s: s.scalar(select(Action.evidence_note).where(Action.ref == ref)))
        assert saved == note


def _first_outstanding_of(email: str) -> Callable[[Session], str | None]:
    return lambda session: session.scalar(
        select(Action.ref)
        .join(Person, Person.id == Action.owner_id)
        .where(Person.email == email, Action.status.in_(("open", "in progress")))
        .order_by(Action.ref)
    )
