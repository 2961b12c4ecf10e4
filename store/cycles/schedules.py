"""The bot's own schedules, run once a local day by whichever sender gets there first.

Each sender (in `serve` and in `worker`) calls `run_due` every minute or so. During the send
window of a working day (domain/schedule.py) it makes sure a row exists for each job due today
(`schedule_runs`, unique on job and day: INSERT ... ON CONFLICT DO NOTHING), then claims due rows
one at a time and runs the job IN THE SAME TRANSACTION that marks the row done:

- PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED``: a second sender skips a row being run; once
  the first commits, the row is done. A sender that dies mid-job rolls back: the row is due again.
- SQLite: one ``UPDATE ... WHERE status = 'due' RETURNING`` under the database write lock.

Jobs only queue outbox messages (store/cycles/schedule_jobs.py), whose dedupe keys (job, person, day) are
unique as well, so a message is queued at most once however the runs interleave; the outbox
sender sends them with the shared rate limit and retries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from domain.localtime import local_date, local_now
from domain.schedule import (
    CYCLE_REMINDERS,
    DUE_NUDGES,
    WEEKLY_DIGEST,
    ScheduledSend,
    is_digest_day,
    is_working_day,
    jobs_due,
    next_working_day,
)
from store.cycles.lifecycle import open_cycle
from store.cycles.schedule_jobs import (
    cycle_reminder_dates,
    nudge_count,
    run_cycle_reminders,
    run_due_nudges,
    run_weekly_digest,
)
from store.db.models import ScheduleRun

__all__ = ["DUE", "DONE", "JobRun", "run_due", "plan_day", "run_next", "upcoming"]

DUE, DONE = "due", "done"
_RUNNERS: dict[str, Callable[[Session, date, datetime, ZoneInfo], int]] = {
    CYCLE_REMINDERS: run_cycle_reminders,
    DUE_NUDGES: run_due_nudges,
    WEEKLY_DIGEST: run_weekly_digest,
}


@dataclass(frozen=True)
class JobRun:
    job: str
    day: date
    queued: int  # outbox messages this run queued


def plan_day(session: Session, jobs: tuple[str, ...], day: date, now: datetime) -> int:
    """Make sure today's due jobs have a row (another sender may have made them already)."""
    if not jobs:
        return 0
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(ScheduleRun).values(
        [{"job": j, "run_on": day, "status": DUE, "created_at": now, "queued": 0} for j in jobs]
    )
    return len(
        session.execute(stmt.on_conflict_do_nothing(index_elements=["job", "run_on"]).returning(ScheduleRun.id)).all()
    )


def run_next(session: Session, day: date, now: datetime, zone: ZoneInfo, worker_id: str) -> JobRun | None:
    """Claim one of `day`'s due runs and run it, in the caller's transaction; None: nothing left."""
    if session.get_bind().dialect.name == "postgresql":
        row = session.execute(
            select(ScheduleRun.id, ScheduleRun.job)
            .where(ScheduleRun.run_on == day, ScheduleRun.status == DUE)
            .order_by(ScheduleRun.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
    else:
        pick = (
            select(ScheduleRun.id)
            .where(ScheduleRun.run_on == day, ScheduleRun.status == DUE)
            .order_by(ScheduleRun.id)
            .limit(1)
            .scalar_subquery()
        )
        row = session.execute(
            update(ScheduleRun)
            .where(ScheduleRun.id == pick, ScheduleRun.status == DUE)
            .values(status=DONE)
            .returning(ScheduleRun.id, ScheduleRun.job)
            .execution_options(synchronize_session=False)
        ).first()
    if row is None:
        return None
    queued = _RUNNERS[row.job](session, day, now, zone)
    session.execute(
        update(ScheduleRun)
        .where(ScheduleRun.id == row.id)
        .values(status=DONE, finished_at=now, finished_by=worker_id[:100], queued=queued)
        .execution_options(synchronize_session=False)
    )
    return JobRun(row.job, day, queued)


def run_due(session: Session, now: datetime, zone: ZoneInfo, worker_id: str) -> list[JobRun]:
    """Everything due at `now`, in one transaction (tests and single-shot callers)."""
    local = local_now(now, zone)
    plan_day(session, jobs_due(local), local.date(), now)
    runs = []
    while (run := run_next(session, local.date(), now, zone, worker_id)) is not None:
        runs.append(run)
    return runs


def upcoming(session: Session, now: datetime, zone: ZoneInfo, *, days: int = 21) -> list[ScheduledSend]:
    """What the schedules will send next (not yet run), from today, over `days` calendar days."""
    today = local_date(now, zone)
    done = {
        (job, day)
        for job, day in session.execute(
            select(ScheduleRun.job, ScheduleRun.run_on).where(ScheduleRun.run_on >= today, ScheduleRun.status == DONE)
        )
    }
    found: list[ScheduledSend] = []
    cycle = open_cycle(session)
    if cycle is not None:
        for day in cycle_reminder_dates(cycle, local_date(cycle.opened_at, zone)):
            if day >= today and (CYCLE_REMINDERS, day) not in done:
                found.append(ScheduledSend(CYCLE_REMINDERS, day, cycle_id=cycle.id, deadline=cycle.deadline))
    day = today if is_working_day(today) else next_working_day(today)
    end = today + timedelta(days=days)
    while day <= end:
        if (DUE_NUDGES, day) not in done and (count := nudge_count(session, day)):
            found.append(ScheduledSend(DUE_NUDGES, day, actions=count))
        if is_digest_day(day) and (WEEKLY_DIGEST, day) not in done:
            found.append(ScheduledSend(WEEKLY_DIGEST, day))
        day = next_working_day(day)
    return sorted(found, key=lambda u: (u.day, u.job))
