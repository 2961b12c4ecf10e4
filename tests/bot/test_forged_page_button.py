"""Issue 25 finding 1: a forged page button names a kind of question that is never paged (help, my
actions, orphaned ...). It gets the stale-button card, one WARNING line and no traceback, never a 500."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import pytest

from domain.question import ANSWERED_INTENTS, Intent
from tests.conftest import NOW
from tests.fakes.live_bot import LiveBot

NOT_PAGED = sorted(i.value for i in Intent if i not in ANSWERED_INTENTS)


def clock() -> datetime:
    return NOW


@pytest.mark.parametrize(
    "q",
    [
        *({"intent": intent, "text": "x"} for intent in NOT_PAGED),
        {"intent": "overdue", "text": "x", "by": "everything"},
        {"intent": "overdue", "text": "x", "due_from": "31/02/2027"},
        {"intent": "overdue", "text": "x", "status": ["open"]},
        {"intent": ["overdue"], "text": "x"},
    ],
    ids=lambda q: "-".join(f"{k}={v}" for k, v in q.items() if k != "text"),
)
async def test_a_forged_page_button_gets_the_stale_card_and_one_warning(
    sqlite_url: str, caplog: pytest.LogCaptureFixture, q: dict[str, Any]
) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        caplog.clear()
        caplog.set_level(logging.INFO)
        reply = await live.click(live.user("colin"), "question.page", {"q": q, "page": 0})
    assert reply.status == 200
    assert "no longer" in reply.card_text()
    refused = [r for r in caplog.records if r.name == "bot.features.questions" and r.levelno == logging.WARNING]
    assert len(refused) == 1, caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert "Traceback" not in caplog.text
