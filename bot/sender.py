"""The outbox sender: claims due messages, paces them, sends them proactively, records each outcome.

Runs as a background task of the bot server (`sender_background`, registered in
bot.app.STARTUP_HOOKS) and as `python app.py worker` (cli/worker.py -> `run_worker`). Any number of
senders may share one database: claims never overlap (store/outbox.py).

Per message: claim (committed) -> wait for the conversation's limit and a global token -> build the
card from the payload -> ProactiveSender.send (one attempt) -> record the outcome in its own
transaction at once (store.cycles.outbox.mark_sent / mark_retry / mark_failed). Retries are scheduled in
the outbox (`next_attempt_at`), never slept on while holding anything. The governance user's
progress card is updated in place at most every `progress_every` seconds, when its figures changed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, AsyncIterator, Awaitable, Callable, Protocol

from bot.send_policy import ConversationLimiter, TokenBucket, classify
from bot.progress import ProgressCards
from bot.sender_settings import DEFAULT_LEASE, DEFAULT_TIMEOUT, LEASE_MARGIN, SenderSettings
from bot.shared_rate import Pacer, pacer_for
from cards.cycle_progress import render_outbox
from config import Settings
from observability.metrics import SENDS, send_outcome
from store.cycles.lifecycle import set_progress_target
from store.cycles.outbox import (
    NOT_INSTALLED,
    Claimed,
    as_utc,
    claim_batch,
    has_due,
    mark_failed,
    mark_retry,
    mark_sent,
    next_due,
    release,
    renew,
)

__all__ = ["OutboxSender", "SenderStats", "sender_background", "run_worker", "Sends"]

log = logging.getLogger(__name__)

Run = Callable[..., Awaitable[Any]]  # BotServices.run: a store function in one transaction


class Sends(Protocol):
    """What the sender needs from bot.proactive.ProactiveSender (a fake in some tests)."""

    timeout: float

    async def send(self, reference: dict, card: dict) -> Any: ...

    async def update(self, reference: dict, activity_id: str, card: dict) -> Any: ...


@dataclass
class SenderStats:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    throttled: int = 0
    failed: int = 0
    not_installed: int = 0
    released: int = 0
    progress_updates: int = 0
    lost_records: int = 0  # outcomes that could not be written (the database was unreachable)


def _default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class OutboxSender:
    def __init__(
        self,
        run: Run,
        proactive: Sends,
        settings: SenderSettings,
        *,
        clock: Callable[[], datetime],
        rng: random.Random | None = None,
        conversations: ConversationLimiter | None = None,
        bucket: Pacer | None = None,
    ) -> None:
        self._run, self.proactive, self.clock, self.settings = run, proactive, clock, settings
        self.worker_id = settings.worker_id or _default_worker_id()
        self.bucket = bucket or TokenBucket(settings.rate, settings.burst)
        self.conversations = conversations or ConversationLimiter()
        self.batch_size = settings.claim_size
        lease, policy = settings.lease, settings.policy
        self.lease, self.policy, self.poll = lease, policy, settings.poll
        self.rng = rng or random.Random()
        self.stats = SenderStats()
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._tasks: set[asyncio.Task] = set()
        self._wakeup = asyncio.Event()
        self.progress = ProgressCards(
            run,
            proactive,
            self.bucket,
            self.conversations,
            clock=clock,
            every=settings.progress_every,
            stats=self.stats,
            default_pause=policy.default_retry_after,
        )
        # Outcomes are written by one recorder, many per transaction (group commit): no writer of
        # this process waits for another's lock, so an accepted message is recorded within one commit.
        self._outcomes: list[tuple[Callable[..., Any], tuple, dict, asyncio.Future]] = []
        self._outcome_ready = asyncio.Event()
        self._closing = False
        self._writes = asyncio.Lock()
        # claimed, not yet recorded or released: id -> how long the claim lasts (renewed while held)
        self._held: dict[int, datetime] = {}
        if lease.total_seconds() < 2 * proactive.timeout + LEASE_MARGIN:
            raise ValueError(
                f"the lease must outlast a send attempt: at least twice the send timeout plus {LEASE_MARGIN:g} s"
            )
        # Renewed well before a send could no longer start (it needs timeout + margin left).
        self.renew_every = max(0.05, (lease.total_seconds() - proactive.timeout - LEASE_MARGIN) / 2)

    def wake(self) -> None:
        """New messages were queued: claim now rather than at the next poll."""
        self._wakeup.set()

    # -- the loop ---------------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event | None = None, *, until_idle: bool = False) -> SenderStats:
        """Send until `stop` is set (or, with until_idle, until nothing is queued or being sent)."""
        stop = stop or asyncio.Event()
        self._closing = False
        recorder = asyncio.create_task(self._recorder(), name="outbox-recorder")
        keeper = asyncio.create_task(self._keep_leases(), name="outbox-leases")
        try:
            while not stop.is_set():
                self._wakeup.clear()
                try:
                    batch = []
                    # a read first: an idle sender polls without taking the database's write lock
                    if await self._run(has_due, self.clock()):
                        async with self._writes:
                            batch = await self._run(
                                claim_batch, self.worker_id, self.clock(), self.batch_size, self.lease
                            )
                except Exception:
                    log.warning("outbox claim failed; retrying in 5 s", exc_info=True)
                    await self._idle(5.0)
                    continue
                self.stats.claimed += len(batch)
                self._held.update((m.id, m.locked_until) for m in batch)
                if batch:
                    await self._dispatch(batch, stop)
                    await self.progress.refresh()
                    continue
                if until_idle and self._tasks:
                    await asyncio.wait(set(self._tasks))
                    continue
                await self.progress.refresh()
                due = await self._run(next_due)
                if until_idle and due is None and not self._tasks:
                    break
                wait = self.poll if due is None else (as_utc(due) - self.clock()).total_seconds()
                await self._idle(min(self.poll, max(0.01, wait)))
        finally:
            if self._tasks:
                await asyncio.wait(set(self._tasks), timeout=self.proactive.timeout + 5)
            self._closing = True
            self._outcome_ready.set()
            await recorder
            keeper.cancel()
            await self.progress.refresh(force=True)
        return self.stats

    async def _idle(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._wakeup.wait(), timeout=seconds)
        except asyncio.TimeoutError:
            pass

    async def _keep_leases(self) -> None:
        """Heartbeat: extend the claims still held, so a live sender keeps them however long the
        pacing takes, and a dead one's expire within one short lease."""
        while True:
            await asyncio.sleep(self.renew_every)
            held = list(self._held)
            if not held:
                continue
            until = self.clock() + self.lease
            try:
                async with self._writes:
                    kept = await self._run(renew, held, self.worker_id, until)
            except Exception:  # sends stop starting once too little of a claim is left
                log.warning("could not renew %d outbox claims", len(held), exc_info=True)
                continue
            for message_id in held:
                if message_id not in self._held:
                    continue  # recorded meanwhile
                if message_id in kept:
                    self._held[message_id] = max(self._held[message_id], until)
                else:  # taken over by another sender after our lease ran out: theirs now
                    del self._held[message_id]

    async def _dispatch(self, batch: list[Claimed], stop: asyncio.Event) -> None:
        for index, message in enumerate(batch):
            until = self._held.get(message.id)
            if until is None:
                log.info("outbox message %s: claim lost before sending; another sender has it", message.id)
                continue
            left = (until - self.clock()).total_seconds()
            if stop.is_set() or left < self.proactive.timeout + LEASE_MARGIN:
                # shutting down, or the claims could not be renewed: give the rest back
                rest = [m.id for m in batch[index:] if m.id in self._held]
                self.stats.released += (
                    await self._record(release, rest, self.worker_id, next_attempt_at=self.clock()) or 0
                )
                for message_id in rest:
                    self._held.pop(message_id, None)
                return
            if message.reference is None:
                self.stats.not_installed += 1
                SENDS.labels(outcome="not_installed").inc()
                await self._record(
                    mark_failed,
                    message.id,
                    self.worker_id,
                    http_status=None,
                    error="no personal conversation with the bot (not installed)",
                    final_status=NOT_INSTALLED,
                )
                self._held.pop(message.id, None)
                continue
            conversation = str((message.reference.get("conversation") or {}).get("id") or "")
            wait = self.conversations.reserve(conversation)
            if wait > 0:  # Teams' per-conversation limit: try again when the window allows
                self.stats.released += (
                    await self._record(
                        release, [message.id], self.worker_id, next_attempt_at=self.clock() + timedelta(seconds=wait)
                    )
                    or 0
                )
                self._held.pop(message.id, None)
                continue
            await self.bucket.acquire()
            await self._slots.acquire()
            until = self._held.get(message.id)  # pacing took time: is the claim still ours, and long enough?
            if until is None or (until - self.clock()).total_seconds() < self.proactive.timeout + LEASE_MARGIN:
                self._slots.release()
                if until is not None:
                    self.stats.released += (
                        await self._record(release, [message.id], self.worker_id, next_attempt_at=self.clock()) or 0
                    )
                    self._held.pop(message.id, None)
                continue
            task = asyncio.create_task(self._deliver(message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _deliver(self, m: Claimed) -> None:
        try:
            try:
                card = render_outbox(m.kind, m.payload)
            except Exception as err:  # a payload no card can be built from: final, and logged
                log.exception("outbox message %s: no card", m.id)
                self.stats.failed += 1
                SENDS.labels(outcome="failed").inc()
                await self._record(
                    mark_failed,
                    m.id,
                    self.worker_id,
                    http_status=None,
                    error=f"could not build the card: {type(err).__name__}: {err}"[:300],
                )
                return
            result = await self.proactive.send(m.reference, card)
            # Record at once: the only window for a second send is between the connector accepting
            # the message and this commit (see store/outbox.py).
            verdict = classify(
                result.ok, result.status, result.retry_after, result.error, m.attempts, self.policy, self.rng
            )
            SENDS.labels(outcome=send_outcome(verdict.outcome, result.status)).inc()
            if verdict.outcome == "sent":
                self.stats.sent += 1
                await self._record(
                    mark_sent, m.id, self.clock(), activity_id=result.activity_id, http_status=result.status
                )
                if m.kind == "progress" and m.cycle_id is not None and result.activity_id:
                    # a cycle opened with `cycle start --by`: keep this card current, as in Teams
                    await self._record(set_progress_target, m.cycle_id, m.reference, result.activity_id)
            elif verdict.outcome == "retry":
                self.stats.retried += 1
                if verdict.pause_all:
                    self.stats.throttled += 1
                    self.bucket.pause(verdict.pause_all)
                await self._record(
                    mark_retry,
                    m.id,
                    self.worker_id,
                    http_status=result.status,
                    error=verdict.reason,
                    next_attempt_at=self.clock() + timedelta(seconds=verdict.delay),
                )
            else:
                self.stats.failed += 1
                log.info("outbox message %s to person %s failed for good: %s", m.id, m.person_id, verdict.reason)
                await self._record(mark_failed, m.id, self.worker_id, http_status=result.status, error=verdict.reason)
        finally:
            self._held.pop(m.id, None)
            self._slots.release()

    async def _record(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Queue an outcome for the recorder and wait until it is committed; returns fn's result."""
        done: asyncio.Future = asyncio.get_running_loop().create_future()
        self._outcomes.append((fn, args, kwargs, done))
        self._outcome_ready.set()
        return await done

    async def _recorder(self) -> None:
        while True:
            if not self._outcomes:
                if self._closing:
                    return
                await self._outcome_ready.wait()
                self._outcome_ready.clear()
                continue
            items, self._outcomes = self._outcomes, []
            results = await self._commit(items)
            for (_fn, _args, _kwargs, done), result in zip(items, results):
                if not done.done():
                    done.set_result(result)

    async def _commit(self, items: list[tuple[Callable[..., Any], tuple, dict, asyncio.Future]]) -> list[Any]:
        """All queued outcomes in one transaction; the database may blip, so try a few times."""

        def apply(session: Any) -> list[Any]:
            return [fn(session, *args, **kwargs) for fn, args, kwargs, _ in items]

        for attempt in range(6):
            try:
                async with self._writes:
                    return await self._run(apply)
            except Exception:
                if attempt == 5:
                    self.stats.lost_records += len(items)
                    log.error(
                        "could not record %d outcomes; their leases will expire and they will be claimed again",
                        len(items),
                        exc_info=True,
                    )
                    return [None] * len(items)
                await asyncio.sleep(0.1 * 2**attempt)
        return [None] * len(items)


def _sender(
    run: Run,
    adapter: Any,
    config: Settings,
    settings: SenderSettings,
    clock: Callable[[], datetime],
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> OutboxSender:
    """A sender sending through the adapter, paced at the tenant-wide rate (on PostgreSQL)."""
    from bot.proactive import ProactiveSender

    return OutboxSender(
        run,
        ProactiveSender(adapter, timeout=timeout),
        settings,
        clock=clock,
        bucket=pacer_for(config.database_url, run, settings.rate),
    )


def _scheduler(run: Run, clock: Callable[[], datetime], settings: Settings, sender: OutboxSender) -> Any:
    """The schedules run beside each sender (bot/scheduler.py); what they queue wakes it."""
    from bot.scheduler import Scheduler

    return Scheduler(run, clock=clock, zone=settings.zone, worker_id=sender.worker_id, on_queued=sender.wake)


async def sender_background(app: Any, services: Any) -> AsyncIterator[None]:
    """aiohttp cleanup context: one sender per server process, stopped cleanly on shutdown."""
    settings = services.settings
    sender = _sender(services.run, services.adapter, settings, SenderSettings.from_config(settings), services.clock)
    services.wake_outbox = sender.wake
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop), name="outbox-sender")
    schedules = (
        asyncio.create_task(_scheduler(services.run, services.clock, settings, sender).run(stop), name="schedules")
        if settings.schedules
        else None
    )
    try:
        yield
    finally:
        stop.set()
        sender.wake()
        try:
            if schedules is not None:
                await asyncio.wait_for(schedules, timeout=10)
        except Exception:  # a job mid-way rolls back and runs again at another instance's next tick
            if schedules is not None:
                schedules.cancel()
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
) -> SenderStats:
    """`python app.py worker`: a sender in a process of its own, until SIGTERM/SIGINT (or idle)."""
    import signal

    from bot.adapter import build_adapter
    from bot.services import BotServices
    from store.db.engine import make_async_engine, make_async_sessionmaker

    engine = make_async_engine(settings.database_url)
    adapter = build_adapter(settings)
    services = BotServices(settings=settings, sessions=make_async_sessionmaker(engine), clock=clock)
    chosen = SenderSettings.from_config(
        settings, rate=rate, lease=timedelta(seconds=lease_seconds), batch_size=batch_size, poll=poll
    )
    sender = _sender(services.run, adapter, settings, chosen, clock, timeout=timeout)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: (stop.set(), sender.wake()))
    log.info("outbox worker %s sending at up to %s messages a second", sender.worker_id, sender.bucket.rate)
    schedules = (
        None
        if until_idle or not settings.schedules
        else asyncio.create_task(_scheduler(services.run, clock, settings, sender).run(stop), name="schedules")
    )
    try:
        return await sender.run(stop, until_idle=until_idle)
    finally:
        stop.set()
        if schedules is not None:
            await schedules
        await adapter.close()
        await engine.dispose()
