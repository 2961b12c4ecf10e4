"""A chart in codes and in words is empty alike: no category, or nothing but zeros (the card then
draws no chart)."""

from __future__ import annotations

import pytest

from domain.charts import BAR, STACKED, Chart, ChartData, ChartGroup, ChartMeasure, ChartSeries

S = ChartSeries


@pytest.mark.parametrize(
    "categories, series, empty",
    [
        ((), ((S.COUNT, ()),), True),
        (("Q1", "Q2"), ((S.COUNT, (0, 0)),), True),
        (("Q1", "Q2"), ((S.COUNT, (0, 2)),), False),
        (("Met Operations",), ((S.OVERDUE, (0,)), (S.NOT_YET_DUE, (4,))), False),
    ],
)
def test_a_chart_is_empty_without_a_category_or_a_count(categories, series, empty) -> None:
    kind = STACKED if len(series) > 1 else BAR
    data = ChartData(kind, ChartMeasure.OUTSTANDING, ChartGroup.QUARTER_DUE, categories, series)
    worded = Chart(kind, "t", categories, tuple((code.value, values) for code, values in series))
    assert data.empty is empty and worded.empty is empty
