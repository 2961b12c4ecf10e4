"""Named periods in words ("March", "Q4", "2026/27 Q4", "this quarter", "31/03/2027").

A period is an inclusive date range.  Which March or which Q4 a bare name means
depends on ``today`` and on the direction of the question: forward questions ("what
is due in March") take the next one, backward questions ("delivered in March") the
last one.  Financial years run 1 April to 31 March; Q1 is April to June.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from questions.named_days import NAMED_DAY, named_period

__all__ = [
    "MONTH",
    "NUMBER",
    "PERIOD",
    "BARE_PERIOD",
    "UNIT",
    "Period",
    "financial_year_start",
    "number",
    "parse_period",
    "quarter_of",
    "shift",
]

_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "twenty": 20,
    "thirty": 30,
    "sixty": 60,
    "ninety": 90,
    "a couple of": 2,
    "couple of": 2,
    "a few": 3,
    "few": 3,
    "several": 3,
}
_ORDINAL_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4}


def _alternation(words: Iterable[object]) -> str:
    return "|".join(sorted((str(w).replace(" ", r"\s+") for w in words), key=len, reverse=True))


MONTH = f"(?:{_alternation(_MONTHS)})"
NUMBER = rf"(?:\d{{1,3}}|{_alternation(_NUMBERS)})"
UNIT = r"(?:days?|weeks?|months?|mths?|years?|yrs?|quarters?)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_FY = r"\d{4}/\d{2,4}"
_Q = r"(?:q|quarter\s+)(?P<q>[1-4])|(?P<oq>first|second|third|fourth)\s+quarter"
_UNITS = r"financial\s+year|fy|quarter|month|week|calendar\s+year|year"
_REL_NOW = r"this|current|the\s+current"
_REL = rf"{_REL_NOW}|the|next|the\s+next|last|the\s+last|previous|the\s+previous|coming|the\s+coming"


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def financial_year_start(day: date) -> int:
    """The calendar year in which the financial year containing ``day`` starts."""
    return day.year if day.month >= 4 else day.year - 1


def quarter_of(fy_start: int, quarter: int) -> Period:
    start = date(fy_start, 4, 1) + relativedelta(months=3 * (quarter - 1))
    return Period(start, start + relativedelta(months=3, days=-1))


def number(text: str) -> int:
    words = " ".join(text.split())
    return int(words) if words.isdigit() else _NUMBERS[words]


def shift(day: date, amount: int, unit: str) -> date:
    """``day`` moved by ``amount`` units ("months", "week", "yrs" ...)."""
    stem = unit.rstrip("s")
    if stem == "day":
        return day + timedelta(days=amount)
    if stem == "week":
        return day + timedelta(weeks=amount)
    if stem in ("month", "mth"):
        delta = relativedelta(months=amount)
    elif stem == "quarter":
        delta = relativedelta(months=3 * amount)
    else:
        delta = relativedelta(years=amount)
    shifted: date = day + delta
    return shifted


Parser = Callable[[dict[str, str | None], date, bool], Period | None]


def _day(groups: dict[str, str | None], today: date, backward: bool) -> Period | None:
    day = int(re.sub(r"\D", "", groups["d"] or ""))
    month = _MONTHS[groups["mon"] or ""] if groups.get("mon") else int(groups["m"] or 0)
    year_text = groups.get("y")
    try:
        if year_text:
            year = int(year_text) + (2000 if len(year_text) == 2 else 0)
            found = date(year, month, day)
        else:
            found = date(today.year, month, day)
            if not backward and found < today:
                found = date(today.year + 1, month, day)
            elif backward and found > today:
                found = date(today.year - 1, month, day)
    except ValueError:
        return None
    return Period(found, found)


def _month(groups: dict[str, str | None], today: date, backward: bool) -> Period:
    month = _MONTHS[groups["mon"] or ""]
    if groups.get("y"):
        year = int(groups["y"] or 0)
    elif backward:
        year = today.year if month <= today.month else today.year - 1
    else:
        year = today.year if month >= today.month else today.year + 1
    start = date(year, month, 1)
    return Period(start, start + relativedelta(months=1, days=-1))


def _fy_start(text: str) -> int | None:
    first, second = text.split("/")
    start = int(first)
    return start if int(second) in (start + 1, (start + 1) % 100) else None


def _quarter(groups: dict[str, str | None], today: date, backward: bool) -> Period | None:
    quarter = int(groups["q"] or 0) if groups.get("q") else _ORDINAL_QUARTERS[groups["oq"] or ""]
    if groups.get("fy"):
        start = _fy_start(groups["fy"] or "")
        return None if start is None else quarter_of(start, quarter)
    period = quarter_of(financial_year_start(today), quarter)
    if not backward and period.end < today:
        return quarter_of(financial_year_start(today) + 1, quarter)
    if backward and period.start > today:
        return quarter_of(financial_year_start(today) - 1, quarter)
    return period


def _financial_year(groups: dict[str, str | None], today: date, backward: bool) -> Period | None:
    start = _fy_start(groups["fy"] or "")
    return None if start is None else Period(date(start, 4, 1), date(start + 1, 3, 31))


def _year(groups: dict[str, str | None], today: date, backward: bool) -> Period:
    year = int(groups["y"] or 0)
    return Period(date(year, 1, 1), date(year, 12, 31))


def _relative(groups: dict[str, str | None], today: date, backward: bool) -> Period:
    rel = " ".join((groups.get("rel") or "this").split()).removeprefix("the ").strip()
    step = {"next": 1, "coming": 1, "last": -1, "previous": -1}.get(rel, 0)
    unit = " ".join((groups["unit"] or "").split())
    if unit == "year" and step == 1:  # "next year": the coming twelve months
        return Period(today, shift(today, 1, "year"))
    if unit in ("financial year", "fy"):
        start = date(financial_year_start(today) + step, 4, 1)
        return Period(start, start + relativedelta(years=1, days=-1))
    if unit == "quarter":
        current = quarter_of(financial_year_start(today), (today.month - 4) % 12 // 3 + 1)
        start = current.start + relativedelta(months=3 * step)
        return Period(start, start + relativedelta(months=3, days=-1))
    if unit == "month":
        start = today.replace(day=1) + relativedelta(months=step)
        return Period(start, start + relativedelta(months=1, days=-1))
    if unit == "week":
        start = today - timedelta(days=today.weekday()) + timedelta(weeks=step)
        return Period(start, start + timedelta(days=6))
    start = date(today.year + step, 1, 1)  # year, calendar year
    return Period(start, date(start.year, 12, 31))


def _named(groups: dict[str, str | None], today: date, backward: bool) -> Period | None:
    bounds = named_period(groups, today, backward)
    return None if bounds is None else Period(*bounds)


# Each period form, tried in order with fullmatch; the first that parses wins.
_FORMS: tuple[tuple[str, Parser], ...] = (
    (r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})", _day),
    (r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4}|\d{2})", _day),
    (rf"(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{MONTH})(?:\s+(?P<y>\d{{4}}))?", _day),
    (rf"(?P<mon>{MONTH})\s+(?P<d>{_DAY})(?:\s+(?P<y>\d{{4}}))?", _day),
    (rf"(?:fy\s+)?(?P<fy>{_FY})\s+(?:{_Q})", _quarter),
    (rf"(?:{_Q})\s+(?:of\s+|in\s+)?(?:fy\s+)?(?P<fy>{_FY})", _quarter),
    (rf"(?:fy\s+)?(?P<fy>{_FY})", _financial_year),
    (_Q, _quarter),
    (rf"(?P<mon>{MONTH})(?:\s+(?P<y>\d{{4}}))?", _month),
    (r"(?P<y>(?:19|20)\d{2})", _year),
    (NAMED_DAY, _named),
    (rf"(?:(?P<rel>{_REL})\s+)?(?P<unit>{_UNITS})", _relative),
)
_COMPILED = tuple((re.compile(pattern), parser) for pattern, parser in _FORMS)


def _unnamed(pattern: str) -> str:
    return re.sub(r"\?P<\w+>", "?:", pattern)


# Any period, for use after a connector ("in", "by", "before the end of" ...).
PERIOD = "(?:" + "|".join(f"(?:{_unnamed(p)})" for p, _ in _FORMS) + r")(?![\w/-])"
# Periods that stand alone without a connector ("this quarter", "Q4", "2026/27", "31/03/2027").
BARE_PERIOD = (
    "(?:"
    + "|".join(
        (
            _unnamed(_FORMS[0][0]),
            _unnamed(_FORMS[1][0]),
            _unnamed(_FORMS[4][0]),
            _unnamed(_FORMS[5][0]),
            _unnamed(_FORMS[6][0]),
            _unnamed(_Q),
            rf"(?:{_REL_NOW}|next|last|previous)\s+(?:{_UNITS})",
        )
    )
    + r")(?![\w/-])"
)


def parse_period(text: str, today: date, backward: bool) -> Period | None:
    """The period ``text`` names, or None when it names an impossible date."""
    for pattern, parser in _COMPILED:
        match = pattern.fullmatch(text)
        if match:
            return parser(match.groupdict(), today, backward)
    return None
