"""Date windows in words: a small grammar of connector + period.

``find_dates`` spots the phrases ("before the end of March", "in the next 3 months",
"in 2026/27 Q4", "older than 2018"); :meth:`DatePhrase.resolve` turns one into a
:class:`Window` once the question's direction (forward or backward) is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from questions.periods import BARE_PERIOD, NUMBER, PERIOD, UNIT, number, parse_period, shift
from questions.text import View

__all__ = ["DatePhrase", "Window", "find_dates"]

_DAY = timedelta(days=1)
_UNTIL = r"(?:by|until|till|up\s+to|no\s+later\s+than|on\s+or\s+before)"

# (kind, pattern): the grammar.  ``p``/``p2`` are periods, ``n``/``u`` a count of units.
_PHRASES: tuple[tuple[str, str], ...] = (
    ("between", rf"between\s+(?P<p>{PERIOD})\s+and\s+(?P<p2>{PERIOD})"),
    ("to_end", rf"(?:(?:before|{_UNTIL}|at)\s+)?(?:the\s+)?end\s+of\s+(?P<p>{PERIOD})"),
    ("to_end", rf"{_UNTIL}\s+(?P<p>{PERIOD})"),
    ("to_start", rf"before\s+(?:the\s+start\s+of\s+)?(?P<p>{PERIOD})"),
    ("after", rf"after\s+(?:the\s+end\s+of\s+)?(?P<p>{PERIOD})"),
    ("from", rf"(?:from|since|starting(?:\s+from)?)\s+(?P<p>{PERIOD})"),
    ("older", rf"older\s+than\s+(?P<p>{PERIOD})"),
    ("older_n", rf"older\s+than\s+(?P<n>{NUMBER})\s+(?P<u>{UNIT})"),
    ("older_n", rf"(?:(?:more\s+than|over|at\s+least)\s+)?(?P<n>{NUMBER})\s+(?P<u>{UNIT})\s+old"),
    (
        "next_n",
        rf"(?:(?:in|within|over|during|for)\s+)?(?:the\s+)?(?:next|coming|following)\s+"
        rf"(?P<n>{NUMBER})\s+(?P<u>{UNIT})",
    ),
    ("next_n", rf"(?:within|in)\s+(?P<n>{NUMBER})\s+(?P<u>{UNIT})(?:\s+time)?"),
    (
        "last_n",
        rf"(?:(?:in|over|during|for|within)\s+)?(?:the\s+)?(?:last|past|previous)\s+"
        rf"(?P<n>{NUMBER})\s+(?P<u>{UNIT})",
    ),
    ("period", rf"(?:in|during|within|for|over|on)\s+(?:the\s+)?(?P<p>{PERIOD})"),
    ("period", rf"(?P<p>{BARE_PERIOD})"),
)
_GRAMMAR = tuple((kind, re.compile(rf"\b(?:{pattern})(?![\w/-])")) for kind, pattern in _PHRASES)


@dataclass(frozen=True)
class Window:
    """Inclusive bounds on a date; ``cutoff`` is the first day excluded by "before X"."""

    start: date | None
    end: date | None
    cutoff: date | None = None
    cutoff_only: bool = False  # "older than 2018" names a cut-off rather than a window


@dataclass(frozen=True)
class DatePhrase:
    kind: str
    tokens: range
    words: tuple[tuple[str, str | None], ...]  # the named parts of the match

    def resolve(self, today: date, backward: bool) -> Window | None:
        """The window this phrase means, or None when it names an impossible date."""
        parts = dict(self.words)
        if self.kind in ("next_n", "last_n", "older_n"):
            count, unit = number(parts["n"] or ""), parts["u"] or ""
            if self.kind == "next_n":
                return Window(today, shift(today, count, unit))
            if self.kind == "last_n":
                return Window(shift(today, -count, unit), today)
            cutoff = shift(today, -count, unit)
            return Window(None, cutoff - _DAY, cutoff, cutoff_only=True)
        period = parse_period(parts["p"] or "", today, backward)
        if period is None:
            return None
        if self.kind == "period":
            forward_now = not backward and period.contains(today)
            return Window(today if forward_now else period.start, period.end)
        if self.kind in ("to_end", "to_start"):
            # "before year end" means by it, as "before the end of March" does
            by_end = self.kind == "to_end" or re.search(r"\bend$", parts["p"] or "") is not None
            end = period.end if by_end else period.start - _DAY
            start = today if not backward and end >= today else None
            return Window(start, end, None if by_end else period.start)
        if self.kind == "after":
            return Window(period.end + _DAY, None)
        if self.kind == "from":
            return Window(period.start, None)
        if self.kind == "older":
            return Window(None, period.start - _DAY, period.start, cutoff_only=True)
        last = parse_period(parts["p2"] or "", today, backward)  # between
        return None if last is None else Window(period.start, last.end)


def find_dates(words: tuple[str, ...]) -> list[DatePhrase]:
    """Every date phrase in ``words``, longest first, none overlapping another."""
    view = View.of(words)
    candidates: list[tuple[int, int, DatePhrase]] = []
    for order, (kind, pattern) in enumerate(_GRAMMAR):
        for match, tokens in view.find(pattern):
            named = tuple((k, v) for k, v in match.groupdict().items())
            candidates.append((match.end() - match.start(), -order, DatePhrase(kind, tokens, named)))
    chosen: list[DatePhrase] = []
    taken: set[int] = set()
    for _, _, phrase in sorted(candidates, key=lambda c: (c[0], c[1]), reverse=True):
        if taken.isdisjoint(phrase.tokens):
            chosen.append(phrase)
            taken.update(phrase.tokens)
    return chosen
