"""The sender's pure policy: which outcomes retry and when, the global bucket, Teams' per-conversation limits."""

from __future__ import annotations

import random

import pytest

from bot.outbox.policy import ConversationLimiter, RetryPolicy, TokenBucket, backoff, classify

POLICY = RetryPolicy(base=2.0, factor=2.0, cap=60.0, max_attempts=5, max_throttled_attempts=20)


@pytest.mark.parametrize(
    "status, retry_after, error, attempts, outcome, reason",
    [
        (200, None, None, 1, "sent", ""),
        (429, 7.0, "HTTP 429: Throttled", 1, "retry", "HTTP 429: Throttled"),
        (412, None, "HTTP 412", 1, "retry", "HTTP 412"),
        (502, None, "HTTP 502", 2, "retry", "HTTP 502"),
        (503, None, "HTTP 503", 3, "retry", "HTTP 503"),
        (504, None, "HTTP 504", 4, "retry", "HTTP 504"),
        (None, None, "timeout", 1, "retry", "timeout"),
        (None, None, "connection error: refused", 1, "retry", "connection error: refused"),
        (503, None, "HTTP 503", 5, "failed", "gave up after 5 attempts: HTTP 503"),
        (None, None, "timeout", 5, "failed", "gave up after 5 attempts: timeout"),
        (429, 1.0, "HTTP 429", 20, "failed", "gave up after 20 attempts, still throttled: HTTP 429"),
        (
            403,
            None,
            "HTTP 403: ConversationBlockedByUser",
            1,
            "failed",
            "HTTP 403: ConversationBlockedByUser (the user has blocked or removed the bot)",
        ),
        (
            404,
            None,
            "HTTP 404: ConversationNotFound",
            1,
            "failed",
            "HTTP 404: ConversationNotFound (the conversation no longer exists)",
        ),
        (400, None, "HTTP 400: BadArgument", 1, "failed", "HTTP 400: BadArgument"),
    ],
)
def test_classify(status, retry_after, error, attempts, outcome, reason):
    verdict = classify(status == 200, status, retry_after, error, attempts, POLICY, random.Random(1))
    assert (verdict.outcome, verdict.reason) == (outcome, reason)


def test_429_waits_for_retry_after_and_pauses_everyone():
    verdict = classify(False, 429, 7.0, "HTTP 429", 3, POLICY, random.Random(1))
    assert verdict.pause_all == 7.0 and 7.0 <= verdict.delay <= 7.7  # up to 10% jitter, never sooner
    default = classify(False, 429, None, "HTTP 429", 1, POLICY, random.Random(1))
    assert default.pause_all == POLICY.default_retry_after


def test_backoff_is_exponential_jittered_and_capped():
    rng = random.Random(7)
    for attempt, step in ((1, 2.0), (2, 4.0), (3, 8.0), (4, 16.0), (9, 60.0), (30, 60.0)):
        delays = [backoff(attempt, POLICY, rng) for _ in range(200)]
        assert all(step / 2 <= d <= step for d in delays)
        assert max(delays) - min(delays) > step / 4  # really jittered
    assert classify(False, 503, None, "x", 1, POLICY, random.Random(3)).delay <= 2.0


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_token_bucket_paces_and_pauses():
    t = FakeTime()
    bucket = TokenBucket(10, burst=2, clock=t.clock, sleep=t.sleep)
    for _ in range(12):
        await bucket.acquire()
    assert t.now == pytest.approx(101.0)  # 2 from the burst, then 10 a second
    bucket.pause(5)
    await bucket.acquire()
    assert t.now == pytest.approx(106.0)
    with pytest.raises(ValueError):
        TokenBucket(0)


def test_conversation_limiter_follows_teams_windows():
    t = FakeTime()
    limiter = ConversationLimiter(clock=t.clock)
    assert [limiter.reserve("a") for _ in range(7)] == [0.0] * 7
    assert limiter.reserve("a") == pytest.approx(1.0)  # 7 a second
    assert limiter.reserve("b") == 0.0  # other conversations are not affected
    t.now += 1.0
    assert limiter.reserve("a") == 0.0  # the 8th, after a second
    assert limiter.reserve("a") == pytest.approx(1.0)  # 8 per 2 seconds
    for _ in range(60):
        t.now += 0.3
        limiter.reserve("a")
    sent = len(limiter._sent["a"])
    assert sent <= 60 + 8  # never more than 60 inside any 30 s window (plus the first burst, aged out)
    times = list(limiter._sent["a"])
    assert all(sum(1 for x in times if s <= x < s + 30) <= 60 for s in times)
