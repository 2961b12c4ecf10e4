"""What a fake connector refuses, and when: set by a test, consulted by the server on each request.

A global rate limit (token bucket, 429 + Retry-After), scripted per-conversation failures, blocked
(403) or missing (404) conversations, slow answers, and the members a conversation lists. No HTTP
here: the server turns a ``Refusal`` into the error response.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Refusal:
    """The error the connector answers instead of accepting a request."""

    status: int
    message: str
    retry_after: float | None = None


class _Bucket:
    """Token bucket: `rate` per second, bursts up to `burst`."""

    def __init__(self, rate: float, burst: float | None = None) -> None:
        self.rate = float(rate)
        self.capacity = float(burst if burst is not None else max(1.0, rate))
        self.tokens = self.capacity
        self.last = time.monotonic()

    def take(self) -> float:
        """0 when a token was taken, else the seconds until one is available."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


class Faults:
    """The fault-injection half of FakeConnector (a base class: its methods are the connector's)."""

    def __init__(
        self,
        *,
        rate_limit: float | None = None,
        burst: float | None = None,
        retry_after: float | None = None,
        members: Iterable[dict] | None = None,
    ) -> None:
        self._fault_lock = threading.Lock()
        self._bucket = _Bucket(rate_limit, burst) if rate_limit else None
        self._retry_after = retry_after
        self._scripts: dict[str, deque[tuple[int, float | None]]] = {}
        self._blocked: set[str] = set()
        self._missing: set[str] = set()
        self._delays: dict[str, float] = {}
        self._default_members = [dict(m) for m in (members or [])]
        self._members: dict[str, list[dict]] = {}

    def fail(self, conversation_id: str, statuses: Iterable[int], retry_after: float | None = None) -> None:
        """The next sends to the conversation answer these statuses, in order (then normal)."""
        with self._fault_lock:
            script = self._scripts.setdefault(conversation_id, deque())
            script.extend((int(s), retry_after) for s in statuses)

    def block(self, conversation_id: str) -> None:
        """403 forever (the user blocked or uninstalled the bot)."""
        with self._fault_lock:
            self._blocked.add(conversation_id)

    def missing(self, conversation_id: str) -> None:
        """404 forever (the conversation does not exist)."""
        with self._fault_lock:
            self._missing.add(conversation_id)

    def delay(self, conversation_id: str, seconds: float) -> None:
        """Answer requests for the conversation only after `seconds` (0 removes the delay).
        The request still succeeds after the delay, as a real service may deliver a message
        whose sender timed out."""
        with self._fault_lock:
            if seconds > 0:
                self._delays[conversation_id] = seconds
            else:
                self._delays.pop(conversation_id, None)

    def set_rate_limit(self, per_second: float | None, burst: float | None = None) -> None:
        with self._fault_lock:
            self._bucket = _Bucket(per_second, burst) if per_second else None

    def clear(self, conversation_id: str | None = None) -> None:
        """Remove faults for one conversation, or all faults."""
        with self._fault_lock:
            for table in (self._scripts, self._delays):
                if conversation_id is None:
                    table.clear()
                else:
                    table.pop(conversation_id, None)
            for group in (self._blocked, self._missing):
                if conversation_id is None:
                    group.clear()
                else:
                    group.discard(conversation_id)

    def set_members(self, conversation_id: str | None, members: Iterable[dict]) -> None:
        """Members returned for a conversation (None: for every conversation without its own)."""
        with self._fault_lock:
            if conversation_id is None:
                self._default_members = [dict(m) for m in members]
            else:
                self._members[conversation_id] = [dict(m) for m in members]

    # --- consulted by the server --------------------------------------------------------------

    def _members_of(self, cid: str) -> list[dict]:
        with self._fault_lock:
            return list(self._members.get(cid, self._default_members))

    def _delay_of(self, cid: str) -> float | None:
        with self._fault_lock:
            return self._delays.get(cid)

    def _refusal(self, cid: str, *, posting: bool) -> Refusal | None:
        """A scripted or standing failure for this request, consuming it; None to accept."""
        with self._fault_lock:
            if cid in self._blocked:
                return Refusal(403, "The bot is blocked in this conversation.")
            if cid in self._missing:
                return Refusal(404, "Conversation not found.")
            if not posting:
                return None
            script = self._scripts.get(cid)
            if script:
                status, retry_after = script.popleft()
                if status == 429 and retry_after is None:
                    retry_after = 1.0
                return Refusal(status, f"Scripted failure {status}.", retry_after)
            if self._bucket is not None:
                wait = self._bucket.take()
                if wait > 0:
                    retry_after = self._retry_after if self._retry_after is not None else wait
                    return Refusal(429, "Too many requests.", retry_after)
        return None

    def _throttled(self) -> Refusal | None:
        """The rate limit alone (creating a conversation): a 429, or None to go ahead."""
        with self._fault_lock:
            wait = self._bucket.take() if self._bucket is not None else 0.0
        if wait > 0:
            return Refusal(429, "Too many requests.", self._retry_after or wait)
        return None
