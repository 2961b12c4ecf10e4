"""The progress card stops being updated (issue 24 point 5): a closed cycle's card once it shows the
cycle closed, and a card that keeps failing after a few tries spaced ever further apart, with one
warning instead of a line every few seconds for ever."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from bot.outbox.progress import MAX_FAILURES, ProgressCards
from bot.proactive import SendResult
from domain.permissions import operator_viewer
from store.cycles.lifecycle import CycleScope, close_cycle, set_progress_target, start_cycle
from store.db.engine import make_sessionmaker
from tests.store.cycle_tracker import build, reference

NOW = datetime(2026, 12, 6, 10, 0, tzinfo=timezone.utc)
EVERY = 5.0


class Client:
    """The proactive sender's update: fails while `away`; records each try."""

    def __init__(self) -> None:
        self.away, self.tries = False, 0

    async def update(self, conversation, activity_id, card) -> SendResult:
        self.tries += 1
        if self.away:
            return SendResult(ok=False, status=None, error="connection error")
        return SendResult(ok=True, status=200, activity_id=activity_id)


class Bucket:
    async def acquire(self) -> None:
        return None

    def pause(self, seconds: float) -> None:
        raise AssertionError("no 429 in these tests")


@pytest.fixture
def cards(sqlite_engine):
    sessions = make_sessionmaker(sqlite_engine)
    with sessions.begin() as s:
        t = build(s, NOW.date())
        cycle = start_cycle(
            s,
            operator_viewer("grace"),
            scope=CycleScope(),
            deadline=NOW.date() + timedelta(days=7),
            message=None,
            now=NOW,
            today=t.today,
        ).cycle_id
        set_progress_target(s, cycle, reference("https://connector.test", "grace"), "activity-1")

    async def run(fn, *args):
        with sessions.begin() as s:
            return fn(s, *args)

    clock = SimpleNamespace(now=0.0)
    client = Client()
    progress = ProgressCards(
        run,
        client,
        Bucket(),
        SimpleNamespace(reserve=lambda conversation_id: 0.0),
        clock=lambda: NOW,
        every=EVERY,
        stats=SimpleNamespace(progress_updates=0),
        monotonic=lambda: clock.now,
    )
    return SimpleNamespace(progress=progress, client=client, clock=clock, sessions=sessions, cycle=cycle)


async def _every_5_s_for(c, seconds: float) -> None:
    """The sender's loop: refresh every 5 s of the injected clock."""
    for _ in range(int(seconds // EVERY)):
        c.clock.now += EVERY
        await c.progress.refresh()


async def test_a_card_that_keeps_failing_is_tried_less_and_less_then_given_up(cards, caplog):
    cards.client.away = True
    with caplog.at_level(logging.INFO, logger="bot.outbox.progress"):
        await _every_5_s_for(cards, 3600)  # an hour of a client gone away
    assert cards.client.tries == MAX_FAILURES  # not 720 tries, one every 5 s
    lines = [r for r in caplog.records if r.name == "bot.outbox.progress"]
    assert len(lines) == MAX_FAILURES and lines[-1].levelno == logging.WARNING and "given up" in lines[-1].message
    waits = [float(r.message.rsplit("again in ", 1)[1].split()[0]) for r in lines[:-1]]
    assert waits == sorted(waits) and waits[0] >= 2 * EVERY and len(set(waits)) == len(waits)


async def test_a_card_that_recovers_is_updated_again(cards):
    cards.client.away = True
    await _every_5_s_for(cards, 5)
    cards.client.away = False
    await _every_5_s_for(cards, 60)
    assert cards.client.tries == 2 and cards.progress.stats.progress_updates == 1


async def test_a_closed_cycles_card_shows_it_closed_once_and_is_left_alone(cards):
    await _every_5_s_for(cards, 5)
    with cards.sessions.begin() as s:
        close_cycle(s, operator_viewer("grace"), now=NOW, cycle_id=cards.cycle)
    await _every_5_s_for(cards, 600)
    assert cards.client.tries == 2  # open, then closed; nothing after
    cards.progress._shown.clear()  # even if the figures it showed were forgotten
    await _every_5_s_for(cards, 300)
    assert cards.client.tries == 2
