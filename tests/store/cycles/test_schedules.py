"""The bot's own schedules over a simulated quarter (1 Oct - 31 Dec 2026, across the autumn clock
change and Christmas): a fake clock ticks every hour and every tick runs what is due, as each
sender does. Runs on SQLite and PostgreSQL; two senders at once on PostgreSQL."""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.scheduler import Scheduler
from domain.localtime import local_now, zone_named
from domain.schedule import CYCLE_REMINDERS, DUE_NUDGES, WEEKLY_DIGEST
from store.cycles.lifecycle import CycleScope, start_cycle
from store.cycles.schedules import run_due, upcoming
from store.db.models import OutboxMessage, ScheduleRun
from store.outbox.outcomes import mark_sent
from tests.store.cycle_tracker import MET, attach, build

LONDON = zone_named("Europe/London")
OPENED = date(2026, 10, 1)  # a Thursday: the quarter's first day
START = datetime(2026, 10, 1, 10, 0, tzinfo=timezone.utc)
END = datetime(2027, 1, 1, 0, 0, tzinfo=timezone.utc)
SCHEDULED = ("reminder", "digest", "nudge", "weekly")


def hours(start: datetime, end: datetime):
    at = start
    while at < end:
        yield at
        at += timedelta(hours=1)


def open_cycle_on_day_one(session, *, reminders=None):
    t = build(session, OPENED)
    for key in t.people:
        t.install(key)
    started = start_cycle(
        session,
        t.viewer("grace"),
        scope=CycleScope.parse("all"),
        deadline=date(2026, 10, 15),
        message=None,
        now=START,
        today=OPENED,
        reminder_days=reminders,
    )
    for request in session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "request")):
        mark_sent(session, request.id, START, activity_id="a")  # the sender delivered the requests
    session.commit()
    return t, started


def scheduled(session) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind.in_(SCHEDULED))
            .order_by(OutboxMessage.id)
            .execution_options(populate_existing=True)
        )
    )


def local(message: OutboxMessage) -> datetime:
    return local_now(message.created_at, LONDON)


def by_day(messages, kind) -> dict[date, list[OutboxMessage]]:
    found = defaultdict(list)
    for m in messages:
        if m.kind == kind:
            found[local(m).date()].append(m)
    return dict(found)


def check_quarter(session, t) -> None:
    messages = scheduled(session)
    # nothing outside working hours: Monday to Friday, not a bank holiday, 09:00-17:00 London time
    for m in messages:
        at = local(m)
        assert at.weekday() < 5 and 9 <= at.hour < 17, (m.kind, m.dedupe_key, at)
        assert at.date() not in (date(2026, 12, 25), date(2026, 12, 28)), m.dedupe_key
    # reminders on 7, 2 and 0 days before the deadline (Thu 15 Oct): 8, 13 and 15 October
    reminders = by_day(messages, "reminder")
    assert sorted(reminders) == [date(2026, 10, 8), date(2026, 10, 13), date(2026, 10, 15)]
    assert all(len(day) == 4 for day in reminders.values())  # olivia, laura, sam, amelia: nobody responded
    # in British Summer Time the first tick in the window is 08:00 UTC, i.e. 09:00 in London
    assert {m.created_at.astimezone(timezone.utc).hour for m in reminders[date(2026, 10, 8)]} == {8}
    # due-date nudges: MET-3 (due Wed 21 Oct) 14 days before and on the day; MET-4 (revised to
    # Sunday 11 Oct) on the Friday before; one card per owner per day
    nudges = {
        (local(m).date(), m.person_id): [(i["ref"], i["days_before"]) for i in m.payload["items"]]
        for m in messages
        if m.kind == "nudge"
    }
    assert nudges == {
        (date(2026, 10, 7), t.pid("olivia")): [("MET-3", 14)],
        (date(2026, 10, 9), t.pid("laura")): [("MET-4", 0)],
        (date(2026, 10, 21), t.pid("olivia")): [("MET-3", 0)],
    }
    # the weekly digest: the first working day of each week (Tuesday 29 December after the bank holiday)
    weekly = by_day(messages, "weekly")
    mondays = [date(2026, 10, 5) + timedelta(weeks=w) for w in range(13)]
    assert sorted(weekly) == [d if d != date(2026, 12, 28) else date(2026, 12, 29) for d in mondays]
    assert all(
        sorted(m.payload["recipient"] for m in day) == ["Colin Chambers", "Dev Patel", "Sam Spencer"]
        for day in weekly.values()
    )
    # after the clocks go back (25 Oct), the window opens at 09:00 UTC
    assert {m.created_at.astimezone(timezone.utc).hour for m in weekly[date(2026, 11, 2)]} == {9}
    sam = {local(m).date(): m.payload for m in messages if m.kind == "weekly" and m.person_id == t.pid("sam")}
    met = lambda day: next(g for g in sam[day]["groups"] if g["group"] == MET)  # noqa: E731
    assert [a["ref"] for a in met(date(2026, 10, 26))["newly_overdue"]["lines"]] == ["MET-3"]
    assert [d["ref"] for d in met(date(2026, 10, 5))["decisions"]["lines"]] == ["CLS-1"]  # closed 30 Sep
    assert [p["name"] for p in met(date(2026, 10, 5))["non_responders"]["lines"]] == [
        "Laura Mills",
        "Olivia Owen",
        "Sam Spencer",
    ]
    # every job ran once a day, and each message is there once
    runs = session.execute(select(ScheduleRun.job, ScheduleRun.run_on, ScheduleRun.status)).all()
    assert len(runs) == len({(job, day) for job, day, _ in runs}) and {s for *_, s in runs} == {"done"}
    assert len({m.dedupe_key for m in messages}) == len(messages)
    # ...and no job ran twice (a second run would find its messages queued already and count none)
    assert sum(session.scalars(select(ScheduleRun.queued))) == len(messages)


