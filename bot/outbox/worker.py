"""The outbox sender: claims due messages, paces them, sends them proactively, records each outcome.

Runs beside the bot server and as `python app.py worker` (bot/outbox/hosts.py). Any number of
senders may share one database: claims never overlap (store/outbox/claims.py).

Per message: claim (committed) -> wait for the conversation's limit and a global token -> build the
card from the payload -> ProactiveSender.send (one attempt) -> record the outcome in its own
transaction at once (store/outbox/outcomes.py, through bot/outbox/recorder.py). Claims are
renewed while held (bot/outbox/leases.py). Retries are scheduled in the outbox
(`next_attempt_at`), never slept on while holding anything. The governance user's progress card is
updated in place at most every `progress_every` seconds, when its figures changed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import uuid
from datetime import datetime, timedelta
from typing import Any, Awaitable, Callable, Protocol

from bot.outbox.leases import Leases
from bot.outbox.policy import ConversationLimiter, Pacer, TokenBucket, classify
from bot.outbox.progress import ProgressCards
from bot.outbox.recorder import OutcomeRecorder, SenderStats
from bot.outbox.settings import SenderSettings
from cards.outbox import outbox_card
from domain import delivery
from domain.messages import BadPayload, Message, Progress, UnknownKind, decode
from observability.metrics import SENDS, send_outcome
from store.cycles.lifecycle import set_progress_target
from store.db.outage import database_unavailable
from store.outbox.claims import Claimed, claim_batch, has_due, next_due
from store.outbox.outcomes import mark_failed, mark_retry, mark_sent, release
from store.outbox.queue import FAILED, NOT_INSTALLED, as_utc

__all__ = ["OutboxSender", "SenderStats", "Sends", "Run"]

log = logging.getLogger(__name__)

Run = Callable[..., Awaitable[Any]]  # BotServices.run: a store function in one transaction


class Sends(Protocol):
    """What the sender needs from bot.proactive.ProactiveSender (a fake in some tests)."""

    timeout: float

    async def send(self, reference: dict[str, Any], card: dict[str, Any]) -> Any: ...

    async def update(self, reference: dict[str, Any], activity_id: str, card: dict[str, Any]) -> Any: ...


def _default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class OutboxSender:
    def __init__(
        self,
        run: Run,
        proactive: Sends,
        *,
        settings: SenderSettings,
        clock: Callable[[], datetime],
        rng: random.Random | None = None,
        conversations: ConversationLimiter | None = None,
        bucket: Pacer | None = None,
    ) -> None:
        self._run, self.proactive, self.clock, self.settings = run, proactive, clock, settings
        self.worker_id = settings.worker_id or _default_worker_id()
        self.bucket = bucket or TokenBucket(settings.rate, settings.burst)
        self.conversations = conversations or ConversationLimiter()
        self.rng = rng or random.Random()
        self.stats = SenderStats()
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._tasks: set[asyncio.Task[None]] = set()
        self._wakeup = asyncio.Event()
        self.progress = ProgressCards(
            run,
            proactive,
            self.bucket,
            self.conversations,
            clock=clock,
            every=settings.progress_every,
            stats=self.stats,
            default_pause=settings.policy.default_retry_after,
        )
        # One write lock for claims, lease renewals and outcomes: no two of this sender's writes
        # wait on each other's database locks.
        self._writes = asyncio.Lock()
        self.leases = Leases(
            run,
            worker_id=self.worker_id,
            lease=settings.lease,
            send_timeout=proactive.timeout,
            clock=clock,
            writes=self._writes,
        )
        self.outcomes = OutcomeRecorder(run, writes=self._writes, stats=self.stats)

    def wake(self) -> None:
        """New messages were queued: claim now rather than at the next poll."""
        self._wakeup.set()

    # -- the loop ---------------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event | None = None, *, until_idle: bool = False) -> SenderStats:
        """Send until `stop` is set (or, with until_idle, until nothing is queued or being sent)."""
        stop = stop or asyncio.Event()
        poll = self.settings.poll
        self.outcomes.start()
        keeper = asyncio.create_task(self.leases.keep(), name="outbox-leases")
        try:
            while not stop.is_set():
                self._wakeup.clear()
                try:
                    batch = await self._claim()
                except Exception as err:  # a database restart: one line each time, no traceback
                    log.warning("outbox claim failed; retrying in 5 s", exc_info=not database_unavailable(err))
                    await self._idle(5.0)
                    continue
                self.stats.claimed += len(batch)
                self.leases.take(batch)
                if batch:
                    await self._dispatch(batch, stop)
                    await self.progress.refresh()
                    continue
                if until_idle and self._tasks:
                    await asyncio.wait(set(self._tasks))
                    continue
                await self.progress.refresh()
                try:
                    due = await self._run(next_due)
                except Exception as err:  # the database went away between two reads: poll again
                    log.warning("outbox: next send time not read", exc_info=not database_unavailable(err))
                    await self._idle(poll)
                    continue
                if until_idle and due is None and not self._tasks:
                    break
                wait = poll if due is None else (as_utc(due) - self.clock()).total_seconds()
                await self._idle(min(poll, max(0.01, wait)))
        finally:
            if self._tasks:
                await asyncio.wait(set(self._tasks), timeout=self.proactive.timeout + 5)
            await self.outcomes.finish()
            keeper.cancel()
            await self.progress.refresh(force=True)
        return self.stats

    async def _claim(self) -> list[Claimed]:
        # a read first: an idle sender polls without taking the database's write lock
        if not await self._run(has_due, self.clock()):
            return []
        async with self._writes:
            claimed: list[Claimed] = await self._run(
                claim_batch, self.worker_id, self.clock(), self.settings.claim_size, self.settings.lease
            )
        return claimed

    async def _idle(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._wakeup.wait(), timeout=seconds)
        except asyncio.TimeoutError:
            pass

    async def _release(self, message_ids: list[int], *, at: datetime) -> None:
        """Give claimed messages back unsent, due again `at` (not an attempt)."""
        released = await self.outcomes.record(release, message_ids, self.worker_id, next_attempt_at=at)
        self.stats.released += released or 0
        for message_id in message_ids:
            self.leases.drop(message_id)

    async def _fail(
        self, message_id: int, error: str, *, http_status: int | None = None, final_status: str = FAILED
    ) -> None:
        """A final outcome: this message is not tried again."""
        await self.outcomes.record(
            mark_failed, message_id, self.worker_id, http_status=http_status, error=error, final_status=final_status
        )

    async def _dispatch(self, batch: list[Claimed], stop: asyncio.Event) -> None:
        for index, message in enumerate(batch):
            if not self.leases.holds(message.id):
                log.info("outbox message %s: claim lost before sending; another sender has it", message.id)
                continue
            if stop.is_set() or not self.leases.long_enough(message.id):
                # shutting down, or the claims could not be renewed: give the rest back
                await self._release([m.id for m in batch[index:] if self.leases.holds(m.id)], at=self.clock())
                return
            if message.reference is None:
                self.stats.not_installed += 1
                SENDS.labels(outcome="not_installed").inc()
                # the code enqueue records for the same case, worded where it is shown
                await self._fail(message.id, delivery.NOT_INSTALLED, final_status=NOT_INSTALLED)
                self.leases.drop(message.id)
                continue
            conversation = str((message.reference.get("conversation") or {}).get("id") or "")
            wait = self.conversations.reserve(conversation)
            if wait > 0:  # Teams' per-conversation limit: try again when the window allows
                await self._release([message.id], at=self.clock() + timedelta(seconds=wait))
                continue
            await self.bucket.acquire()
            await self._slots.acquire()
            # pacing took time: is the claim still ours, and long enough?
            if not self.leases.long_enough(message.id):
                self._slots.release()
                if self.leases.holds(message.id):
                    await self._release([message.id], at=self.clock())
                continue
            task = asyncio.create_task(self._deliver(message, message.reference))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _unsendable(self, m: Claimed, error: str) -> None:
        """A row that can never become a card: failed for good at once (a retry reads the same row)."""
        self.stats.failed += 1
        SENDS.labels(outcome="failed").inc()
        await self._fail(m.id, error)

    async def _card(self, m: Claimed) -> tuple[Message, dict[str, Any]] | None:
        """The row's message and its card; None (the row marked failed, the reason logged) when it has none."""
        try:
            message = decode(m.kind, m.payload)
        except UnknownKind:
            log.error("outbox message %s: unknown kind %r, marked failed", m.id, m.kind)
            await self._unsendable(m, delivery.UNKNOWN_KIND)
            return None
        except BadPayload as err:
            log.error("outbox message %s: %s; marked failed", m.id, err)
            await self._unsendable(m, delivery.UNREADABLE)
            return None
        try:
            return message, outbox_card(message)
        except Exception as err:  # a message no card can be built from: final, and logged
            log.exception("outbox message %s: no card", m.id)
            await self._unsendable(m, f"could not build the card: {type(err).__name__}: {err}"[:300])
            return None

    async def _deliver(self, m: Claimed, reference: dict[str, Any]) -> None:
        try:
            built = await self._card(m)
            if built is None:
                return
            message, card = built
            result = await self.proactive.send(reference, card)
            # Record at once: the only window for a second send is between the connector accepting
            # the message and this commit (see store/outbox/outcomes.py).
            verdict = classify(
                result.ok, result.status, result.retry_after, result.error, m.attempts, self.settings.policy, self.rng
            )
            SENDS.labels(outcome=send_outcome(verdict.outcome, result.status)).inc()
            if verdict.outcome == "sent":
                self.stats.sent += 1
                await self.outcomes.record(
                    mark_sent, m.id, self.clock(), activity_id=result.activity_id, http_status=result.status
                )
                if isinstance(message, Progress) and m.cycle_id is not None and result.activity_id:
                    # a cycle opened with `cycle start --by`: keep this card current, as in Teams
                    await self.outcomes.record(set_progress_target, m.cycle_id, reference, result.activity_id)
            elif verdict.outcome == "retry":
                self.stats.retried += 1
                if verdict.pause_all:
                    self.stats.throttled += 1
                    self.bucket.pause(verdict.pause_all)
                await self.outcomes.record(
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
                await self._fail(m.id, verdict.reason, http_status=result.status)
        finally:
            self.leases.drop(m.id)
            self._slots.release()
