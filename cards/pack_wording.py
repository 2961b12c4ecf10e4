"""The words for a panel pack asked for as at a day before the tracker's first recorded change: the
command line's `report --as-of` and the tab's pack say the same, each adding how to choose again."""

from __future__ import annotations

from datetime import date

__all__ = ["before_first_change_words"]


def before_first_change_words(as_of: date, first_day: date) -> str:
    """Why such a pack is refused: its figures would all be zero, not figures."""
    return (
        f"nothing had been recorded by {as_of.isoformat()}: the tracker's first recorded change is on "
        f"{first_day.isoformat()}, so every figure would be zero"
    )
