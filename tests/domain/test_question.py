"""A parsed question: whether it names a filter, and the question again with a person named in full."""

from __future__ import annotations

from datetime import date

from domain.question import Intent, Question


def test_only_understood_filters_count_as_filters() -> None:
    assert not Question(Intent.OVERDUE, "overdue").has_filters
    assert not Question(Intent.OVERDUE, "overdue in narnia", unknown_group="narnia").has_filters
    assert Question(Intent.OVERDUE, "overdue with no revised date", revised=False).has_filters
    assert Question(Intent.OVERDUE, "high risk", risk="high").has_filters
    assert Question(Intent.FORTHCOMING, "due by March", due_to=date(2027, 3, 31)).has_filters


def test_the_shared_first_name_is_replaced_by_the_person_chosen() -> None:
    asked = Question(Intent.OVERDUE, "Overdue for OLIVIA?", owner_word="olivia", owner_choices=("Olivia Owen",))
    assert asked.naming("Olivia Owen") == "Overdue for Olivia Owen?"
    assert Question(Intent.OVERDUE, "overdue for olivias team", owner_word="olivia").naming("Olivia Owen") == (
        "overdue for olivias team for Olivia Owen"
    )  # only the whole word is replaced; otherwise the person is added
    assert Question(Intent.OVERDUE, "overdue").naming("Olivia Owen") == "overdue"
