"""How fast and how often the outbox sender may try: pure policy, no I/O.

* `TokenBucket`: the global rate (settings.send_rate_per_second, default 20/s; Teams allows 50 per
  app per tenant), paused as a whole when the connector answers 429 with Retry-After.
* `ConversationLimiter`: Teams' per-conversation limits (7 per second, 8 per 2 s, 60 per 30 s,
  1800 per hour for one bot in one conversation).
* `classify`: what a send's outcome means: sent; retry later (429 after Retry-After; 408, 412,
  500, 502, 503, 504, timeouts and connection errors with jittered exponential backoff up to a
  cap); or a final failure (403: the user blocked the bot; 404: no such conversation; other 4xx;
  too many attempts). Retries are re-scheduled in the outbox by the caller, never slept on.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Awaitable, Callable, Protocol

__all__ = [
    "RetryPolicy",
    "Verdict",
    "classify",
    "backoff",
    "Paced",
    "Pacer",
    "TokenBucket",
    "ConversationLimiter",
    "RETRYABLE",
    "TEAMS_CONVERSATION_LIMITS",
]

RETRYABLE = frozenset({408, 412, 500, 502, 503, 504})
TEAMS_CONVERSATION_LIMITS = ((1.0, 7), (2.0, 8), (30.0, 60), (3600.0, 1800))
_FINAL_REASONS = {403: "the user has blocked or removed the bot", 404: "the conversation no longer exists"}


@dataclass(frozen=True)
class RetryPolicy:
    base: float = 2.0  # seconds before the first retry (about: jitter spreads it)
    factor: float = 2.0
    cap: float = 300.0  # never wait longer than this between attempts
    max_attempts: int = 8  # then the message is failed for good
    max_throttled_attempts: int = 50  # 429s are the service pacing us, not failures
    default_retry_after: float = 1.0  # a 429 without Retry-After


@dataclass(frozen=True)
class Verdict:
    outcome: str  # sent | retry | failed
    delay: float = 0.0  # seconds until the next attempt (retry)
    pause_all: float = 0.0  # seconds every send should wait (429: the whole app is throttled)
    reason: str = ""


def backoff(attempt: int, policy: RetryPolicy, rng: random.Random) -> float:
    """Exponential with 'equal jitter': half the step fixed, half random (never a stampede)."""
    step = min(policy.cap, policy.base * policy.factor ** max(0, attempt - 1))
    return step / 2 + rng.uniform(0, step / 2)


def classify(
    ok: bool,
    status: int | None,
    retry_after: float | None,
    error: str | None,
    attempts: int,
    policy: RetryPolicy,
    rng: random.Random,
) -> Verdict:
    """`attempts`: how many times this message has been tried, this one included."""
    if ok:
        return Verdict("sent")
    detail = error or (f"HTTP {status}" if status else "no answer")
    if status == 429:
        if attempts >= policy.max_throttled_attempts:
            return Verdict("failed", reason=f"gave up after {attempts} attempts, still throttled: {detail}")
        wait = retry_after if retry_after is not None else policy.default_retry_after
        return Verdict("retry", delay=wait * (1 + rng.uniform(0, 0.1)), pause_all=wait, reason=detail)
    if status is None or status in RETRYABLE:
        if attempts >= policy.max_attempts:
            return Verdict("failed", reason=f"gave up after {attempts} attempts: {detail}")
        return Verdict("retry", delay=backoff(attempts, policy, rng), reason=detail)
    if status in _FINAL_REASONS:
        return Verdict("failed", reason=f"{detail} ({_FINAL_REASONS[status]})")
    return Verdict("failed", reason=detail)


class Pacer(Protocol):
    """What the worker and the progress cards need of a pacer: TokenBucket (one process) or
    SharedRate (the tenant's rate, bot/outbox/shared_rate.py)."""

    rate: float

    async def acquire(self) -> None: ...

    def pause(self, seconds: float) -> None: ...


class Paced:
    """What every pacer shares (TokenBucket here; SharedRate in bot/outbox/shared_rate.py): a rate above
    zero, callers served first come first served (`_lock`), and a pause for all of them."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("the send rate must be above zero")
        self.rate = float(rate)
        self._clock, self._sleep = clock, sleep
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        """A 429: no send until `seconds` from now (a longer pause already set still holds)."""
        self._paused_until = max(self._paused_until, self._clock() + max(0.0, seconds))

    async def _after_pause(self) -> float:
        """Sleep through any pause (it may be lengthened meanwhile); returns the time then."""
        while True:
            now = self._clock()
            if now >= self._paused_until:
                return now
            await self._sleep(self._paused_until - now)


class TokenBucket(Paced):
    """`rate` tokens a second, up to `burst` saved; `pause(s)` stops everyone for s seconds."""

    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(rate, clock=clock, sleep=sleep)
        self.capacity = float(burst if burst is not None else max(1.0, min(rate, 10.0)))
        self.tokens = self.capacity
        self._last = clock()

    def _refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self._last) * self.rate)
        self._last = now

    async def acquire(self) -> None:
        async with self._lock:  # first come, first served
            while True:
                now = await self._after_pause()
                self._refill(now)
                if self.tokens >= 1.0 - 1e-9:  # float rounding must not leave us sleeping for nothing
                    self.tokens = max(0.0, self.tokens - 1.0)
                    return
                await self._sleep(max(1e-3, (1.0 - self.tokens) / self.rate))


class ConversationLimiter:
    """Sliding windows per conversation; `reserve` books a send now, or says how long to wait."""

    def __init__(
        self,
        limits: tuple[tuple[float, int], ...] = TEAMS_CONVERSATION_LIMITS,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_conversations: int = 50_000,
    ) -> None:
        self.limits = limits
        self._horizon = max(window for window, _ in limits)
        self._clock = clock
        self._sent: OrderedDict[str, deque[float]] = OrderedDict()
        self._max = max_conversations

    def reserve(self, conversation_id: str) -> float:
        now = self._clock()
        times = self._sent.get(conversation_id)
        if times is None:
            times = self._sent[conversation_id] = deque()
        self._sent.move_to_end(conversation_id)
        while times and now - times[0] >= self._horizon:
            times.popleft()
        wait = 0.0
        for window, most in self.limits:
            recent = [t for t in times if now - t < window]
            if len(recent) >= most:
                wait = max(wait, recent[-most] + window - now)
        if wait <= 0:
            times.append(now)
        while len(self._sent) > self._max:
            self._sent.popitem(last=False)
        return max(0.0, wait)
