"""The Hypothesis settings the live-bot property tests share (roles, refusals, fuzzers).

Each example drives a real bot over HTTP, so runs are bounded and repeatable: derandomized, no
example database, no deadline, and no shrinking in the suite (a failure reports the example that
failed). Set HYPOTHESIS_SHRINK=1 locally for a minimal example.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

__all__ = ["FAST", "live_settings"]

FAST = list(Phase) if os.environ.get("HYPOTHESIS_SHRINK") else [Phase.explicit, Phase.reuse, Phase.generate]


def live_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=FAST,
        suppress_health_check=list(HealthCheck),
    )
