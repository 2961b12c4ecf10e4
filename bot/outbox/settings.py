"""A sender's settings: one frozen value, made from the app's settings in one place (`from_config`).

The collaborators (the clock, the pacer, the per-conversation limiter, the random source) are not
settings: OutboxSender takes them as keyword arguments, so tests and benchmarks inject their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.outbox.policy import RetryPolicy
from config import DEFAULT_SEND_RATE, Settings

__all__ = ["SenderSettings", "LEASE_MARGIN", "DEFAULT_LEASE", "DEFAULT_TIMEOUT"]

# A send starts only while its claim has at least (send timeout + this) left: room to record the
# outcome, and for clocks of different hosts that disagree a little.
LEASE_MARGIN = 2.0
# Claims are short and renewed while held: a killed sender's messages are claimable again within
# DEFAULT_LEASE of its death (issue 11). The lease must outlast a send: 2 x timeout + margin.
DEFAULT_TIMEOUT = 10.0
DEFAULT_LEASE = timedelta(seconds=2 * DEFAULT_TIMEOUT + LEASE_MARGIN + 2)


@dataclass(frozen=True)
class SenderSettings:
    rate: float = DEFAULT_SEND_RATE  # messages a second (SEND_RATE_PER_SECOND)
    burst: float | None = None  # a process-local bucket's saved sends; None: the rate, at most 10
    # None: a new id for each sender (host:pid:random); two live senders must never share one
    worker_id: str | None = None
    batch_size: int | None = None  # messages claimed at a time; None: two seconds' worth, 1 to 100
    lease: timedelta = DEFAULT_LEASE  # how long a claim lasts unless renewed
    concurrency: int = 16  # sends in flight at once
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    poll: float = 1.0  # seconds between looks at an idle outbox
    progress_every: float = 5.0  # seconds between updates of a cycle's progress card

    @property
    def claim_size(self) -> int:
        return self.batch_size or max(1, min(100, int(self.rate * 2)))

    @classmethod
    def from_config(
        cls,
        config: Settings,
        *,
        rate: float | None = None,
        lease: timedelta = DEFAULT_LEASE,
        batch_size: int | None = None,
        poll: float = 1.0,
    ) -> SenderSettings:
        """The server's and the worker's sender (the worker command's options override the rate,
        the lease and the batch)."""
        return cls(rate=rate or config.send_rate_per_second, lease=lease, batch_size=batch_size, poll=poll)
