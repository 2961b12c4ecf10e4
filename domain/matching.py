"""When fuzzy words name one thing: the "clear winner" rule, written once.

Typed words ('update disclosure policy', or a title typed back in the update dialog) are scored
against candidates' titles (rapidfuzz WRatio, 0-100, by the caller). They name one candidate
only when its score is good enough on its own (MIN_SCORE) and well ahead of the next best
(LEAD points): otherwise the bot lists the candidates and lets the owner choose.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

__all__ = ["MIN_SCORE", "LEAD", "clear_winner"]

MIN_SCORE = 70  # below this, words do not count as a match
LEAD = 10  # how far the best must be ahead of the next for there to be no doubt

T = TypeVar("T")


def clear_winner(scored: Iterable[tuple[float, T]]) -> T | None:
    """The item of the best (score, item) pair when it scores at least MIN_SCORE and at least
    LEAD points more than the next best (whatever that one scores); None otherwise."""
    ranked = sorted(scored, key=lambda pair: -pair[0])
    if not ranked or ranked[0][0] < MIN_SCORE:
        return None
    if len(ranked) > 1 and ranked[0][0] < ranked[1][0] + LEAD:
        return None
    return ranked[0][1]
