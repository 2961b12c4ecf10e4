"""The governance user's progress card, updated in place while a cycle runs.

When Confirm opens a cycle the bot posts a progress card and stores where it is
(UpdateCycle.progress_conversation / progress_activity_id). The sender calls `refresh()` as it
works; at most every `every` seconds it recomputes each open (or just closed) cycle's status and,
when a figure the card shows changed (a send, a failure, an owner's response), replaces the card.
Updating a card in place is idempotent, so several senders doing it is harmless.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any, Awaitable, Callable

from bot.send_policy import ConversationLimiter, TokenBucket
from cards.cycle_progress import progress_card
from store.cycles.status import cycle_status
from store.cycles.lifecycle import progress_targets
from store.db.outage import database_unavailable

__all__ = ["ProgressCards"]

log = logging.getLogger(__name__)


class ProgressCards:
    def __init__(
        self,
        run: Callable[..., Awaitable[Any]],
        proactive: Any,
        bucket: TokenBucket,
        conversations: ConversationLimiter,
        *,
        clock: Callable[[], datetime],
        every: float,
        stats: Any,
        default_pause: float = 1.0,
    ) -> None:
        self._run, self.proactive, self.bucket, self.conversations = run, proactive, bucket, conversations
        self.clock, self.every, self.stats, self.default_pause = clock, every, stats, default_pause
        self._last = float("-inf")
        self._shown: dict[int, tuple] = {}  # cycle id -> the figures its card shows

    async def refresh(self, force: bool = False) -> None:
        if not force and time.monotonic() - self._last < self.every:
            return
        self._last = time.monotonic()
        try:
            for cycle_id, conversation, activity_id in await self._run(progress_targets, self.clock()):
                await self._one(cycle_id, conversation, activity_id)
        except Exception as err:  # a progress card is a convenience: never let it stop the sending
            log.warning("progress card update failed", exc_info=not database_unavailable(err))

    async def _one(self, cycle_id: int, conversation: dict[str, Any], activity_id: str) -> None:
        status = await self._run(cycle_status, cycle_id)
        key = status.progress_key()
        if self._shown.get(cycle_id) == key:
            return
        if self.conversations.reserve(str((conversation.get("conversation") or {}).get("id"))) > 0:
            return  # that chat is at Teams' limit: next time
        await self.bucket.acquire()
        card = progress_card(status.as_json(), updated=self.clock().strftime("%d %b %Y %H:%M UTC"))
        result = await self.proactive.update(conversation, activity_id, card)
        if result.ok:
            self._shown[cycle_id] = key
            self.stats.progress_updates += 1
        elif result.status == 429:
            self.bucket.pause(result.retry_after or self.default_pause)
        else:
            log.info("progress card of cycle %s not updated: %s", cycle_id, result.error)
