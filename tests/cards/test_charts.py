"""Charts as Teams chart elements, each with a table fallback for clients that cannot draw them, and
drawn to read at card width (issue 24 point 1)."""

from __future__ import annotations

import math
from typing import Any, Iterator

import pytest

from cards.charts import LABEL_BUDGET, MAX_DONUT, chart_element, short_label
from domain.charts import Chart
from tests.cards.answer_samples import BAR, DONUT, HBAR, STACKED

GROUPS = ("Corporate Services", "Frontline Policing", "Met Operations", "Professionalism")
QUARTERS = ("2025/26 Q4", "2026/27 Q1", "2026/27 Q2", "2026/27 Q3", "2026/27 Q4", "2027/28 Q1")
REASONS = (
    "COVID-19 related delay",
    "Awaiting the outcome of the national procurement framework review",
    "Recruitment",
    "Dependent on another action",
    "Budget",
    "IT system change",
    "Policy review",
    "Other",
)
# Charts as the demo tracker gives them: counts whose largest value is not a multiple of four.
REALISTIC = [
    Chart(
        "bar", "Outstanding by quarter due", QUARTERS, (("Actions", (7, 12, 49, 18, 3, 1)),), "Quarter due", "Actions"
    ),
    Chart(
        "stacked",
        "Outstanding by group",
        GROUPS,
        (("Overdue", (34, 7, 16, 40)), ("Not yet due", (10, 1, 33, 2))),
        "Business group",
        "Actions",
    ),
    Chart(
        "stacked",
        "Open by quarter",
        QUARTERS,
        (("Overdue", (5, 9, 0, 0, 0, 0)), ("Not yet due", (0, 0, 49, 18, 3, 1))),
        "Quarter due",
        "Actions",
    ),
    Chart("hbar", "Delay reasons", REASONS, (("Actions", (16, 14, 9, 5, 5, 4, 4, 3)),), "Delay reason", "Actions"),
    Chart("donut", "Key themes", REASONS[:7], (("Actions", (30, 21, 12, 9, 5, 3, 2)),)),
    Chart("donut", "Delay reasons", REASONS[:3], (("Actions", (16, 3, 1)),)),
]


@pytest.mark.parametrize(
    "chart, teams_type, data_key",
    [
        (BAR, "Chart.HorizontalBar", "x"),
        (STACKED, "Chart.HorizontalBar.Stacked", "title"),
        (DONUT, "Chart.Donut", "legend"),
        (HBAR, "Chart.HorizontalBar", "x"),
    ],
)
def test_charts_are_teams_elements_with_a_table_fallback(chart: Chart, teams_type: str, data_key: str) -> None:
    element = chart_element(chart)
    assert element["type"] == teams_type and data_key in element["data"][0]
    assert element["fallback"]["type"] == "Table"
    rows = element["fallback"]["rows"]
    assert len(rows) == 1 + len(chart.categories)  # header, then one row per category
    if chart.kind == "stacked":
        assert [row["title"] for row in element["data"]] == ["Corporate Services", "Met Operations"]
        assert [[(d["legend"], d["value"]) for d in row["data"]] for row in element["data"]] == [
            [("Overdue (50)", 34), ("Not yet due (43)", 10)],
            [("Overdue (50)", 16), ("Not yet due (43)", 33)],
        ]
    elif chart.kind == "donut":
        assert [d["value"] for d in element["data"]] == [16, 3]
    else:
        assert [d["y"] for d in element["data"]] == list(chart.series[0][1])


def _labels(element: dict[str, Any]) -> Iterator[str]:
    for point in element["data"]:
        for key in ("x", "legend", "title"):
            if key in point:
                yield str(point[key])
        for inner in point.get("data", []) + point.get("values", []):
            yield from _labels({"data": [inner]})


def _ticks(element: dict[str, Any]) -> list[float]:
    """The value-axis ticks the Teams renderer draws: five, a quarter of the largest value apart
    (the Agents Playground's chart code); none where bars show their values without an axis."""
    if (
        element["type"] in ("Chart.Donut", "Chart.HorizontalBar.Stacked")
        or element.get("displayMode") == "AbsoluteNoAxis"
    ):
        return []
    values = [p["y"] for p in element["data"] if "y" in p] + [
        v["y"] for p in element["data"] for v in p.get("values", [])
    ]
    return [max(values) / 4 * i for i in range(5)]


@pytest.mark.parametrize("chart", REALISTIC, ids=lambda c: f"{c.kind}-{c.title}")
def test_a_chart_reads_at_card_width(chart: Chart) -> None:
    element = chart_element(chart)
    assert all(len(label) <= LABEL_BUDGET for label in _labels(element)), list(_labels(element))
    assert all(tick == math.floor(tick) for tick in _ticks(element)), _ticks(element)  # counts: whole ticks
    if element["type"] == "Chart.Donut":
        assert len(element["data"]) <= MAX_DONUT
        assert all(d["legend"].endswith(f"({d['value']})") for d in element["data"])  # legends show their numbers
    if element["type"] == "Chart.HorizontalBar":  # the value axis runs across: its title is the unit
        assert element["xAxisTitle"] == "Actions" and element["yAxisTitle"] == chart.x_title


def test_a_donut_of_more_than_five_is_drawn_as_bars() -> None:
    element = chart_element(REALISTIC[4])
    assert element["type"] == "Chart.HorizontalBar" and len(element["data"]) == 7


def test_quarters_are_short() -> None:
    assert [short_label(q) for q in QUARTERS[:2]] == ["Q4 25/26", "Q1 26/27"]
    assert short_label("Corporate Services") == "Corporate Services"
    assert len(short_label(REASONS[1])) == LABEL_BUDGET and short_label(REASONS[1]).endswith("…")
