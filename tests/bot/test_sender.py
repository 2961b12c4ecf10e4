"""The outbox sender against the fake Bot Connector: pacing, 429 + Retry-After, 5xx, timeouts, 403/404,
statuses recorded, the progress card updated in place, and what happens in the one window left
(a crash after the connector accepted a message and before the outcome was written)."""

from __future__ import annotations

import asyncio
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.outbox.policy import RetryPolicy
from bot.outbox.settings import SenderSettings
from bot.outbox.worker import OutboxSender
from bot.platform import build_host as build_adapter
from bot.proactive import ProactiveSender
from bot.services import BotServices
from config import Settings
from domain.delivery import IN_DOUBT
from domain.permissions import operator_viewer
from store.cycles.lifecycle import CycleScope, set_progress_target, start_cycle
from store.db.engine import make_async_engine, make_async_sessionmaker, make_engine, make_sessionmaker
from store.db.models import OutboxMessage
from store.outbox.claims import claim_batch
from store.updates.support import mark_cycle_response
from tests.bot.outbox_setup import migrated_template, outbox_statuses, seed_outbox, utc_now
from tests.fakes.connector import FakeConnector
from tests.fakes.live_bot import card_text
from tests.store.cycle_tracker import build, reference

FAST = RetryPolicy(base=0.05, factor=2.0, cap=0.2, max_attempts=4)


@pytest.fixture
async def connector():
    async with FakeConnector() as fake:
        yield fake


@pytest.fixture
async def adapter():
    adapter = build_adapter(Settings())
    yield adapter
    await adapter.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """Migrate once per module; each test gets a copy (a migration costs about a second)."""
    return migrated_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def sqlite_url(tmp_path, template) -> str:
    shutil.copy(template, tmp_path / "tracker.db")
    return f"sqlite:///{tmp_path / 'tracker.db'}"


@pytest.fixture
def sqlite_engine(sqlite_url):
    engine = make_engine(sqlite_url)
    yield engine
    engine.dispose()


@pytest.fixture
async def services(sqlite_url, sqlite_engine):
    engine = make_async_engine(sqlite_url)
    yield BotServices(
        settings=Settings(database_url=sqlite_url), sessions=make_async_sessionmaker(engine), clock=utc_now
    )
    await engine.dispose()


@pytest.fixture
def sessions(sqlite_engine):
    return make_sessionmaker(sqlite_engine)


def seed(sessions, connector, n, **kw) -> list[str]:
    with sessions.begin() as s:
        return seed_outbox(s, n, connector.service_url, utc_now(), **kw)


def sender(services, adapter, *, timeout=2.0, **kw) -> OutboxSender:
    options = dict(rate=200, lease=timedelta(seconds=10), policy=FAST, poll=0.05, progress_every=0.0)
    options.update(kw)
    return OutboxSender(
        services.run, ProactiveSender(adapter, timeout=timeout), settings=SenderSettings(**options), clock=utc_now
    )


async def drain(s: OutboxSender, timeout: float = 20.0):
    return await asyncio.wait_for(s.run(until_idle=True), timeout)


def rows(sessions) -> dict[str, OutboxMessage]:
    with sessions() as s:
        return {m.dedupe_key: m for m in s.scalars(select(OutboxMessage))}


async def test_each_recipient_gets_one_card_and_the_outcome_is_recorded(services, adapter, connector, sessions):
    cids = seed(sessions, connector, 12)
    stats = await drain(sender(services, adapter))
    assert stats.sent == 12 and stats.claimed == 12
    assert connector.delivered_counts() == {cid: 1 for cid in cids}
    card = connector.cards(cids[0])[0]
    assert "Update request" in card_text(card) and "ACT-0" in card_text(card)
    stored = rows(sessions)["test:p:0"]
    assert (stored.status, stored.attempts, stored.last_status) == ("sent", 1, 200)
    assert stored.activity_id == connector.activities(cids[0])[0]["id"] and stored.sent_at is not None
    assert stored.locked_by is None


async def test_429_honours_retry_after_and_pauses_all_sends(services, adapter, connector, sessions):
    cids = seed(sessions, connector, 3)
    connector.fail(cids[0], [429], retry_after=0.6)
    stats = await drain(sender(services, adapter, rate=5, burst=1))
    assert stats.throttled == 1 and stats.sent == 3
    first, second = connector.records(cids[0])
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 0.6  # never sooner than Retry-After
    others = [r for cid in cids[1:] for r in connector.records(cid)]
    assert all(r.at >= first.at + 0.55 for r in others)  # the whole app waited, not just that message
    assert connector.delivered_counts() == {cid: 1 for cid in cids}
    assert rows(sessions)["test:p:0"].attempts == 2


async def test_transient_failures_retry_with_backoff_then_succeed_or_give_up(services, adapter, connector, sessions):
    cids = seed(sessions, connector, 3)
    connector.fail(cids[0], [503, 502, 412])
    connector.fail(cids[1], [504] * 10)
    stats = await drain(sender(services, adapter))
    got = rows(sessions)
    assert (got["test:p:0"].status, got["test:p:0"].attempts) == ("sent", 4)
    assert [r.status for r in connector.records(cids[0])] == [503, 502, 412, 200]
    gaps = [b.at - a.at for a, b in zip(connector.records(cids[0]), connector.records(cids[0])[1:])]
    assert all(g >= 0.025 for g in gaps)  # backed off (half the step at least), never hammered
    assert (got["test:p:1"].status, got["test:p:1"].last_status) == ("failed", 504)
    assert got["test:p:1"].last_error.startswith("gave up after 4 attempts: HTTP 504")
    assert len(connector.records(cids[1])) == 4
    assert got["test:p:2"].status == "sent" and stats.failed == 1


