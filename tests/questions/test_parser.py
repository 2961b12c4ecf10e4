"""The parser against the table of phrasings, other dates, vocabularies and the help examples."""

from __future__ import annotations

import dataclasses
import logging
import subprocess
import sys
from datetime import date as d
from typing import Any

import pytest

from questions import EXAMPLES, Intent, Question, Vocabulary, parse
from tests.questions.question_examples import EXAMPLES as TABLE
from tests.questions.question_examples import ISSUE_4, TODAY, VOCABULARY

I = Intent


def test_the_table_is_large_and_holds_every_example_from_issue_4() -> None:
    texts = [text for text, _, _ in TABLE]
    assert len(texts) >= 70
    assert len(set(texts)) == len(texts)
    assert set(ISSUE_4) <= set(texts)
    assert {intent for _, intent, _ in TABLE} == set(Intent)


@pytest.mark.parametrize(("text", "intent", "filters"), TABLE, ids=[row[0] or "<empty>" for row in TABLE])
def test_parse(text: str, intent: Intent, filters: dict[str, Any]) -> None:
    assert parse(text, VOCABULARY, TODAY) == Question(intent=intent, text=text, **filters)


# The financial year wraps: Q4 is January to March, and the year ends on 31 March.
OTHER_DAYS: list[tuple[d, str, Intent, dict[str, Any]]] = [
    (d(2027, 2, 10), "due this quarter", I.FORTHCOMING, {"due_from": d(2027, 2, 10), "due_to": d(2027, 3, 31)}),
    (d(2027, 2, 10), "due next quarter", I.FORTHCOMING, {"due_from": d(2027, 4, 1), "due_to": d(2027, 6, 30)}),
    (d(2027, 2, 10), "due this financial year", I.FORTHCOMING, {"due_from": d(2027, 2, 10), "due_to": d(2027, 3, 31)}),
    (
        d(2027, 2, 10),
        "what is due before the end of March",
        I.FORTHCOMING,
        {"due_from": d(2027, 2, 10), "due_to": d(2027, 3, 31)},
    ),
    (d(2027, 2, 10), "delivered in Q4", I.DELIVERED, {"due_from": d(2027, 1, 1), "due_to": d(2027, 3, 31)}),
    (d(2027, 2, 10), "due in Q4", I.FORTHCOMING, {"due_from": d(2027, 2, 10), "due_to": d(2027, 3, 31)}),
    (d(2027, 2, 10), "due in Q3", I.FORTHCOMING, {"due_from": d(2027, 10, 1), "due_to": d(2027, 12, 31)}),
    (
        d(2027, 3, 31),
        "what is due before the end of March",
        I.FORTHCOMING,
        {"due_from": d(2027, 3, 31), "due_to": d(2027, 3, 31)},
    ),
    (d(2026, 4, 1), "delivered this quarter", I.DELIVERED, {"due_from": d(2026, 4, 1), "due_to": d(2026, 6, 30)}),
    (d(2026, 4, 1), "delivered last quarter", I.DELIVERED, {"due_from": d(2026, 1, 1), "due_to": d(2026, 3, 31)}),
    (d(2026, 4, 1), "due next month", I.FORTHCOMING, {"due_from": d(2026, 5, 1), "due_to": d(2026, 5, 31)}),
    (d(2026, 12, 31), "due next month", I.FORTHCOMING, {"due_from": d(2027, 1, 1), "due_to": d(2027, 1, 31)}),
    (
        d(2028, 2, 29),
        "due in the next 12 months",
        I.FORTHCOMING,
        {"due_from": d(2028, 2, 29), "due_to": d(2029, 2, 28)},
    ),
]


@pytest.mark.parametrize(
    ("today", "text", "intent", "filters"), OTHER_DAYS, ids=[f"{row[0]}:{row[1]}" for row in OTHER_DAYS]
)
def test_windows_relative_to_other_days(today: d, text: str, intent: Intent, filters: dict[str, Any]) -> None:
    assert parse(text, VOCABULARY, today) == Question(intent=intent, text=text, **filters)


def test_an_impossible_date_is_ignored_not_guessed() -> None:
    assert parse("due before 31/02/2027", VOCABULARY, TODAY) == Question(I.FORTHCOMING, "due before 31/02/2027")


@pytest.mark.parametrize("vocabulary", [VOCABULARY, Vocabulary(groups=())], ids=["demo", "empty"])
def test_every_help_example_parses_to_a_known_intent(vocabulary: Vocabulary) -> None:
    assert len(EXAMPLES) >= 12
    assert len(set(EXAMPLES)) == len(EXAMPLES)
    unknown = [text for text in EXAMPLES if parse(text, vocabulary, TODAY).intent is Intent.UNKNOWN]
    assert unknown == []


def test_default_synonyms_apply_only_to_known_groups() -> None:
    vocabulary = Vocabulary(groups=("Met Operations",))
    assert parse("overdue in met ops", vocabulary, TODAY).groups == ("Met Operations",)
    digital = parse("overdue in digital", vocabulary, TODAY)
    assert (digital.groups, digital.unknown_group) == ((), "digital")


def test_a_custom_synonym_names_its_group(caplog: pytest.LogCaptureFixture) -> None:
    vocabulary = Vocabulary(
        groups=("Met Operations",), group_synonyms={"specialist crime": "met operations", "the yard": "Scotland Yard"}
    )
    assert parse("overdue in Specialist Crime", vocabulary, TODAY).groups == ("Met Operations",)
    with caplog.at_level(logging.WARNING, logger="questions.vocabulary"):
        Vocabulary(groups=("Met Operations",), group_synonyms={"the yard": "Scotland Yard"})
    assert "Scotland Yard" in caplog.text


def test_a_first_name_shared_by_two_people_names_nobody_and_offers_both() -> None:
    vocabulary = Vocabulary(groups=(), people=("Olivia Smith", "Olivia Owen", "Colin Owen"))
    question = parse("actions for Olivia", vocabulary, TODAY)
    assert (question.owner, question.unknown_group) == (None, None)
    assert (question.owner_choices, question.owner_word) == (("Olivia Owen", "Olivia Smith"), "olivia")
    assert parse("actions for Olivia Smith", vocabulary, TODAY).owner == "Olivia Smith"
    assert parse("overdue for owen", vocabulary, TODAY).owner_choices == ("Colin Owen", "Olivia Owen")
    assert parse("overdue for smith", vocabulary, TODAY).owner == "Olivia Smith"
    alone = parse("Olivia?", vocabulary, TODAY)
    assert (alone.intent, alone.owner_choices) == (I.OUTSTANDING, ("Olivia Owen", "Olivia Smith"))


def test_an_ambiguous_partial_audit_name_names_no_audit() -> None:
    question = parse("overdue in key financial systems", VOCABULARY, TODAY)
    assert (question.intent, question.audit) == (I.OVERDUE, None)
    only_expenses = Vocabulary(groups=(), audits=("Key Financial Systems – Expenses",))
    assert parse("overdue in key financial systems", only_expenses, TODAY).audit == "Key Financial Systems – Expenses"


def test_question_is_immutable() -> None:
    question = parse("summary", VOCABULARY, TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        question.intent = I.HELP  # type: ignore[misc]


def test_the_package_is_pure() -> None:
    code = (
        "import sys, questions; bad = [m for m in sys.modules if m.split('.')[0] in "
        "('botbuilder', 'sqlalchemy', 'store', 'bot', 'dialogs')]; print(bad); sys.exit(bool(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
