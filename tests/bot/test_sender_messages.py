"""The worker reads each row through domain/messages.py: a row in today's JSON shape is sent, a kind
it does not know or a payload it cannot read is marked failed with a code and one logged error,
and the rest of the batch goes out (the sender never stops on a bad row)."""

from __future__ import annotations

import asyncio
import logging
import shutil
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.outbox.policy import RetryPolicy
from bot.outbox.settings import SenderSettings
from bot.outbox.worker import OutboxSender
from bot.platform import build_host
from bot.proactive import ProactiveSender
from bot.services import BotServices
from config import Settings
from domain.delivery import UNKNOWN_KIND, UNREADABLE
from store.db.engine import make_async_engine, make_async_sessionmaker, make_engine, make_sessionmaker
from store.db.models import OutboxMessage
from tests.bot.outbox_setup import migrated_template, seed_outbox, utc_now
from tests.fakes.connector import FakeConnector
from tests.fakes.live_bot import card_text


@pytest.fixture
async def setup(tmp_path):
    url = f"sqlite:///{shutil.copy(migrated_template(tmp_path), tmp_path / 'tracker.db')}"
    engine, async_engine = make_engine(url), make_async_engine(url)
    host = build_host(Settings())
    async with FakeConnector() as connector:
        yield (
            connector,
            make_sessionmaker(engine),
            BotServices(Settings(database_url=url), make_async_sessionmaker(async_engine), utc_now),
            host,
        )
    await host.close()
    await async_engine.dispose()
    engine.dispose()


def _sender(services: BotServices, host: object) -> OutboxSender:
    settings = SenderSettings(rate=200, lease=timedelta(seconds=10), policy=RetryPolicy(base=0.05), poll=0.05)
    return OutboxSender(services.run, ProactiveSender(host, timeout=2.0), settings=settings, clock=utc_now)


async def test_unknown_kinds_and_unreadable_rows_fail_with_a_code_and_the_rest_are_sent(setup, caplog):
    connector, sessions, services, host = setup
    with sessions.begin() as s:
        cids = seed_outbox(s, 3, connector.service_url, utc_now())
        # a kind no version of this bot queues, and a request whose items are not a list
        s.execute(update(OutboxMessage).where(OutboxMessage.dedupe_key == "test:p:1").values(kind="postcard"))
        s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.dedupe_key == "test:p:2")
            .values(payload={"owner": "Owner p2", "deadline": "2026-12-10", "items": "ACT-2"})
        )
    with caplog.at_level(logging.ERROR, logger="bot.outbox.worker"):
        stats = await asyncio.wait_for(_sender(services, host).run(until_idle=True), 20)
    with sessions() as s:
        found = {m.dedupe_key: (m.status, m.last_error) for m in s.scalars(select(OutboxMessage))}
    assert found == {
        "test:p:0": ("sent", None),
        "test:p:1": ("failed", UNKNOWN_KIND),
        "test:p:2": ("failed", UNREADABLE),
    }
    assert stats.sent == 1 and stats.failed == 2
    assert connector.delivered_counts() == {cids[0]: 1}  # nothing reached the two bad rows' chats
    assert "Update request" in card_text(connector.cards(cids[0])[0])
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any("unknown kind 'postcard'" in e for e in errors) and any("items is not a list" in e for e in errors)
