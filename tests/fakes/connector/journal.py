"""What a fake connector received: every request that carried an activity, counters, and waiting for them."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections import Counter
from typing import Any

from tests.fakes.connector.activities import ADAPTIVE_CARD, Received


class Journal:
    """The recording half of FakeConnector (a base class: its methods are the connector's)."""

    def __init__(self) -> None:
        # a Condition, so that wait_for_blocking sleeps until _record notifies
        self._lock = threading.Condition()
        self._records: list[Received] = []
        self._seq = itertools.count(1)
        self._received = 0
        self._rejected: Counter[int] = Counter()
        self._accepted_by_cid: Counter[str] = Counter()  # accepted requests that carried an activity
        self._accepted_total = 0

    def _record(
        self,
        kind: str,
        method: str,
        cid: str,
        aid: str | None,
        reply_to: str | None,
        activity: dict | None,
        status: int,
        authorization: str | None = None,
    ) -> None:
        with self._lock:
            self._received += 1
            if not 200 <= status < 300:
                self._rejected[status] += 1
            elif activity is not None:
                self._accepted_by_cid[cid] += 1
                self._accepted_total += 1
            self._records.append(
                Received(
                    next(self._seq), kind, method, cid, aid, reply_to, activity, status, time.monotonic(), authorization
                )
            )
            self._lock.notify_all()

    def records(self, conversation_id: str | None = None, *, accepted_only: bool = False) -> list[Received]:
        with self._lock:
            return [
                r
                for r in self._records
                if (conversation_id is None or r.conversation_id == conversation_id)
                and (r.accepted or not accepted_only)
            ]

    def activities(self, conversation_id: str | None = None) -> list[dict]:
        """Activity JSON of every accepted send, reply and update, in arrival order."""
        return [r.activity for r in self.records(conversation_id, accepted_only=True) if r.activity is not None]

    def texts(self, conversation_id: str | None = None) -> list[str]:
        return [a["text"] for a in self.activities(conversation_id) if a.get("text")]

    def cards(self, conversation_id: str | None = None) -> list[dict]:
        """The Adaptive Card contents of accepted activities, in arrival order."""
        return [
            att.get("content")
            for a in self.activities(conversation_id)
            for att in a.get("attachments") or []
            if att.get("contentType") == ADAPTIVE_CARD
        ]

    def delivered_counts(self) -> Counter[str]:
        """Accepted new messages (sends and replies) per conversation; > 1 means duplicates."""
        with self._lock:
            return Counter(r.conversation_id for r in self._records if r.accepted and r.kind in ("send", "reply"))

    def stats(self) -> dict[str, Any]:
        """Counters: received, accepted, rejected (total) and rejected_by_status."""
        with self._lock:
            rejected = sum(self._rejected.values())
            return {
                "received": self._received,
                "accepted": self._received - rejected,
                "rejected": rejected,
                "rejected_by_status": dict(self._rejected),
            }

    def forget(self) -> None:
        """Drop the recorded requests, keeping the counters (a long benchmark need not hold every card)."""
        with self._lock:
            self._records.clear()

    def _count_accepted(self, conversation_id: str | None) -> int:
        if conversation_id is None:
            return self._accepted_total
        return self._accepted_by_cid[conversation_id]

    async def wait_for(self, count: int, timeout: float = 5.0, conversation_id: str | None = None) -> list[dict]:
        """Wait (without blocking the loop) until `count` activities were accepted; returns them."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if self._count_accepted(conversation_id) >= count:
                    break
            if time.monotonic() >= deadline:
                raise AssertionError(self._timeout_message(count, timeout, conversation_id))
            await asyncio.sleep(0.005)
        return self.activities(conversation_id)

    def wait_for_blocking(self, count: int, timeout: float = 5.0, conversation_id: str | None = None) -> list[dict]:
        """Like `wait_for`, for sync code (the connector must run in the background thread)."""
        with self._lock:
            done = self._lock.wait_for(lambda: self._count_accepted(conversation_id) >= count, timeout)
        if not done:
            raise AssertionError(self._timeout_message(count, timeout, conversation_id))
        return self.activities(conversation_id)

    def _timeout_message(self, count: int, timeout: float, conversation_id: str | None) -> str:
        where = f" in {conversation_id}" if conversation_id else ""
        got = len(self.activities(conversation_id))
        return f"expected {count} activities{where} within {timeout}s, got {got}; stats {self.stats()}"
