"""The schedules' heartbeat: runs beside every outbox sender (in `serve` and in `worker`).

Every `every` seconds it asks the store to run the jobs due now (store/cycles/schedules.py: each job once
a local day across all instances, only on working days between 09:00 and 17:00 in the tracker's
zone); the jobs queue outbox messages, and the sender is woken to send them.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any, Awaitable, Callable
from zoneinfo import ZoneInfo

from domain.localtime import local_now
from domain.schedule import jobs_due
from observability.metrics import SCHEDULED_JOBS
from store.cycles.schedules import JobRun, plan_day, run_next
from store.db.outage import database_unavailable

__all__ = ["Scheduler", "DEFAULT_EVERY"]

log = logging.getLogger(__name__)

Run = Callable[..., Awaitable[Any]]  # BotServices.run: a store function in one transaction
DEFAULT_EVERY = 60.0


class Scheduler:
    def __init__(
        self,
        run: Run,
        *,
        clock: Callable[[], datetime],
        zone: ZoneInfo,
        worker_id: str,
        on_queued: Callable[[], None] = lambda: None,
        every: float = DEFAULT_EVERY,
        on_run: Callable[[JobRun], None] = lambda run: None,
    ) -> None:
        self._run, self.clock, self.zone, self.worker_id = run, clock, zone, worker_id
        self.on_queued, self.on_run, self.every = on_queued, on_run, every
        self.runs: list[JobRun] = []  # what this instance ran (tests, logs)

    async def tick(self) -> list[JobRun]:
        """Run what is due now; each job in its own transaction, so one failing leaves the others."""
        now = self.clock()
        local = local_now(now, self.zone)
        jobs = jobs_due(local)
        if not jobs:
            return []
        await self._run(plan_day, jobs, local.date(), now)
        ran: list[JobRun] = []
        while True:
            try:
                job = await self._run(run_next, local.date(), now, self.zone, self.worker_id)
            except Exception as err:  # rolled back: the run stays due and is tried at the next tick
                log.error(
                    "a scheduled job failed on %s; it will be tried again",
                    local.date(),
                    exc_info=not database_unavailable(err),  # a database restart: one line, no traceback
                )
                SCHEDULED_JOBS.labels(job="schedules", outcome="error").inc()
                break
            if job is None:
                break
            log.info("scheduled %s for %s queued %d messages", job.job, job.day, job.queued)
            SCHEDULED_JOBS.labels(job=job.job, outcome="ok").inc()  # /metrics: tracker_scheduled_jobs
            ran.append(job)
            self.on_run(job)
        self.runs += ran
        if any(job.queued for job in ran):
            self.on_queued()
        return ran

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.tick()
            except Exception as err:  # the database may blip: try at the next tick
                log.warning("schedules could not be checked", exc_info=not database_unavailable(err))
            try:
                await asyncio.wait_for(stop.wait(), timeout=self.every)
            except asyncio.TimeoutError:
                pass
