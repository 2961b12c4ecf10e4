"""The governance user's progress card, updated in place while a cycle runs.

When Confirm opens a cycle the bot posts a progress card and stores where it is
(UpdateCycle.progress_conversation / progress_activity_id). The sender calls `refresh()` as it
works; at most every `every` seconds it recomputes each open (or just closed) cycle's status and,
when a figure the card shows changed (a send, a failure, an owner's response), replaces the card.
Updating a card in place is idempotent, so several senders doing it is harmless.

A card that cannot be updated (the chat gone, the client away) is tried again after 2, 4, 8 ...
times `every` seconds, and given up after `MAX_FAILURES` tries in a row, with one warning: trying
every few seconds for ever filled the log. A closed cycle's card, once it shows the cycle closed,
is never updated again.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any, Awaitable, Callable

from bot.outbox.policy import ConversationLimiter, Pacer
from bot.outbox.recorder import SenderStats
from cards.cycle_progress import progress_card
from store.cycles.lifecycle import progress_targets
from store.cycles.status import cycle_status
from store.db.outage import database_unavailable

__all__ = ["ProgressCards", "MAX_FAILURES"]

log = logging.getLogger(__name__)

MAX_FAILURES = 6  # tries in a row before a card is given up (about 2**6 times `every` seconds)
_CLOSED = "closed"


class ProgressCards:
    def __init__(
        self,
        run: Callable[..., Awaitable[Any]],
        proactive: Any,
        bucket: Pacer,  # the sender's own: a TokenBucket on SQLite, the tenant's SharedRate on PostgreSQL
        conversations: ConversationLimiter,
        *,
        clock: Callable[[], datetime],
        every: float,
        stats: SenderStats,
        default_pause: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._run, self.proactive, self.bucket, self.conversations = run, proactive, bucket, conversations
        self.clock, self.every, self.stats, self.default_pause = clock, every, stats, default_pause
        self._monotonic = monotonic
        self._last = float("-inf")
        self._shown: dict[int, tuple[Any, ...]] = {}  # cycle id -> the figures its card shows
        self._failed: dict[int, tuple[int, float]] = {}  # cycle id -> (failures in a row, next try at)
        self._done: set[int] = set()  # closed and shown so, or given up: never updated again

    async def refresh(self, force: bool = False) -> None:
        if not force and self._monotonic() - self._last < self.every:
            return
        self._last = self._monotonic()
        try:
            for cycle_id, conversation, activity_id in await self._run(progress_targets, self.clock()):
                await self._one(cycle_id, conversation, activity_id)
        except Exception as err:  # a progress card is a convenience: never let it stop the sending
            log.warning("progress card update failed", exc_info=not database_unavailable(err))

    async def _one(self, cycle_id: int, conversation: dict[str, Any], activity_id: str) -> None:
        if cycle_id in self._done or self._failed.get(cycle_id, (0, 0.0))[1] > self._monotonic():
            return
        status = await self._run(cycle_status, cycle_id)
        key = status.progress_key()
        if self._shown.get(cycle_id) == key:
            if status.status == _CLOSED:
                self._done.add(cycle_id)
            return
        if self.conversations.reserve(str((conversation.get("conversation") or {}).get("id"))) > 0:
            return  # that chat is at Teams' limit: next time
        await self.bucket.acquire()
        card = progress_card(status.as_json(), updated=self.clock().strftime("%d %b %Y %H:%M UTC"))
        result = await self.proactive.update(conversation, activity_id, card)
        if result.ok:
            self._shown[cycle_id] = key
            self._failed.pop(cycle_id, None)
            self.stats.progress_updates += 1
            if status.status == _CLOSED:
                self._done.add(cycle_id)
        elif result.status == 429:
            self.bucket.pause(result.retry_after or self.default_pause)
        else:
            self._failure(cycle_id, result.error)

    def _failure(self, cycle_id: int, error: Any) -> None:
        failures = self._failed.get(cycle_id, (0, 0.0))[0] + 1
        if failures >= MAX_FAILURES:
            self._failed.pop(cycle_id, None)
            self._done.add(cycle_id)
            log.warning("progress card of cycle %s not updated after %s tries, given up: %s", cycle_id, failures, error)
            return
        wait = max(self.every, 1.0) * 2**failures
        self._failed[cycle_id] = (failures, self._monotonic() + wait)
        log.info("progress card of cycle %s not updated: %s; trying again in %.0f s", cycle_id, error, wait)
