"""The one "clear winner" rule for fuzzy matches (typed 'update ...' and answers in the update dialog)."""

from __future__ import annotations

import pytest

from domain.matching import LEAD, MIN_SCORE, clear_winner


@pytest.mark.parametrize(
    "scored, winner",
    [
        ([], None),
        ([(MIN_SCORE, "a")], "a"),  # alone and good enough
        ([(MIN_SCORE - 1, "a")], None),  # alone but too weak
        ([(90, "a"), (90 - LEAD, "b")], "a"),  # exactly LEAD ahead
        ([(90, "a"), (91 - LEAD, "b")], None),  # not far enough ahead
        ([(80 - LEAD + 1, "b"), (80, "a")], None),  # order given does not matter
        ([(75, "a"), (68, "b")], None),  # the next one counts even below MIN_SCORE
        ([(85, "a"), (40, "b"), (30, "c")], "a"),
        ([(90, "a"), (90, "b")], None),  # a tie is no winner
    ],
)
def test_clear_winner(scored: list[tuple[float, str]], winner: str | None) -> None:
    assert clear_winner(scored) == winner


def test_clear_winner_takes_any_iterable_and_returns_the_item_itself() -> None:
    item = object()
    assert clear_winner(iter([(95.5, item), (12.0, object())])) is item
