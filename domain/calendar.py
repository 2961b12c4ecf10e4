"""Financial years (1 April - 31 March) and their quarters, written as in the seed report."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

__all__ = [
    "Quarter",
    "YearsNotConsecutive",
    "fy_start_year",
    "fy_label",
    "parse_fy_label",
    "received_label",
    "stale_cutoff",
]

_QUARTER_RE = re.compile(r"^\s*(\d{4})\s*/\s*(\d{2}|\d{4})\s+Q([1-4])\s*$", re.IGNORECASE)
_FY_RE = re.compile(r"^\s*(\d{4})\s*/\s*(\d{2}|\d{4})\s*$")


def fy_start_year(d: date) -> int:
    """The calendar year in which the financial year containing ``d`` starts."""
    return d.year if d.month >= 4 else d.year - 1


def fy_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


class YearsNotConsecutive(ValueError):
    """'2019/21': the two years of a financial year must follow each other (the import words it from these facts)."""

    def __init__(self, first: int, second: str):
        super().__init__(f"{first}/{second} is not a financial year (expected {fy_label(first)})")
        self.written, self.expected = f"{first}/{second}", fy_label(first)


def _check_pair(first: int, second: str) -> None:
    expected = (first + 1) % 100 if len(second) == 2 else first + 1
    if int(second) != expected:
        raise YearsNotConsecutive(first, second)


def parse_fy_label(text: str) -> int:
    """'2018/19' -> 2018. Raises ValueError with a message saying what is expected."""
    m = _FY_RE.match(str(text))
    if not m:
        raise ValueError(f"'{text}' is not a financial year like 2018/19")
    _check_pair(int(m.group(1)), m.group(2))
    return int(m.group(1))


@dataclass(frozen=True, order=True)
class Quarter:
    """A financial quarter: Q1 Apr-Jun, Q2 Jul-Sep, Q3 Oct-Dec, Q4 Jan-Mar."""

    fy: int  # start year of the financial year
    q: int

    @classmethod
    def containing(cls, d: date) -> "Quarter":
        return cls(fy_start_year(d), ((d.month - 4) % 12) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        """'2019/20 Q4' -> Quarter(2019, 4)."""
        m = _QUARTER_RE.match(str(text))
        if not m:
            raise ValueError(f"'{text}' is not a quarter like 2019/20 Q4")
        _check_pair(int(m.group(1)), m.group(2))
        return cls(int(m.group(1)), int(m.group(3)))

    @property
    def start(self) -> date:
        start: date = date(self.fy, 4, 1) + relativedelta(months=3 * (self.q - 1))
        return start

    @property
    def end(self) -> date:
        end: date = self.start + relativedelta(months=3, days=-1)
        return end

    @property
    def label(self) -> str:
        return f"{fy_label(self.fy)} Q{self.q}"

    def previous(self) -> "Quarter":
        return Quarter(self.fy - 1, 4) if self.q == 1 else Quarter(self.fy, self.q - 1)

    def next(self) -> "Quarter":
        return Quarter(self.fy + 1, 1) if self.q == 4 else Quarter(self.fy, self.q + 1)

    def __str__(self) -> str:
        return self.label


def received_label(text: str) -> str:
    """When an audit was received: a quarter ('2019/20 Q4') or, for older audits whose quarter nobody
    recorded, only the financial year ('2017/18', as the seed gives them). Raises ValueError (or
    YearsNotConsecutive) when it is neither."""
    if _FY_RE.match(str(text)):
        return fy_label(parse_fy_label(text))
    return Quarter.parse(text).label


def stale_cutoff(d: date) -> date:
    """Default stale cut-off: the start of the financial year two years before the one containing d."""
    return date(fy_start_year(d) - 2, 4, 1)
