"""The per-process cache of who is behind a conversation: kept while the tracker's version and the day
stay the same, looked up again after any writer (this process, another one, the command line)
changed the tracker."""

from __future__ import annotations

import subprocess
import sys
from contextlib import AsyncExitStack
from datetime import date

import pytest

import bot.handler
from config import PROJECT_ROOT
from domain.permissions import Viewer
from store.people.identity import ViewerCache
from tests.bot.test_scale_out import two_instances

KEY = ("a:personal-olivia", "29:olivia", "00000000-0000-4000-8000-0000000000a4")
DAY = date(2026, 11, 26)
OLIVIA = Viewer(person_id=4, name="Olivia Owen", email="olivia@example", roles=frozenset({"owner"}), group=None)


def test_kept_while_the_version_and_the_day_stay_the_same() -> None:
    cache = ViewerCache()
    assert cache.get(KEY, version=7, today=DAY) is ViewerCache.MISSING
    cache.put(KEY, OLIVIA, version=7, today=DAY)
    cache.put(("a:x", "29:x", None), None, version=7, today=DAY)
    assert cache.get(KEY, version=7, today=DAY) is OLIVIA
    assert cache.get(("a:x", "29:x", None), version=7, today=DAY) is None  # "not on the tracker" is kept too
    assert cache.get(KEY, version=8, today=DAY) is ViewerCache.MISSING  # anything may have changed
    assert cache.get(KEY, version=7, today=date(2026, 11, 27)) is ViewerCache.MISSING  # a cover may have begun
    assert cache.peek(KEY) is OLIVIA  # a guess at whose dialog row to read with the version


def test_a_newer_version_drops_everything_and_an_older_read_keeps_nothing() -> None:
    cache = ViewerCache()
    cache.put(KEY, OLIVIA, version=7, today=DAY)
    cache.put(("a:x", "29:x", None), None, version=8, today=DAY)  # another turn saw a change
    assert cache.peek(KEY) is None and cache.get(("a:x", "29:x", None), version=8, today=DAY) is None
    cache.put(KEY, OLIVIA, version=7, today=DAY)  # looked up by a turn that read before the change
    assert cache.get(KEY, version=7, today=DAY) is ViewerCache.MISSING
    assert cache.get(KEY, version=8, today=DAY) is ViewerCache.MISSING


GRANT_SPOC = """
import sys
from sqlalchemy import select
from store.db.engine import make_engine, make_sessionmaker
from store.db.models import Person, PersonRole

engine = make_engine(sys.argv[1])
with make_sessionmaker(engine).begin() as s:
    olivia = s.scalar(select(Person).where(Person.aad_object_id == sys.argv[2]))
    s.add(PersonRole(person_id=olivia.id, role="governance"))
engine.dispose()
"""


async def test_a_role_granted_by_another_process_is_seen_at_the_next_turn(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lookups: list[str] = []
    real = bot.handler.identify

    def identify(session, **kw):  # noqa: ANN001, ANN003, ANN202
        lookups.append(kw["user_id"])
        return real(session, **kw)

    monkeypatch.setattr(bot.handler, "identify", identify)
    async with AsyncExitStack() as stack:
        a, _ = await two_instances(stack, database_url)
        olivia = a.user("olivia")
        await a.install(olivia)
        before = (await a.say(olivia, "hi")).card_text()
        lookups.clear()
        assert (await a.say(olivia, "hi")).card_text() == before
        assert lookups == []  # the second turn knew her: no identity query
        # what `app.py import` or a DBA does: a write in a process no bot knows about
        subprocess.run(
            [sys.executable, "-c", GRANT_SPOC, database_url, olivia.aad_object_id], cwd=PROJECT_ROOT, check=True
        )
        after = (await a.say(olivia, "hi")).card_text()
        assert len(lookups) == 1  # looked up again at once, no time-to-live to wait out
        assert after != before and "request updates" in after
