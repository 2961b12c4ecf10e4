"""The per-process cache of who is behind a conversation: kept briefly, forgotten on relevant writes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from store.demo.builder import load_demo
from store.people.identity import ViewerCache
from store.db.models import Person, PersonRole
from store.people.viewers import find_viewer

OLIVIA = "00000000-0000-4000-8000-0000000000a4"
KEY = ("a:personal-olivia", "29:olivia", OLIVIA)


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_kept_for_the_ttl_then_looked_up_again(session: Session, today: date, now: datetime) -> None:
    load_demo(session, today, now)
    session.commit()
    clock = Clock()
    cache = ViewerCache(ttl=10, clock=clock)
    assert cache.get(KEY) is ViewerCache.MISSING
    cache.put(KEY, find_viewer(session, OLIVIA, None), generation=ViewerCache.generation())
    assert cache.get(KEY).email == "olivia.owen@met.police.example"
    cache.put(("a:x", "29:x", None), None, generation=ViewerCache.generation())
    assert cache.get(("a:x", "29:x", None)) is None  # "not on the tracker" is remembered too
    clock.t += 11
    assert cache.get(KEY) is ViewerCache.MISSING


def test_a_role_change_made_by_this_process_is_seen_on_the_next_turn(
    sessions: sessionmaker, today: date, now: datetime
) -> None:
    with sessions.begin() as s:
        load_demo(s, today, now)
    cache = ViewerCache(ttl=3600, clock=Clock())
    with sessions() as s:
        cache.put(KEY, find_viewer(s, OLIVIA, None), generation=ViewerCache.generation())
    assert cache.get(KEY) is not ViewerCache.MISSING
    with sessions.begin() as s:  # e.g. an import or the governance team granting a role
        olivia = s.scalar(select(Person).where(Person.aad_object_id == OLIVIA))
        s.add(PersonRole(person_id=olivia.id, role="spoc"))
    assert cache.get(KEY) is ViewerCache.MISSING


def test_an_answer_read_while_someone_wrote_is_not_kept(sessions: sessionmaker, today: date, now: datetime) -> None:
    with sessions.begin() as s:
        load_demo(s, today, now)
    cache = ViewerCache(ttl=3600, clock=Clock())
    before = ViewerCache.generation()
    with sessions() as s:
        stale = find_viewer(s, OLIVIA, None)
    with sessions.begin() as s:  # Core delete, not the ORM: still seen
        olivia = s.scalar(select(Person.id).where(Person.aad_object_id == OLIVIA))
        s.execute(delete(PersonRole).where(PersonRole.person_id == olivia))
    cache.put(KEY, stale, generation=before)
    assert cache.get(KEY) is ViewerCache.MISSING


def test_entries_put_together_expire_spread_over_the_second_half_of_the_ttl() -> None:
    clock, draws = Clock(), iter([0.0, 0.5, 0.999])
    cache = ViewerCache(ttl=10, clock=clock, spread=lambda: next(draws))
    keys = [("a:x", f"29:{n}", None) for n in range(3)]
    for key in keys:
        cache.put(key, None, generation=ViewerCache.generation())
    clock.t += 4.9
    assert [cache.get(k) for k in keys] == [None, None, None]  # none before half the ttl
    clock.t += 0.2  # 5.1 s
    assert [cache.get(k) is ViewerCache.MISSING for k in keys] == [True, False, False]
    clock.t += 2.5  # 7.6 s
    assert [cache.get(k) is ViewerCache.MISSING for k in keys] == [True, True, False]
    clock.t += 2.5  # 10.1 s: none outlives the ttl
    assert all(cache.get(k) is ViewerCache.MISSING for k in keys)
