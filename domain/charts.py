"""A chart behind an answer: what the store counted, as codes (:class:`ChartData`), and a chart
ready to draw, in words (:class:`Chart`).

The store returns ChartData (what was counted, grouped by what, in which series); cards/charts.py
words it into a Chart (title, axis titles, legends), so no sentence is built in the store.
cards/report.py builds its Charts in words directly: it is a card.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["BAR", "STACKED", "DONUT", "HBAR", "ChartMeasure", "ChartGroup", "ChartSeries", "ChartData", "Chart"]

# Chart.kind and ChartData.kind values: bar (one series), stacked (several), donut, hbar (one series)
BAR, STACKED, DONUT, HBAR = "bar", "stacked", "donut", "hbar"


class ChartMeasure(str, Enum):
    """What a chart counts (actions, except the HMICFRS items not closed)."""

    OUTSTANDING = "outstanding"
    OVERDUE = "overdue"
    FORTHCOMING = "forthcoming"
    DELIVERED = "delivered"
    STALE = "stale"
    INSPECTIONS_OPEN = "inspections_open"


class ChartGroup(str, Enum):
    """What a chart's categories are."""

    BUSINESS_GROUP = "business_group"
    QUARTER_DUE = "quarter_due"  # financial quarter of the original due date
    QUARTER_DUE_EFFECTIVE = "quarter_due_effective"  # of the effective due date (the revised one if agreed)
    AUDIT = "audit"
    DELAY_REASON = "delay_reason"
    THEME = "theme"


class ChartSeries(str, Enum):
    """One series of a chart: the count itself, or (stacked) the overdue part and the rest."""

    COUNT = "count"
    OVERDUE = "overdue"
    NOT_YET_DUE = "not_yet_due"


def _empty(categories: tuple[str, ...], values: tuple[tuple[int, ...], ...]) -> bool:
    return not categories or not any(v for series in values for v in series)


@dataclass(frozen=True)
class ChartData:
    """What the store counted for a chart: ``measure`` by ``group``, one value per category in each series."""

    kind: str
    measure: ChartMeasure
    group: ChartGroup
    categories: tuple[str, ...]
    series: tuple[tuple[ChartSeries, tuple[int, ...]], ...]

    @property
    def empty(self) -> bool:
        return _empty(self.categories, tuple(values for _, values in self.series))


@dataclass(frozen=True)
class Chart:
    """A chart in words, ready to draw."""

    kind: str
    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]  # (legend, one value per category)
    x_title: str = ""
    y_title: str = ""

    @property
    def empty(self) -> bool:
        return _empty(self.categories, tuple(values for _, values in self.series))
