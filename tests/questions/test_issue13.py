"""Issue 13's question forms: the second table of phrasings, named days around other todays,
shared first names and the suggestions for a question nothing could read."""

from __future__ import annotations

from datetime import date as d
from typing import Any

import pytest

from questions import SUGGESTIONS, Intent, Question, Vocabulary, parse, suggest
from tests.questions.question_examples import EXAMPLES as FIRST_TABLE
from tests.questions.question_examples import TODAY, VOCABULARY
from tests.questions.question_examples_more import EXAMPLES as TABLE
from tests.questions.question_examples_more import VOCABULARY_13

I = Intent


def test_at_least_250_phrasings_are_tested_none_twice() -> None:
    texts = [text for text, _, _ in FIRST_TABLE + TABLE]
    assert len(texts) >= 250
    assert len(set(texts)) == len(texts)


@pytest.mark.parametrize(("text", "intent", "filters"), TABLE, ids=[row[0] for row in TABLE])
def test_parse(text: str, intent: Intent, filters: dict[str, Any]) -> None:
    assert parse(text, VOCABULARY_13, TODAY) == Question(intent=intent, text=text, **filters)


# Which Christmas, Easter or year end a name means depends on the day it is asked.
OTHER_DAYS: list[tuple[d, str, Intent, dict[str, Any]]] = [
    (d(2026, 12, 25), "due by Christmas", I.FORTHCOMING, {"due_from": d(2026, 12, 25), "due_to": d(2026, 12, 25)}),
    (d(2026, 12, 27), "due by Christmas", I.FORTHCOMING, {"due_from": d(2026, 12, 27), "due_to": d(2027, 12, 25)}),
    (d(2026, 12, 27), "delivered since Christmas", I.DELIVERED, {"due_from": d(2026, 12, 25)}),
    (d(2027, 3, 31), "due by year end", I.FORTHCOMING, {"due_from": d(2027, 3, 31), "due_to": d(2027, 3, 31)}),
    (d(2027, 4, 1), "due by year end", I.FORTHCOMING, {"due_from": d(2027, 4, 1), "due_to": d(2028, 3, 31)}),
    (d(2027, 4, 1), "due by quarter end", I.FORTHCOMING, {"due_from": d(2027, 4, 1), "due_to": d(2027, 6, 30)}),
    (d(2027, 4, 1), "delivered since quarter end", I.DELIVERED, {"due_from": d(2027, 3, 31)}),
    (d(2027, 3, 29), "due before Easter", I.FORTHCOMING, {"due_from": d(2027, 3, 29), "due_to": d(2028, 4, 15)}),
    (d(2027, 3, 29), "delivered since Easter", I.DELIVERED, {"due_from": d(2027, 3, 28)}),
    (d(2027, 1, 15), "due in winter", I.FORTHCOMING, {"due_from": d(2027, 1, 15), "due_to": d(2027, 2, 28)}),
    (d(2028, 1, 15), "due in winter", I.FORTHCOMING, {"due_from": d(2028, 1, 15), "due_to": d(2028, 2, 29)}),
    (d(2027, 1, 15), "delivered in the autumn", I.DELIVERED, {"due_from": d(2026, 9, 1), "due_to": d(2026, 11, 30)}),
    (d(2027, 2, 10), "due in January", I.FORTHCOMING, {"due_from": d(2028, 1, 1), "due_to": d(2028, 1, 31)}),
    (d(2027, 2, 10), "by the end of March", I.FORTHCOMING, {"due_from": d(2027, 2, 10), "due_to": d(2027, 3, 31)}),
]


@pytest.mark.parametrize(
    ("today", "text", "intent", "filters"), OTHER_DAYS, ids=[f"{row[0]}:{row[1]}" for row in OTHER_DAYS]
)
def test_named_days_relative_to_other_days(today: d, text: str, intent: Intent, filters: dict[str, Any]) -> None:
    assert parse(text, VOCABULARY, today) == Question(intent=intent, text=text, **filters)


@pytest.mark.parametrize(
    ("text", "person", "named"),
    [
        ("overdue for olivia", "Olivia Smith", "overdue for Olivia Smith"),
        ("Olivia's overdue actions?", "Olivia Owen", "Olivia Owen's overdue actions?"),
        ("OLIVIA overdue", "Olivia Owen", "Olivia Owen overdue"),
        ("what's late for chambers in met ops", "Ben Chambers", "what's late for Ben Chambers in met ops"),
    ],
)
def test_a_choice_asks_the_question_again_naming_the_person_in_full(text: str, person: str, named: str) -> None:
    question = parse(text, VOCABULARY_13, TODAY)
    assert person in question.owner_choices
    assert question.naming(person) == named
    again = parse(named, VOCABULARY_13, TODAY)
    assert (again.owner, again.owner_choices, again.intent) == (person, (), question.intent)


def test_a_first_name_that_is_an_everyday_word_names_nobody_alone() -> None:
    vocabulary = Vocabulary(groups=(), people=("Will Ames", "Will Booth", "Mark Price"))
    question = parse("what will be due by Christmas", vocabulary, TODAY)
    assert (question.owner, question.owner_choices, question.intent) == (None, (), I.FORTHCOMING)
    assert parse("overdue for mark", vocabulary, TODAY).owner is None
    assert parse("overdue for Will Booth", vocabulary, TODAY).owner == "Will Booth"


def test_a_name_shared_with_a_group_or_theme_word_is_not_offered_as_a_person() -> None:
    vocabulary = Vocabulary(groups=("Digital Policing",), people=("Digital Dan", "Digital Dee"))
    question = parse("overdue in digital", vocabulary, TODAY)
    assert (question.groups, question.owner_choices) == (("Digital Policing",), ())


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("who is stuck", "Why are we delayed?"),
        ("risks", "Outstanding high risk actions"),
        ("show me the extensions", "Overdue with no revised date"),
        ("panel paperz", "Panel report"),
        ("anything about the inspectorate stuff", "Open HMICFRS recommendations"),
        ("what is the weather", "Summary"),
    ],
)
def test_an_unrecognised_question_gets_two_or_three_close_suggestions(text: str, first: str) -> None:
    found = suggest(text)
    assert 2 <= len(found) <= 3 and len(set(found)) == len(found)
    assert found[0] == first


@pytest.mark.parametrize("vocabulary", [VOCABULARY, Vocabulary(groups=())], ids=["demo", "empty"])
def test_every_suggestion_is_a_question_that_parses(vocabulary: Vocabulary) -> None:
    unknown = [text for text, _ in SUGGESTIONS if parse(text, vocabulary, TODAY).intent is Intent.UNKNOWN]
    assert unknown == []
