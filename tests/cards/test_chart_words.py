"""The words of an answer's charts: the store hands over codes (domain.charts.ChartData) and
cards/charts.py says every title, axis title and legend a user sees, pinned here one by one."""

from __future__ import annotations

from itertools import product

import pytest

from cards.charts import chart_element, chart_words
from domain.charts import BAR, DONUT, HBAR, STACKED, Chart, ChartData, ChartGroup, ChartMeasure, ChartSeries
from tests.cards.answer_samples import BAR as WORDED_BAR

M, G, S = ChartMeasure, ChartGroup, ChartSeries
COUNT = ((S.COUNT, (2, 5)),)
SPLIT = ((S.OVERDUE, (2, 5)), (S.NOT_YET_DUE, (1, 0)))


@pytest.mark.parametrize(
    "kind, measure, group, series, words",
    [
        (
            STACKED,
            M.OUTSTANDING,
            G.BUSINESS_GROUP,
            SPLIT,
            ("Outstanding by business group", "Business group", "Actions", ["Overdue", "Not yet due"]),
        ),
        (
            BAR,
            M.OUTSTANDING,
            G.QUARTER_DUE,
            COUNT,
            ("Outstanding by quarter due", "Quarter due (original date)", "Actions", ["Actions"]),
        ),
        (
            BAR,
            M.OVERDUE,
            G.BUSINESS_GROUP,
            COUNT,
            ("Overdue by business group", "Business group", "Actions", ["Actions"]),
        ),
        (BAR, M.OVERDUE, G.QUARTER_DUE, COUNT, ("Overdue by quarter due", "Quarter due", "Actions", ["Actions"])),
        (
            BAR,
            M.FORTHCOMING,
            G.QUARTER_DUE_EFFECTIVE,
            COUNT,
            ("Forthcoming by quarter due", "Quarter due (effective date)", "Actions", ["Actions"]),
        ),
        (
            BAR,
            M.DELIVERED,
            G.BUSINESS_GROUP,
            COUNT,
            ("Delivered by business group", "Business group", "Actions", ["Actions"]),
        ),
        (BAR, M.DELIVERED, G.AUDIT, COUNT, ("Delivered by audit", "Audit", "Actions", ["Actions"])),
        (BAR, M.STALE, G.BUSINESS_GROUP, COUNT, ("Stale by business group", "Business group", "Actions", ["Actions"])),
        (BAR, M.STALE, G.QUARTER_DUE, COUNT, ("Stale by quarter due", "Quarter due", "Actions", ["Actions"])),
        (DONUT, M.OUTSTANDING, G.DELAY_REASON, COUNT, ("Delay reasons (outstanding actions)", "", "", ["Actions"])),
        (HBAR, M.INSPECTIONS_OPEN, G.THEME, COUNT, ("Open HMICFRS items by theme", "Theme", "Items", ["Items"])),
    ],
)
def test_every_answer_chart_is_worded_as_before(kind, measure, group, series, words) -> None:
    data = ChartData(kind, measure, group, ("A", "B"), series)
    worded = chart_words(data)
    assert (worded.title, worded.x_title, worded.y_title, [legend for legend, _ in worded.series]) == words
    assert (worded.kind, worded.categories, [v for _, v in worded.series]) == (kind, ("A", "B"), [v for _, v in series])
    assert chart_element(data) == chart_element(worded)  # the card draws the worded chart


def test_every_measure_and_grouping_has_words() -> None:
    for measure, group in product(ChartMeasure, ChartGroup):
        worded = chart_words(ChartData(BAR, measure, group, ("A",), ((S.COUNT, (1,)),)))
        assert worded.title and worded.x_title and worded.y_title in ("Actions", "Items")


def test_a_chart_already_in_words_is_drawn_as_it_is() -> None:
    assert chart_words(WORDED_BAR) is WORDED_BAR
    assert isinstance(WORDED_BAR, Chart) and chart_element(WORDED_BAR)["title"] == "Overdue by quarter due"
