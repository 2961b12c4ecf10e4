"""What an answer holds: the percentage overdue it shows, where its scope is said to be, and paging."""

from __future__ import annotations

import pytest

from domain.answers import ALL, GROUPS, OWN, AnswerScope, Chart, Figures, GroupFigures, Page


@pytest.mark.parametrize(
    "part, whole, expected",
    [
        (1, 8, 13),
        (16, 49, 33),
        (1, 200, 1),
        (1, 3, 33),
        (2, 3, 67),
        (5, 8, 63),
        (0, 0, 0),
        (3, 3, 100),
        (34, 44, 77),
        (111, 145, 77),
        (7, 8, 88),
        (40, 42, 95),
        (1, 400, 0),
        (3, 8, 38),
    ],
)
def test_pct_overdue_rounds_half_up(part: int, whole: int, expected: int) -> None:
    assert GroupFigures("any", outstanding=whole, overdue=part).pct_overdue == expected
    assert Figures(outstanding=whole, overdue=part).pct_overdue == expected  # 0% of nothing outstanding


def test_the_scope_says_where_the_answer_looks() -> None:
    assert AnswerScope(ALL).label == "across the force"
    assert AnswerScope(GROUPS, ("Met Operations",)).label == "in Met Operations"
    assert AnswerScope(GROUPS, ("A", "B", "C")).label == "in A, B and C"
    assert AnswerScope(OWN, (), (7,)).label == "among your actions"
    assert AnswerScope(OWN, ("Met Operations",), (7,)).label == "among your actions in Met Operations"


def test_charts_go_by_group_only_when_the_answer_spans_several() -> None:
    assert AnswerScope(ALL).multi_group and AnswerScope(GROUPS, ("A", "B")).multi_group
    assert not AnswerScope(GROUPS, ("A",)).multi_group
    assert not AnswerScope(OWN, ("A", "B"), (7,)).multi_group


def test_a_page_knows_its_place_among_the_rows() -> None:
    rows = tuple(range(10))  # only how many rows a page holds matters here
    middle = Page(rows=rows, number=1, size=10, total=35)
    assert (middle.first, middle.last, middle.pages, middle.has_previous, middle.has_next) == (11, 20, 4, True, True)
    last = Page(rows=rows[:5], number=3, size=10, total=35)
    assert (last.first, last.last, last.has_next) == (31, 35, False)
    empty = Page(rows=(), number=0, size=10, total=0)
    assert (empty.first, empty.last, empty.pages, empty.has_previous, empty.has_next) == (0, 0, 1, False, False)


def test_a_chart_with_no_categories_or_only_zeros_is_empty() -> None:
    assert Chart("bar", "Stale", (), (("Actions", ()),)).empty
    assert Chart("bar", "Overdue", ("Q1", "Q2"), (("Actions", (0, 0)),)).empty
    assert not Chart("bar", "Overdue", ("Q1", "Q2"), (("Actions", (0, 2)),)).empty
