"""An update cycle's scope as plain data (the command line's form, the stored JSON), and the cycle
errors carrying a code and its facts (worded by cards/cycle_wording.py)."""

from __future__ import annotations

import pytest

from domain.cycles import UNKNOWN_SCOPE_TEXT, CycleError, CycleProblem, CycleScope, ScopeError


@pytest.mark.parametrize(
    "text, scope",
    [
        ("all", CycleScope("all")),
        (" Overdue ", CycleScope("overdue")),
        ("group: Met Operations", CycleScope("group", group="Met Operations")),
        ("due-within:30", CycleScope("due_within", days=30)),
        ("due within:7", CycleScope("due_within", days=7)),
    ],
)
def test_the_command_lines_scopes(text: str, scope: CycleScope) -> None:
    assert CycleScope.parse(text) == scope
    assert CycleScope.parse(text, include_hmicfrs=True).include_hmicfrs


@pytest.mark.parametrize("text", ["everything", "group:", "due-within:soon", "due-within:12345", "overdue:3", ""])
def test_anything_else_is_refused_with_what_was_given(text: str) -> None:
    with pytest.raises(ScopeError) as err:
        CycleScope.parse(text)
    assert err.value.problem == CycleProblem(UNKNOWN_SCOPE_TEXT, given=text.strip())
    assert isinstance(err.value, CycleError) and str(err.value) == UNKNOWN_SCOPE_TEXT


def test_a_scope_round_trips_through_json_and_ignores_what_the_cycle_adds() -> None:
    scope = CycleScope("group", group="Met Operations", include_hmicfrs=True)
    assert CycleScope.from_json(scope.as_json()) == scope
    assert CycleScope.from_json({**CycleScope("overdue").as_json(), "as_of": "2026-11-26"}) == CycleScope("overdue")
    assert CycleScope.from_json({}) == CycleScope()
