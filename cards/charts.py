"""Native Teams chart elements, each with a Table fallback for clients that draw no charts.

Shapes as Teams documents them ("Charts in Adaptive Cards"):
``Chart.VerticalBar`` data ``[{"x", "y"}]``; ``Chart.HorizontalBar`` the same;
``Chart.VerticalBar.Grouped`` (``stacked``) data ``[{"legend", "values": [{"x", "y"}]}]``;
``Chart.Donut`` data ``[{"legend", "value"}]``. Clients without them render ``fallback``.

The store hands an answer's charts over as codes (domain.charts.ChartData); :func:`chart_words`
words their titles, axis titles and legends here, beside the answer's other words (cards/answers.py).
"""

from __future__ import annotations

from typing import Any

from cards.common import shorten, table
from domain.charts import DONUT, Chart, ChartData, ChartGroup, ChartMeasure, ChartSeries

__all__ = ["chart_element", "chart_table", "chart_words", "CHART_TYPES"]

CHART_TYPES = {
    "bar": "Chart.VerticalBar",
    "hbar": "Chart.HorizontalBar",
    "stacked": "Chart.VerticalBar.Grouped",
    "donut": "Chart.Donut",
}
_LABEL = 40  # characters of a category shown on an axis or legend
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


def chart_element(chart: ChartData | Chart) -> dict[str, Any]:
    """The Teams chart element for ``chart``, falling back to :func:`chart_table`."""
    chart = chart_words(chart)
    labels = [shorten(c, _LABEL) for c in chart.categories]
    element: dict[str, Any] = {"type": CHART_TYPES[chart.kind], "title": chart.title}
    if chart.kind == "donut":
        element["colorSet"] = "categorical"
        element["data"] = [{"legend": label, "value": value} for label, value in zip(labels, chart.series[0][1])]
    elif chart.kind == "stacked":
        element.update(stacked=True, xAxisTitle=chart.x_title, yAxisTitle=chart.y_title)
        element["data"] = [
            {
                "legend": legend,
                **({"color": _LEGEND_COLOURS[legend]} if legend in _LEGEND_COLOURS else {}),
                "values": [{"x": label, "y": value} for label, value in zip(labels, values)],
            }
            for legend, values in chart.series
        ]
    else:
        element.update(xAxisTitle=chart.x_title, yAxisTitle=chart.y_title, colorSet="categorical")
        if chart.kind == "bar":
            element["showBarValues"] = True
        element["data"] = [{"x": label, "y": value} for label, value in zip(labels, chart.series[0][1])]
    element["fallback"] = chart_table(chart)
    return element
