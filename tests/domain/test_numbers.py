"""The one strict parser for numbers that arrive on card data: whole, finite, in range, or refused."""

from __future__ import annotations

import pytest

from domain.numbers import BadNumber, card_int, strict_int


@pytest.mark.parametrize("value", [1, "2", " 3 ", 4.0, "+5"])
def test_strict_int_reads_whole_numbers(value) -> None:
    assert strict_int(value) == int(float(value))


@pytest.mark.parametrize(
    "value",
    ["inf", float("inf"), float("nan"), "1e30", 1e30, 10**12, [1], {"a": 1}, True, "1.5", 1.5, -1, "", "0x10", None],
)
def test_strict_int_refuses_the_rest(value) -> None:
    with pytest.raises(BadNumber):
        strict_int(value)


def test_card_int_defaults_only_when_absent() -> None:
    assert card_int({}, "page", default=0) == 0 and card_int({"page": ""}, "page", default=0) == 0
    assert card_int({"page": "7"}, "page", default=0) == 7
    with pytest.raises(BadNumber):
        card_int({"page": "inf"}, "page", default=0)
    with pytest.raises(BadNumber):
        card_int(["page"], "page")
