"""Whole numbers from card data, read strictly (one parser for every button's page, id, cycle, size).

Card data comes back from the client; a forged or stale card can carry anything JSON allows:
"inf", 1e30, a list. int(float(...)) turns "1e30" into a 31-digit id that the database driver
rejects with an error mid-turn, and "inf" raises OverflowError. Refuse those here instead.
"""

from __future__ import annotations

import math
import re
from typing import Any, overload

__all__ = ["BadNumber", "strict_int", "card_int"]


class BadNumber(ValueError):
    """Card data that should be a whole number is not one (or is absurd): the card is stale or forged."""


_INT_TEXT = re.compile(r"^\s*[+-]?\d{1,15}\s*$")


def strict_int(value: Any, *, low: int = 0, high: int = 10**9) -> int:
    """A whole number from card data (JSON number or digits as text) within [low, high], else BadNumber.

    Refused: bools, non-finite or fractional floats, exponents ('1e30'), anything outside the range."""
    if isinstance(value, bool):
        raise BadNumber("not a number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer() or abs(value) > 1e15:
            raise BadNumber("not a whole number")
        number = int(value)
    elif isinstance(value, str) and _INT_TEXT.match(value):
        number = int(value)
    else:
        raise BadNumber("not a whole number")
    if not low <= number <= high:
        raise BadNumber("out of range")
    return number


@overload
def card_int(data: Any, key: str, *, default: int, low: int = 0, high: int = 10**9) -> int: ...


@overload
def card_int(data: Any, key: str, *, default: None = None, low: int = 0, high: int = 10**9) -> int | None: ...


def card_int(data: Any, key: str, *, default: int | None = None, low: int = 0, high: int = 10**9) -> int | None:
    """``data[key]`` read with strict_int; ``default`` when the key is absent or blank."""
    if not isinstance(data, dict):
        raise BadNumber("card data is not an object")
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    return strict_int(value, low=low, high=high)