async def test_blocked_and_missing_conversations_are_final_and_not_retried(services, adapter, connector, sessions):
    cids = seed(sessions, connector, 3)
    connector.block(cids[0])
    connector.missing(cids[1])
    await drain(sender(services, adapter))
    got = rows(sessions)
    assert (got["test:p:0"].status, got["test:p:0"].last_status) == ("failed", 403)
    assert "blocked or removed the bot" in got["test:p:0"].last_error
    assert (got["test:p:1"].status, got["test:p:1"].last_status) == ("failed", 404)
    assert len(connector.records(cids[0])) == len(connector.records(cids[1])) == 1
    assert got["test:p:2"].status == "sent"


async def test_people_without_a_conversation_are_recorded_not_installed(services, adapter, connector, sessions):
    seed(sessions, connector, 2, prefix="gone", installed=False)
    stats = await drain(sender(services, adapter))
    assert stats.not_installed == 2 and connector.records() == []
    assert outbox_statuses(sessions()) == {"not_installed": 2}


async def test_a_timeout_is_retried(services, adapter, connector, sessions):
    """A timed-out send is in doubt: it is retried. When the first attempt did arrive late (as the
    fake does, like the real service can), the owner sees it twice: the documented window."""
    [cid] = seed(sessions, connector, 1)
    connector.delay(cid, 0.5)
    run = asyncio.create_task(drain(sender(services, adapter, timeout=0.2, policy=RetryPolicy(base=1.0, cap=1.0))))
    while not connector.records(cid):
        await asyncio.sleep(0.01)
    connector.delay(cid, 0)  # the service recovers
    await run
    stored = rows(sessions)["test:p:0"]
    assert (stored.status, stored.attempts) == ("sent", 2)
    assert [r.status for r in connector.records(cid)] == [200, 200]  # the late first one, and the retry


async def test_a_rate_ceiling_is_respected_with_no_duplicates_or_losses(services, adapter, sessions):
    async with FakeConnector(rate_limit=25, burst=5) as connector:
        cids = seed(sessions, connector, 40)
        started = asyncio.get_running_loop().time()
        stats = await drain(sender(services, adapter, rate=100))
        elapsed = asyncio.get_running_loop().time() - started
        assert connector.delivered_counts() == {cid: 1 for cid in cids}
        assert stats.throttled >= 1 and outbox_statuses(sessions()) == {"sent": 40}
        assert elapsed >= (40 - 5) / 25 * 0.9  # the ceiling held


async def test_progress_card_is_updated_in_place(services, adapter, connector, sessions):
    with sessions.begin() as s:
        t = build(s, utc_now().date())
        for key in ("olivia", "laura", "amelia"):
            t.install(key, connector.service_url)
        cycle = start_cycle(
            s,
            operator_viewer("grace"),
            scope=CycleScope(),
            deadline=t.today + timedelta(days=7),
            message=None,
            now=utc_now(),
            today=t.today,
        ).cycle_id
    grace = reference(connector.service_url, "grace")
    first = await ProactiveSender(adapter).send(grace, {"type": "AdaptiveCard", "version": "1.5", "body": []})
    with sessions.begin() as s:
        set_progress_target(s, cycle, grace, first.activity_id)
    await drain(sender(services, adapter))
    updates = [r for r in connector.records("a:personal-grace") if r.kind == "update"]
    assert updates and updates[-1].activity_id == first.activity_id
    text = card_text(updates[-1].activity["attachments"][0]["content"])
    assert "Requests sent\n3 of 4" in text and "Not installed\n1" in text and "Responded\n0 of 6 (0%)" in text
    with sessions.begin() as s:
        mark_cycle_response(s, "action_id", t.action("MET-1").id, utc_now())
    await drain(sender(services, adapter))
    text = card_text(
        [r for r in connector.records("a:personal-grace") if r.kind == "update"][-1].activity["attachments"][0][
            "content"
        ]
    )
    assert "Responded\n1 of 6 (17%)" in text
    assert len([r for r in connector.records("a:personal-grace") if r.kind == "send"]) == 1  # in place


async def test_a_crash_between_acceptance_and_record_sends_again_after_the_lease(
    services, adapter, connector, sessions
):
    """The remaining window, shown: the connector accepted the message, the worker died before
    mark_sent committed. After the lease the message is in doubt and is sent again (at least once,
    never lost), and the outbox says so."""
    [cid] = seed(sessions, connector, 1)
    with sessions.begin() as s:
        [claimed] = claim_batch(s, "doomed", utc_now(), 10, timedelta(seconds=1))
    await ProactiveSender(adapter).send(claimed.reference, {"type": "AdaptiveCard", "version": "1.5", "body": []})
    # ...the worker is killed here, before recording the outcome
    await asyncio.sleep(1.1)
    await drain(sender(services, adapter))
    stored = rows(sessions)["test:p:0"]
    assert stored.status == "sent" and stored.attempts == 2 and stored.last_error == IN_DOUBT
    assert connector.delivered_counts()[cid] == 2


async def test_cancelled_at_a_hard_point_resumes_exactly_once(services, adapter, connector, sessions):
    """Stopped after claiming a batch and sending part of it: the unsent part is released (or, if
    the process died, reclaimed after the lease) and nobody gets a second message."""
    cids = seed(sessions, connector, 30)
    stop = asyncio.Event()
    first = sender(services, adapter, rate=20, batch_size=30)
    task = asyncio.create_task(first.run(stop))
    await connector.wait_for(10)
    stop.set()
    first.wake()
    stats = await asyncio.wait_for(task, 10)
    assert stats.released > 0 and 10 <= stats.sent < 30
    await drain(sender(services, adapter))
    assert connector.delivered_counts() == {cid: 1 for cid in cids}
    assert outbox_statuses(sessions()) == {"sent": 30}
