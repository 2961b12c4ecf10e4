"""Native Teams chart elements, each with a Table fallback for clients that draw no charts.

Shapes as Teams documents them ("Charts in Adaptive Cards"):
``Chart.VerticalBar`` data ``[{"x", "y"}]``; ``Chart.HorizontalBar`` the same;
``Chart.VerticalBar.Grouped`` (``stacked``) data ``[{"legend", "values": [{"x", "y"}]}]``;
``Chart.Donut`` data ``[{"legend", "value"}]``. Clients without them render ``fallback``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cards.common import shorten, table

if TYPE_CHECKING:
    from domain.answers import Chart

__all__ = ["chart_element", "chart_table", "CHART_TYPES"]

CHART_TYPES = {
    "bar": "Chart.VerticalBar",
    "hbar": "Chart.HorizontalBar",
    "stacked": "Chart.VerticalBar.Grouped",
    "donut": "Chart.Donut",
}
_LABEL = 40  # characters of a category shown on an axis or legend
_LEGEND_COLOURS = {"Overdue": "attention", "Not yet due": "good"}


def chart_table(chart: "Chart") -> dict[str, Any]:
    """The chart's numbers as a Table (header: the x title, then one column per series)."""
    header = [chart.x_title or "", *(legend for legend, _ in chart.series)]
    rows = [
        [shorten(category, 60), *(values[i] for _, values in chart.series)]
        for i, category in enumerate(chart.categories)
    ]
    return table(header, rows, widths=[3] + [1] * len(chart.series))


def chart_element(chart: "Chart") -> dict[str, Any]:
    """The Teams chart element for ``chart``, falling back to :func:`chart_table`."""
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
