"""Short leases renewed while held (issue 11): a sender that paces a batch for longer than its lease
keeps every claim, and a claim it lost is never sent by it."""

from __future__ import annotations

import asyncio
import shutil
from datetime import timedelta

import pytest

from bot.outbox.policy import RetryPolicy
from bot.outbox.settings import DEFAULT_LEASE, DEFAULT_TIMEOUT, LEASE_MARGIN, SenderSettings
from bot.outbox.worker import OutboxSender
from bot.platform import build_host as build_adapter
from bot.proactive import ProactiveSender
from bot.services import BotServices
from cli import build_parser
from config import Settings
from store.db.engine import make_async_engine, make_async_sessionmaker, make_engine, make_sessionmaker
from store.outbox.claims import claim_batch
from tests.bot.outbox_setup import migrated_template, outbox_statuses, seed_outbox, utc_now
from tests.fakes.connector import FakeConnector

TIMEOUT = 0.5


@pytest.fixture
async def setup(tmp_path):
    url = f"sqlite:///{shutil.copy(migrated_template(tmp_path), tmp_path / 'tracker.db')}"
    engine, async_engine = make_engine(url), make_async_engine(url)
    adapter = build_adapter(Settings())
    async with FakeConnector() as connector:
        yield (
            connector,
            make_sessionmaker(engine),
            BotServices(Settings(database_url=url), make_async_sessionmaker(async_engine), utc_now),
            adapter,
        )
    await adapter.close()
    await async_engine.dispose()
    engine.dispose()


def sender(services, adapter, **kw) -> OutboxSender:
    options = dict(
        rate=20,
        lease=timedelta(seconds=3),
        policy=RetryPolicy(base=0.05, cap=0.2),
        poll=0.05,
        progress_every=60.0,
        batch_size=40,
    )
    options.update(kw)
    return OutboxSender(
        services.run, ProactiveSender(adapter, timeout=TIMEOUT), settings=SenderSettings(**options), clock=utc_now
    )


async def test_a_batch_paced_for_longer_than_the_lease_keeps_its_claims(setup):
    connector, sessions, services, adapter = setup
    with sessions.begin() as s:
        cids = seed_outbox(s, 40, connector.service_url, utc_now())
    # 40 messages at 6.5/s: six seconds of pacing; claims last 5 s unless renewed (every 1.25 s)
    s = sender(services, adapter, rate=6.5, lease=timedelta(seconds=5))
    assert s.leases.renew_every < 5 - TIMEOUT - LEASE_MARGIN
    stats = await asyncio.wait_for(s.run(until_idle=True), 20)
    # without renewal the sender gives back what it cannot start with timeout + margin left
    assert (stats.claimed, stats.released, stats.sent) == (40, 0, 40)
    assert connector.delivered_counts() == {cid: 1 for cid in cids}
    with sessions() as s:
        assert outbox_statuses(s) == {"sent": 40}


async def test_a_claim_taken_over_after_the_lease_is_not_sent_by_the_first_sender(setup):
    connector, sessions, services, adapter = setup
    with sessions.begin() as s:
        seed_outbox(s, 3, connector.service_url, utc_now())
    first = sender(services, adapter, rate=1000)
    with sessions.begin() as s:  # what the first sender claimed, then "froze" past its lease
        claimed = claim_batch(s, first.worker_id, utc_now(), 3, timedelta(seconds=-1))  # already run out
    with sessions.begin() as s:  # another sender took the expired claims over
        assert len(claim_batch(s, "other", utc_now(), 3, timedelta(seconds=60))) == 3
    assert len(claimed) == 3
    first.leases.held.update(
        (m.id, m.locked_until + timedelta(seconds=60)) for m in claimed
    )  # it believes they are its
    renewer = asyncio.create_task(first.leases.keep())
    try:
        deadline = asyncio.get_running_loop().time() + 10
        while first.leases.held:  # the heartbeat finds the claims are someone else's
            assert asyncio.get_running_loop().time() < deadline, "the lost claims were never dropped"
            await asyncio.sleep(0.02)
    finally:
        renewer.cancel()
    await first._dispatch(claimed, asyncio.Event())
    assert first._tasks == set() and connector.delivered_counts() == {}
    with sessions() as s:
        assert outbox_statuses(s) == {"sending": 3}  # still the other sender's


def test_defaults_let_another_sender_take_over_within_30_seconds():
    """Issue 11: a killed sender's messages go out within 30 s of another sender running: the
    lease (plus the other's poll, 1 s) is the wait, and it must still outlast a send attempt."""
    assert 2 * DEFAULT_TIMEOUT + LEASE_MARGIN <= DEFAULT_LEASE.total_seconds() <= 28
    args = build_parser().parse_args(["worker"])
    assert (args.lease, args.timeout) == (DEFAULT_LEASE.total_seconds(), DEFAULT_TIMEOUT)
