"""Native Teams chart elements, each with a Table fallback for clients that draw no charts.

Shapes as Teams documents them ("Charts in Adaptive Cards"):
``Chart.VerticalBar`` data ``[{"x", "y"}]``; ``Chart.HorizontalBar`` the same;
``Chart.VerticalBar.Grouped`` (``stacked``) data ``[{"legend", "values": [{"x", "y"}]}]``;
``Chart.Donut`` data ``[{"legend", "value"}]``. Clients without them render ``fallback``.

The store hands an answer's charts over as codes (domain.charts.ChartData); :func:`chart_words`
words their titles, axis titles and legends here, beside the answer's other words (cards/answers.py).

Drawn to read at card width (issue 24), on Teams' narrow (phone, ~320 px) and wide cards:
- counts are drawn as horizontal bars with their values and no value axis: a vertical axis of
  counts gets its ticks from the largest value (a quarter of it apart), so 49 actions gave ticks
  of 12.3, 24.5, 36.8; bars that show their own whole numbers need none. Each category has a row
  of its own, so names are not cut to "E… 2…";
- several series (overdue and the rest) are one stacked bar per category, with its total, and
  two series' legends carry their totals ("Overdue (70)");
- a donut only for at most five categories, each legend with its number; more become bars;
- labels within :data:`LABEL_BUDGET` characters, quarters as "Q3 26/27".
"""

from __future__ import annotations

import re
from typing import Any

from cards.common import shorten, table
from domain.charts import DONUT, Chart, ChartData, ChartGroup, ChartMeasure, ChartSeries

__all__ = ["chart_element", "chart_table", "chart_words", "short_label", "CHART_TYPES", "LABEL_BUDGET", "MAX_DONUT"]

CHART_TYPES = {
    "bar": "Chart.HorizontalBar",
    "hbar": "Chart.HorizontalBar",
    "stacked": "Chart.HorizontalBar.Stacked",
    "donut": "Chart.Donut",
}
LABEL_BUDGET = 24  # characters of a category on a bar's row or a legend: one line on a phone's card
MAX_DONUT = 5  # categories a donut shows readably; more are drawn as bars
_QUARTER = re.compile(r"^(\d{2})(\d{2})/(\d{2}) (Q[1-4])$")  # "2026/27 Q3"
_LEGEND_COLOURS = {"Overdue": "attention", "Not yet due": "good"}

_MEASURES = {
    ChartMeasure.OUTSTANDING: "Outstanding",
    ChartMeasure.OVERDUE: "Overdue",
    ChartMeasure.FORTHCOMING: "Forthcoming",
    ChartMeasure.DELIVERED: "Delivered",
    ChartMeasure.STALE: "Stale",
    ChartMeasure.INSPECTIONS_OPEN: "Open HMICFRS items",
}
_GROUPS = {  # (the title's "by ...", the x axis title)
    ChartGroup.BUSINESS_GROUP: ("business group", "Business group"),
    ChartGroup.QUARTER_DUE: ("quarter due", "Quarter due"),
    ChartGroup.QUARTER_DUE_EFFECTIVE: ("quarter due", "Quarter due (effective date)"),
    ChartGroup.AUDIT: ("audit", "Audit"),
    ChartGroup.DELAY_REASON: ("delay reason", "Delay reason"),
    ChartGroup.THEME: ("theme", "Theme"),
}
# Outstanding actions are listed by their effective due date, so a chart of them by the original
# one says so; overdue and stale are defined on the original date and need not.
_AXES = {(ChartMeasure.OUTSTANDING, ChartGroup.QUARTER_DUE): "Quarter due (original date)"}
_TITLES = {(ChartMeasure.OUTSTANDING, ChartGroup.DELAY_REASON): "Delay reasons (outstanding actions)"}
_LEGENDS = {ChartSeries.OVERDUE: "Overdue", ChartSeries.NOT_YET_DUE: "Not yet due"}


def chart_words(chart: ChartData | Chart) -> Chart:
    """``chart`` in words: its title, axis titles and legends (a Chart: as it is)."""
    if isinstance(chart, Chart):
        return chart
    measure, group = chart.measure, chart.group
    by, x_title = _GROUPS[group]
    title = _TITLES.get((measure, group), f"{_MEASURES[measure]} by {by}")
    unit = "Items" if measure is ChartMeasure.INSPECTIONS_OPEN else "Actions"
    series = tuple((_LEGENDS.get(code, unit), values) for code, values in chart.series)
    if chart.kind == DONUT:  # no axes: its legend names the categories
        return Chart(chart.kind, title, chart.categories, series)
    return Chart(chart.kind, title, chart.categories, series, _AXES.get((measure, group), x_title), unit)


def chart_table(chart: ChartData | Chart) -> dict[str, Any]:
    """The chart's numbers as a Table (header: the x title, then one column per series)."""
    chart = chart_words(chart)
    header = [chart.x_title or "", *(legend for legend, _ in chart.series)]
    rows = [
        [shorten(category, 60), *(values[i] for _, values in chart.series)]
        for i, category in enumerate(chart.categories)
    ]
    return table(header, rows, widths=[3] + [1] * len(chart.series))


def short_label(category: str, budget: int = LABEL_BUDGET) -> str:
    """A category as a chart shows it: "2026/27 Q3" as "Q3 26/27"; others within ``budget`` characters."""
    quarter = _QUARTER.match(category.strip())
    if quarter:
        return f"{quarter[4]} {quarter[2]}/{quarter[3]}"
    return shorten(category, budget)


def chart_element(chart: ChartData | Chart) -> dict[str, Any]:
    """The Teams chart element for ``chart``, falling back to :func:`chart_table`."""
    chart = chart_words(chart)
    labels = [short_label(c) for c in chart.categories]
    kind = chart.kind
    if kind == "donut" and len(labels) > MAX_DONUT:
        kind = "hbar"
    element: dict[str, Any] = {"type": CHART_TYPES[kind], "title": chart.title}
    if kind == "donut":
        element["colorSet"] = "categorical"
        element["data"] = [
            {"legend": f"{short_label(category, LABEL_BUDGET - len(f' ({value})'))} ({value})", "value": value}
            for category, value in zip(chart.categories, chart.series[0][1])
        ]
    elif kind == "stacked":
        # Two series (overdue and the rest) fit on one legend line with their totals; more would wrap.
        legends = {
            legend: f"{legend} ({sum(values)})" if len(chart.series) <= 2 else short_label(legend)
            for legend, values in chart.series
        }
        element["data"] = [
            {
                "title": label,
                "data": [
                    {
                        "legend": legends[legend],
                        "value": values[i],
                        **({"color": _LEGEND_COLOURS[legend]} if legend in _LEGEND_COLOURS else {}),
                    }
                    for legend, values in chart.series
                ],
            }
            for i, label in enumerate(labels)
        ]
    else:  # a row per category: the value axis runs across, so its title is the unit
        element.update(
            displayMode="AbsoluteNoAxis",
            xAxisTitle=chart.y_title or chart.series[0][0],
            yAxisTitle=chart.x_title,
            colorSet="categorical",
        )
        element["data"] = [{"x": label, "y": value} for label, value in zip(labels, chart.series[0][1])]
    element["fallback"] = chart_table(chart)
    return element
