"""Charts as Teams chart elements, each with a table fallback for clients that cannot draw them."""

from __future__ import annotations

import pytest

from cards.charts import chart_element
from store.queries import Chart
from tests.cards.answer_samples import BAR, DONUT, HBAR, STACKED


@pytest.mark.parametrize(
    "chart, teams_type, data_key",
    [
        (BAR, "Chart.VerticalBar", "x"),
        (STACKED, "Chart.VerticalBar.Grouped", "legend"),
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
        assert element["stacked"] is True and [d["legend"] for d in element["data"]] == ["Overdue", "Not yet due"]
        assert [v["y"] for v in element["data"][0]["values"]] == [34, 16]
    elif chart.kind == "donut":
        assert [d["value"] for d in element["data"]] == [16, 3]
    else:
        assert [d["y"] for d in element["data"]] == list(chart.series[0][1])
