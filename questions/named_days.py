"""Named days and seasons as periods: "Christmas", "Easter", "year end", "the summer".

Each name makes a period for a given year; which year a bare name means follows the
rule of bare months: forward questions ("due before Christmas") take the next one that
has not ended, backward questions ("delivered since Easter") the last one that has
begun.  "Year end" and "quarter end" follow the financial calendar (year to 31 March,
quarters from April), as the tracker's figures do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

__all__ = ["NAMED_DAY", "named_period"]

Make = Callable[[int], tuple[date, date]]


def _day(month: int, day: int) -> Make:
    return lambda year: (date(year, month, day), date(year, month, day))


def _easter(offset: int) -> Make:
    return lambda year: (easter(year) + timedelta(days=offset),) * 2


def _season(first_month: int) -> Make:
    def make(year: int) -> tuple[date, date]:
        start = date(year, first_month, 1)
        return start, start + relativedelta(months=3, days=-1)

    return make


# (pattern over the normalised words, period maker); the first full match names the day.
_NAMES: tuple[tuple[str, Make], ...] = (
    (r"christmas\s+eve", _day(12, 24)),
    (r"(?:christmas|xmas)\s+(?:period|holidays?|break|hols)", lambda year: (date(year, 12, 24), date(year + 1, 1, 1))),
    (r"christmas(?:\s+day)?|xmas(?:\s+day)?", _day(12, 25)),
    (r"boxing\s+day", _day(12, 26)),
    (r"new\s+years?\s+eve", _day(12, 31)),
    (r"new\s+years?(?:\s+day)?", _day(1, 1)),
    (r"good\s+friday", _easter(-2)),
    (r"easter\s+monday", _easter(1)),
    (r"easter(?:\s+sunday|\s+day)?", _easter(0)),
    (r"valentines?(?:\s+day)?", _day(2, 14)),
    (r"st\s+georges?\s+day|saint\s+georges?\s+day", _day(4, 23)),
    (r"halloween", _day(10, 31)),
    (r"bonfire\s+night|guy\s+fawkes(?:\s+night)?", _day(11, 5)),
    (r"(?:the\s+)?(?:financial\s+|fiscal\s+)?year\s+end", _day(3, 31)),
    (r"spring", _season(3)),
    (r"summer", _season(6)),
    (r"autumn|fall", _season(9)),
    (r"winter", _season(12)),
)
_COMPILED = tuple((re.compile(pattern), make) for pattern, make in _NAMES)
_QUARTER_END = re.compile(r"(?:the\s+)?(?:financial\s+)?quarter\s+end")

NAMED_DAY = (
    r"(?:the\s+)?(?P<named>"
    + "|".join(f"(?:{p})" for p, _ in _NAMES)
    + "|"
    + _QUARTER_END.pattern
    + r")(?:\s+(?P<y>(?:19|20)\d{2}))?"
)


def _quarter_end(today: date, backward: bool) -> tuple[date, date]:
    # The financial quarters end with the calendar ones (June, September, December, March).
    first = today.replace(day=1) - relativedelta(months=(today.month - 1) % 3)
    end = first + relativedelta(months=3, days=-1)
    if backward and end > today:
        end = first - timedelta(days=1)
    return end, end


def named_period(groups: dict[str, str | None], today: date, backward: bool) -> tuple[date, date] | None:
    """The (start, end) the named day or season in ``groups`` means, or None if unknown."""
    name = " ".join((groups.get("named") or "").split())
    if _QUARTER_END.fullmatch(name):
        return _quarter_end(today, backward)
    make = next((make for pattern, make in _COMPILED if pattern.fullmatch(name)), None)
    if make is None:
        return None
    if groups.get("y"):
        return make(int(groups["y"] or 0))
    # The first (forward) or last (backward) occurrence around today, the year before to the year after.
    occurrences = [make(year) for year in (today.year - 1, today.year, today.year + 1)]
    if backward:
        return next(p for p in reversed(occurrences) if p[0] <= today)
    return next(p for p in occurrences if p[1] >= today)
