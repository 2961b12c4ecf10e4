"""A question as button data and back, so Next/Previous/Back re-ask exactly the same question.

The scope is never carried: it is resolved again from the viewer on every click.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.numbers import card_int
from questions import Intent, Question
from domain.words import RISKS

__all__ = ["question_params", "question_from_params", "page_number"]

_TEXT_FIELDS = ("unknown_group", "audit", "owner", "key_theme")
_DATE_FIELDS = ("due_from", "due_to", "limit_stale_before")
_MAX_TEXT = 300


def question_params(question: Question) -> dict[str, Any]:
    """The question as JSON-safe data (None and empty values left out to keep cards small)."""
    data: dict[str, Any] = {"intent": question.intent.value, "text": question.text[:_MAX_TEXT]}
    if question.groups:
        data["groups"] = list(question.groups)
    if question.my_group:
        data["my_group"] = True
    for name in ("risk", "source", *_TEXT_FIELDS):
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
        raise ValueError(f"{name} must be a short text")
    return value


def question_from_params(data: Any) -> Question:
    """Rebuild a question from button data; raises ValueError on anything malformed."""
    if not isinstance(data, dict):
        raise ValueError("the question is missing")
    try:
        intent = Intent(data.get("intent"))
    except ValueError:
        raise ValueError("unknown question kind") from None
    groups = data.get("groups") or []
    if not isinstance(groups, list) or not all(isinstance(g, str) and len(g) <= 200 for g in groups):
        raise ValueError("groups must be a list of names")
    risk = data.get("risk")
    if risk is not None and risk not in RISKS:
        raise ValueError("unknown risk")
    source = data.get("source")
    if source is not None and source not in ("dara", "hmicfrs"):
        raise ValueError("unknown source")
    revised = data.get("revised")
    if revised is not None and not isinstance(revised, bool):
        raise ValueError("revised must be true or false")
    dates: dict[str, date | None] = {}
    for name in _DATE_FIELDS:
        raw = data.get(name)
        dates[name] = date.fromisoformat(raw) if isinstance(raw, str) else None
    return Question(
        intent=intent,
        text=_text(data.get("text"), "text") or "",
        groups=tuple(groups),
        my_group=data.get("my_group") is True,
        risk=risk,
        source=source,
        revised=revised,
        **{name: _text(data.get(name), name) for name in _TEXT_FIELDS},
        **dates,
    )


def page_number(data: Any) -> int:
    """The page asked for; BadNumber (the stale-button card) for anything but a sane whole number."""
    return card_int(data, "page", default=0, high=100_000) or 0
