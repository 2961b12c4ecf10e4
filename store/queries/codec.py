"""A question as button data and back, so Next/Previous/Back re-ask exactly the same question.

The scope is never carried: it is resolved again from the viewer on every click.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.numbers import card_int
from domain.question import ANSWERED_INTENTS, BREAKDOWNS, Intent, Question
from domain.words import ACTION_STATUSES, INSPECTION_KINDS, INSPECTION_STATUSES, RISKS

__all__ = ["BadQuestionData", "MALFORMED", "NOT_ANSWERABLE", "question_params", "question_from_params", "page_number"]

# BadQuestionData.code values
MALFORMED = "malformed"  # not the shape a page button carries
NOT_ANSWERABLE = "not_answerable"  # a well-formed kind of question that is never answered (or paged) here


class BadQuestionData(ValueError):
    """Button data that is not a question this package answers: the caller shows the stale-button card.

    A ValueError, so callers that only know "bad data" still catch it; ``code`` says which kind."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


_TEXT_FIELDS = ("unknown_group", "audit", "owner", "key_theme", "delay_reason")
_FLAGS = ("my_group", "mine", "original", "percent")
# field -> the values it may hold
_CHOICES: dict[str, tuple[str, ...]] = {
    "risk": RISKS,
    "source": ("dara", "hmicfrs"),
    "status": tuple(dict.fromkeys(ACTION_STATUSES + INSPECTION_STATUSES)),
    "item_kind": INSPECTION_KINDS,
    "assurance": ("limited",),
    "by": BREAKDOWNS,
}
_DATE_FIELDS = ("due_from", "due_to", "limit_stale_before")
_MAX_TEXT = 300


def question_params(question: Question) -> dict[str, Any]:
    """The question as JSON-safe data (None and empty values left out to keep cards small)."""
    data: dict[str, Any] = {"intent": question.intent.value, "text": question.text[:_MAX_TEXT]}
    if question.groups:
        data["groups"] = list(question.groups)
    for name in _FLAGS:
        if getattr(question, name):
            data[name] = True
    if question.unapplied:
        data["unapplied"] = list(question.unapplied)
    for name in (*_CHOICES, *_TEXT_FIELDS):
        if getattr(question, name):
            data[name] = getattr(question, name)
    if question.revised is not None:
        data["revised"] = question.revised
    for name in _DATE_FIELDS:
        if getattr(question, name):
            data[name] = getattr(question, name).isoformat()
    return data


def _text(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > _MAX_TEXT:
        raise BadQuestionData(MALFORMED, f"{name} must be a short text")
    return value


def _texts(value: Any, name: str) -> tuple[str, ...]:
    items = value or []
    if not isinstance(items, list) or len(items) > 20 or not all(isinstance(g, str) and len(g) <= 200 for g in items):
        raise BadQuestionData(MALFORMED, f"{name} must be a list of names")
    return tuple(items)


def _date(value: Any, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) <= 10 else _bad_date(name)
    except ValueError:
        return _bad_date(name)


def _bad_date(name: str) -> date:
    raise BadQuestionData(MALFORMED, f"{name} must be a date")


def question_from_params(data: Any) -> Question:
    """Rebuild a question from button data; raises :class:`BadQuestionData` on anything malformed,
    or on a kind of question this package does not answer (a forged button: help, my actions ...)."""
    if not isinstance(data, dict):
        raise BadQuestionData(MALFORMED, "the question is missing")
    try:
        intent = Intent(data.get("intent"))
    except (ValueError, TypeError):
        raise BadQuestionData(MALFORMED, "unknown question kind") from None
    if intent not in ANSWERED_INTENTS:
        raise BadQuestionData(NOT_ANSWERABLE, f"{intent.value} is not a question about figures")
    choices: dict[str, Any] = {}
    for name, allowed in _CHOICES.items():
        value = data.get(name)
        if value is not None and (not isinstance(value, str) or value not in allowed):
            raise BadQuestionData(MALFORMED, f"unknown {name}")
        choices[name] = value
    revised = data.get("revised")
    if revised is not None and not isinstance(revised, bool):
        raise BadQuestionData(MALFORMED, "revised must be true or false")
    text = _text(data.get("text"), "text") or ""
    groups = _texts(data.get("groups"), "groups")
    unapplied = _texts(data.get("unapplied"), "unapplied")
    # the fields named in the lists above, by name: one dict, as mypy cannot match names held in tuples
    named: dict[str, Any] = {
        **{name: data.get(name) is True for name in _FLAGS},
        **choices,
        **{name: _text(data.get(name), name) for name in _TEXT_FIELDS},
        **{name: _date(data.get(name), name) for name in _DATE_FIELDS},
    }
    return Question(intent=intent, text=text, groups=groups, revised=revised, unapplied=unapplied, **named)


def page_number(data: Any) -> int:
    """The page asked for; BadNumber (the stale-button card) for anything but a sane whole number."""
    return card_int(data, "page", default=0, high=100_000) or 0
