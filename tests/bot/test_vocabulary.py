"""The question vocabulary (every name a question may mention) is built once however many turns ask
at the same moment, and rebuilt in the background once a turn sees a newer tracker version, while
turns go on with the old one."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import insert

import bot.features.basics as basics
from bot.services import BotServices
from config import PROJECT_ROOT, Settings
from store.db.engine import make_async_engine, make_async_sessionmaker
from store.db.models import BusinessGroup


@pytest.fixture
async def services(engine, database_url: str):  # noqa: ANN001 - fixtures from tests/conftest.py
    async_engine = make_async_engine(database_url)
    yield BotServices(
        settings=Settings(database_url=database_url), sessions=make_async_sessionmaker(async_engine), clock=None
    )
    await async_engine.dispose()


def at(services: BotServices, version: int) -> SimpleNamespace:
    """A turn that read ``version`` at its start."""

    async def tracker_version() -> int:
        return version

    return SimpleNamespace(services=services, tracker_version=tracker_version)


def counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = basics.known_names

    def known_names(session):  # noqa: ANN001, ANN202
        calls.append(1)
        return real(session)

    monkeypatch.setattr(basics, "known_names", known_names)
    return calls


async def test_twenty_questions_at_once_build_it_once(services: BotServices, monkeypatch) -> None:
    calls = counting(monkeypatch)
    turn = at(services, 5)
    got = await asyncio.gather(*(basics._vocabulary(turn) for _ in range(20)))
    assert len(calls) == 1 and all(v is got[0] for v in got)


async def test_a_stale_one_is_used_while_one_rebuild_runs_then_the_new_names_are_known(
    services: BotServices, engine, monkeypatch
) -> None:
    old = await basics._vocabulary(at(services, 5))
    assert all([await basics._vocabulary(at(services, 5)) is old for _ in range(3)])  # same version: kept
    with engine.begin() as conn:  # an import adds a group (the triggers bump the version)
        conn.execute(insert(BusinessGroup).values(name="Cyber Crime"))
    calls = counting(monkeypatch)
    turn = at(services, 6)  # turns that read the newer version
    served = await asyncio.gather(*(basics._vocabulary(turn) for _ in range(20)))
    assert all(v is old for v in served)  # nobody waited for the rebuild
    await services.vocabulary.rebuild
    assert len(calls) == 1
    new = await basics._vocabulary(turn)
    assert new is not old and "Cyber Crime" in new.vocabulary.groups
    assert "Cyber Crime" not in old.vocabulary.groups


async def test_a_rebuild_that_finds_the_same_names_keeps_the_vocabulary_and_what_it_parsed(
    services: BotServices,
) -> None:
    old = await basics._vocabulary(at(services, 5))
    basics._parse(old, "what's overdue", date(2026, 11, 26))
    await basics._vocabulary(at(services, 6))  # an owner's update, say: no name changed
    await services.vocabulary.rebuild
    new = await basics._vocabulary(at(services, 6))
    assert (old.version, new.version) == (5, 6)  # kept for the newer version
    assert new.vocabulary is old.vocabulary and new.parsed is old.parsed and len(new.parsed) == 1


ADD_GROUP = """
import sys
from sqlalchemy import insert
from store.db.engine import make_engine
from store.db.models import BusinessGroup

engine = make_engine(sys.argv[1])
with engine.begin() as conn:
    conn.execute(insert(BusinessGroup).values(name="Cyber Crime"))
engine.dispose()
"""


async def test_a_name_added_by_another_process_is_known_after_the_next_turns_rebuild(
    services: BotServices, database_url: str
) -> None:
    turn = SimpleNamespace(services=services, tracker_version=services.tracker_version)  # reads the database
    old = await basics._vocabulary(turn)
    assert await basics._vocabulary(turn) is old and services.vocabulary.rebuild.done()  # unchanged: kept
    # an import run from the command line: no process of the bot is told
    subprocess.run([sys.executable, "-c", ADD_GROUP, database_url], cwd=PROJECT_ROOT, check=True)
    assert await basics._vocabulary(turn) is old  # the turn that sees the new version goes on with it...
    await services.vocabulary.rebuild  # ...and starts the one rebuild
    assert "Cyber Crime" in (await basics._vocabulary(turn)).vocabulary.groups
