"""Where an outbox sender runs: beside the bot server (`sender_background`, registered in
bot.app.STARTUP_HOOKS) or in a process of its own (`python app.py worker`: cli/worker.py ->
`run_worker`). Both build their sender in `_sender`, from SenderSettings.from_config, and run the
schedules beside it (bot/scheduler.py). On shutdown each waits for the schedules at most
SCHEDULES_STOP_TIMEOUT seconds (`stop_schedules`): a job stuck on the database must not keep the
process from exiting (its transaction rolls back, and it runs again at another instance's next tick).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any, AsyncIterator, Callable

from bot.outbox.recorder import SenderStats
from bot.outbox.settings import DEFAULT_LEASE, DEFAULT_TIMEOUT, SenderSettings
from bot.outbox.shared_rate import pacer_for
from bot.outbox.worker import OutboxSender, Run
from config import Settings

__all__ = ["sender_background", "run_worker", "stop_schedules", "SCHEDULES_STOP_TIMEOUT"]

log = logging.getLogger(__name__)

# Seconds a stopping process waits for the schedules' current job to finish before cancelling it.
# A tick's job is a few short transactions; ten seconds is well past that, and short enough that a
# platform stopping the container does not kill the process before it closes its connections.
SCHEDULES_STOP_TIMEOUT = 10.0


async def stop_schedules(schedules: asyncio.Task[Any] | None, *, timeout: float = SCHEDULES_STOP_TIMEOUT) -> None:
    """Wait for the schedules (already told to stop) at most `timeout` seconds, then cancel them."""
    if schedules is None:
        return
    try:
        await asyncio.wait_for(schedules, timeout=timeout)
    except asyncio.TimeoutError:  # wait_for has cancelled it: the job rolls back and runs again elsewhere
        log.warning("the schedules did not stop within %.0f s; cancelled", timeout)
    except Exception:  # a job that failed as it stopped: logged, and shutdown goes on
        log.warning("the schedules stopped with an error", exc_info=True)


def _sender(
    run: Run,
    host: Any,
    *,
    config: Settings,
    settings: SenderSettings,
    clock: Callable[[], datetime],
    timeout: float = DEFAULT_TIMEOUT,
) -> OutboxSender:
    """A sender sending through the host (bot/platform), paced at the tenant-wide rate (on PostgreSQL)."""
    from bot.proactive import ProactiveSender

    return OutboxSender(
        run,
        ProactiveSender(host, timeout=timeout),
        settings=settings,
        clock=clock,
        bucket=pacer_for(config.database_url, run, settings.rate),
    )


def _scheduler(run: Run, clock: Callable[[], datetime], settings: Settings, sender: OutboxSender) -> Any:
    """The schedules run beside each sender (bot/scheduler.py); what they queue wakes it. `run` is
    BotServices.run_in_thread: a day's reminders are too much work to do on the server's event loop."""
    from bot.scheduler import Scheduler

    return Scheduler(run, clock=clock, zone=settings.zone, worker_id=sender.worker_id, on_queued=sender.wake)


async def sender_background(app: Any, services: Any) -> AsyncIterator[None]:
    """aiohttp cleanup context: one sender per server process, stopped cleanly on shutdown."""
    settings = services.settings
    sender = _sender(
        services.run,
        services.host,
        config=settings,
        settings=SenderSettings.from_config(settings),
        clock=services.clock,
    )
    services.wake_outbox.connect(sender.wake)
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop), name="outbox-sender")
    schedules = (
        asyncio.create_task(
            _scheduler(services.run_in_thread, services.clock, settings, sender).run(stop), name="schedules"
        )
        if settings.schedules
        else None
    )
    try:
        yield
    finally:
        stop.set()
        sender.wake()
        await stop_schedules(schedules)
        try:
            await asyncio.wait_for(task, timeout=sender.proactive.timeout + 10)
        except Exception:  # timed out or failed: do not hold up shutdown
            task.cancel()
            log.warning("outbox sender did not stop cleanly", exc_info=True)


async def run_worker(
    settings: Settings,
    clock: Callable[[], datetime],
    *,
    rate: float | None = None,
    until_idle: bool = False,
    lease_seconds: float = DEFAULT_LEASE.total_seconds(),
    timeout: float = DEFAULT_TIMEOUT,
    batch_size: int | None = None,
    poll: float = 1.0,
    schedules_stop: float = SCHEDULES_STOP_TIMEOUT,
) -> SenderStats:
    """`python app.py worker`: a sender in a process of its own, until SIGTERM/SIGINT (or idle)."""
    import signal

    from bot.platform import build_host
    from bot.services import BotServices
    from store.db.engine import make_async_engine, make_async_sessionmaker

    engine = make_async_engine(settings.database_url)
    host = build_host(settings)
    services = BotServices(settings=settings, sessions=make_async_sessionmaker(engine), clock=clock)
    chosen = SenderSettings.from_config(
        settings, rate=rate, lease=timedelta(seconds=lease_seconds), batch_size=batch_size, poll=poll
    )
    sender = _sender(services.run, host, config=settings, settings=chosen, clock=clock, timeout=timeout)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def shut_down() -> None:
        stop.set()
        sender.wake()  # an idle sender is waiting for its next poll: stop now

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, shut_down)
    log.info("outbox worker %s sending at up to %s messages a second", sender.worker_id, sender.bucket.rate)
    schedules = (
        None
        if until_idle or not settings.schedules
        else asyncio.create_task(
            _scheduler(services.run_in_thread, clock, settings, sender).run(stop), name="schedules"
        )
    )
    try:
        return await sender.run(stop, until_idle=until_idle)
    finally:
        stop.set()
        await stop_schedules(schedules, timeout=schedules_stop)
        await host.close()
        await engine.dispose()
        services.dispose()