def test_a_simulated_quarter_sends_each_schedule_at_the_right_local_times(sessions):
    with sessions() as session:
        t, _ = open_cycle_on_day_one(session)
        for at in hours(START, END):
            run_due(session, at, LONDON, "sender-1")
            session.commit()
        check_quarter(session, t)


def test_two_senders_on_postgresql_send_nothing_twice(sessions, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("concurrent claims are a PostgreSQL matter (SQLite has one writer)")
    with sessions() as session:
        open_cycle_on_day_one(session)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def sender(name: str) -> None:
        async def run(fn, *args):  # as BotServices.run: each call one transaction
            with sessions.begin() as s:
                return fn(s, *args)

        clock = [START]
        scheduler = Scheduler(run, clock=lambda: clock[0], zone=LONDON, worker_id=name)
        try:
            for at in hours(START, END):
                if not 7 <= at.hour < 18 or at.weekday() > 4:
                    continue  # nothing can run outside the window; skip the idle hours
                clock[0] = at
                barrier.wait(timeout=30)  # both senders tick at the same instant
                asyncio.run(scheduler.tick())
        except BaseException as err:  # reported by the main thread
            errors.append(err)
            barrier.abort()

    threads = [threading.Thread(target=sender, args=(f"sender-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not errors, errors
    with sessions() as session:
        check_quarter(session, attach(session, OPENED))
        workers = {w for (w,) in session.execute(select(ScheduleRun.finished_by))}
        assert workers <= {"sender-1", "sender-2"}


def test_reminder_days_chosen_at_opening_and_none_at_all(sessions):
    with sessions() as session:
        open_cycle_on_day_one(session, reminders=(3,))  # 12 Oct is a Monday
        for at in hours(START, datetime(2026, 10, 20, tzinfo=timezone.utc)):
            run_due(session, at, LONDON, "s")
            session.commit()
        assert sorted(by_day(scheduled(session), "reminder")) == [date(2026, 10, 12)]


def test_nothing_runs_outside_the_window_or_on_a_weekend(sessions):
    with sessions() as session:
        open_cycle_on_day_one(session)
        assert run_due(session, datetime(2026, 10, 8, 7, 59, tzinfo=timezone.utc), LONDON, "s") == []  # 08:59 BST
        assert run_due(session, datetime(2026, 10, 8, 16, 0, tzinfo=timezone.utc), LONDON, "s") == []  # 17:00 BST
        assert run_due(session, datetime(2026, 10, 10, 12, 0, tzinfo=timezone.utc), LONDON, "s") == []  # Saturday
        ran = run_due(session, datetime(2026, 10, 8, 8, 0, tzinfo=timezone.utc), LONDON, "s")  # 09:00 BST
        assert {r.job for r in ran} == {CYCLE_REMINDERS, DUE_NUDGES}
        assert run_due(session, datetime(2026, 10, 8, 9, 0, tzinfo=timezone.utc), LONDON, "s") == []  # once a day


def test_upcoming_lists_the_next_reminders_digests_and_nudges(sessions):
    with sessions() as session:
        open_cycle_on_day_one(session)
        run_due(session, datetime(2026, 10, 5, 8, 0, tzinfo=timezone.utc), LONDON, "s")  # Monday's digest ran
        found = upcoming(session, datetime(2026, 10, 5, 12, 0, tzinfo=timezone.utc), LONDON, days=14)
        reminders = [u.day for u in found if u.job == CYCLE_REMINDERS]
        assert reminders == [date(2026, 10, 8), date(2026, 10, 13), date(2026, 10, 15)]
        assert [u.day for u in found if u.job == WEEKLY_DIGEST] == [date(2026, 10, 12), date(2026, 10, 19)]
        # nudges only on days that have something to nudge about: MET-3 (7 Oct), MET-4 (9 Oct)
        assert [u.day for u in found if u.job == DUE_NUDGES] == [date(2026, 10, 7), date(2026, 10, 9)]
        # facts, not words (cards/schedules.py words them)
        assert [u.actions for u in found if u.job == DUE_NUDGES] == [1, 1]
        assert {(u.cycle_id, u.deadline) for u in found if u.job == CYCLE_REMINDERS} == {(1, date(2026, 10, 15))}


def test_the_scheduler_counts_its_runs_in_metrics_and_wakes_the_sender(sessions):
    from observability.metrics import SCHEDULED_JOBS

    with sessions() as session:
        open_cycle_on_day_one(session)

    async def run(fn, *args):
        with sessions.begin() as s:
            return fn(s, *args)

    woken = []
    before = SCHEDULED_JOBS.labels(job=CYCLE_REMINDERS, outcome="ok")._value.get()
    scheduler = Scheduler(
        run,
        clock=lambda: datetime(2026, 10, 8, 8, 0, tzinfo=timezone.utc),
        zone=LONDON,
        worker_id="w",
        on_queued=lambda: woken.append(True),
    )
    ran = asyncio.run(scheduler.tick())
    assert {r.job for r in ran} == {CYCLE_REMINDERS, DUE_NUDGES} and woken == [True]
    assert SCHEDULED_JOBS.labels(job=CYCLE_REMINDERS, outcome="ok")._value.get() == before + 1
    assert asyncio.run(scheduler.tick()) == []  # the same day again: nothing


def test_the_digest_lists_a_group_s_orphaned_actions_only_to_its_leads(sessions):
    from cards.outbox import outbox_card
    from domain.messages import decode
    from store.cycles.schedule_jobs import run_weekly_digest
    from tests.cardcheck import assert_valid_cards
    from tests.fakes.live_bot import card_text

    monday = date(2026, 10, 5)
    with sessions() as session:
        t = build(session, OPENED)
        t.people["olivia"].active = False  # Olivia has left: her outstanding actions have no owner
        session.commit()
        run_weekly_digest(session, monday, datetime(2026, 10, 5, 8, 0, tzinfo=timezone.utc), LONDON)
        session.commit()
        cards = {
            m.payload["recipient"]: outbox_card(decode(m.kind, m.payload))
            for m in session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "weekly"))
        }
    sam = card_text(cards["Sam Spencer"])  # Met Operations' SPOC
    assert "Orphaned actions (owner has left)" in sam and "MET-3" in sam and "Olivia Owen" in sam
    dev = card_text(cards["Dev Patel"])  # another group's SPOC: none of his owners has left
    assert "Orphaned actions" not in dev and "MET-3" not in dev
    assert_valid_cards(*cards.values())
