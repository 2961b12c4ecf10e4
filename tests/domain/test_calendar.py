"""Financial years (1 April - 31 March) and their quarters, written as in the seed report."""

from __future__ import annotations

from datetime import date

import pytest

from domain.calendar import Quarter, fy_label, fy_start_year, parse_fy_label, stale_cutoff


def test_the_financial_year_starts_on_1_april() -> None:
    assert fy_start_year(date(2026, 3, 31)) == 2025
    assert fy_start_year(date(2026, 4, 1)) == 2026
    assert fy_label(2019) == "2019/20" and fy_label(2099) == "2099/00"


def test_financial_year_labels_are_read_in_either_form() -> None:
    assert parse_fy_label("2018/19") == 2018
    assert parse_fy_label(" 2018 / 2019 ") == 2018
    with pytest.raises(ValueError, match="expected 2018/19"):
        parse_fy_label("2018/20")
    with pytest.raises(ValueError, match="not a financial year like 2018/19"):
        parse_fy_label("18/19")


@pytest.mark.parametrize(
    "day, label, start, end",
    [
        (date(2026, 4, 1), "2026/27 Q1", date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 9, 30), "2026/27 Q2", date(2026, 7, 1), date(2026, 9, 30)),
        (date(2026, 11, 26), "2026/27 Q3", date(2026, 10, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), "2026/27 Q4", date(2027, 1, 1), date(2027, 3, 31)),
    ],
)
def test_the_quarter_containing_a_day(day: date, label: str, start: date, end: date) -> None:
    quarter = Quarter.containing(day)
    assert (quarter.label, quarter.start, quarter.end, str(quarter)) == (label, start, end, label)
    assert Quarter.parse(label) == quarter


def test_quarters_parse_in_any_case_and_refuse_a_wrong_year_pair() -> None:
    assert Quarter.parse(" 2019/20 q4 ") == Quarter(2019, 4)
    with pytest.raises(ValueError, match="expected 2019/20"):
        Quarter.parse("2019/21 Q1")
    with pytest.raises(ValueError, match="not a quarter like 2019/20 Q4"):
        Quarter.parse("2019 Q1")


def test_quarters_step_across_the_year_end_and_sort_in_time() -> None:
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter(2025, 4).next() == Quarter(2026, 1)
    assert Quarter(2026, 2).next() == Quarter(2026, 3)
    assert sorted([Quarter(2026, 1), Quarter(2025, 4), Quarter(2025, 2)]) == [
        Quarter(2025, 2),
        Quarter(2025, 4),
        Quarter(2026, 1),
    ]


def test_the_default_stale_cut_off_is_two_financial_years_back() -> None:
    assert stale_cutoff(date(2026, 11, 26)) == date(2024, 4, 1)
    assert stale_cutoff(date(2026, 3, 31)) == date(2023, 4, 1)


def test_received_is_a_quarter_or_only_a_financial_year() -> None:
    from domain.calendar import YearsNotConsecutive, received_label

    assert received_label(" 2019/2020 q4 ") == "2019/20 Q4"
    assert received_label("2017/18") == "2017/18"
    assert received_label("2017 / 2018") == "2017/18"
    with pytest.raises(YearsNotConsecutive):
        received_label("2017/19")
    with pytest.raises(ValueError, match="not a quarter like 2019/20 Q4"):
        received_label("Q4 2019")
