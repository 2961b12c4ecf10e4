"""The page button's question data (issue 25 finding 1): anything a client sends is either a question
this package answers or a typed refusal, never another exception; and every question round-trips."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.question import ANSWERED_INTENTS, BREAKDOWNS, Intent, Question
from store.queries.codec import MALFORMED, NOT_ANSWERABLE, BadQuestionData, question_from_params, question_params

_FIELDS = (
    "intent groups my_group unknown_group risk source audit owner key_theme due_from due_to revised "
    "limit_stale_before mine status item_kind delay_reason assurance original by percent unapplied text"
).split()
_JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
_VALUES = st.sampled_from([*(i.value for i in Intent), *BREAKDOWNS, "high", "hmicfrs", "holding", "afi", "2026-11-26"])


@given(
    intent=st.sampled_from([i.value for i in Intent]) | _JUNK,
    extra=st.dictionaries(st.sampled_from(_FIELDS), _VALUES | _JUNK, max_size=6),
)
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_any_button_data_is_a_question_or_a_typed_refusal(intent: Any, extra: dict[str, Any]) -> None:
    data = {**extra, "intent": intent}
    try:
        question = question_from_params(data)
    except BadQuestionData as refused:
        assert refused.code in (MALFORMED, NOT_ANSWERABLE)
        return
    assert question.intent in ANSWERED_INTENTS
    assert question_from_params(question_params(question)) == question


@pytest.mark.parametrize("intent", sorted(i.value for i in Intent if i not in ANSWERED_INTENTS))
def test_a_kind_never_paged_is_refused_as_not_answerable(intent: str) -> None:
    with pytest.raises(BadQuestionData) as refused:
        question_from_params({"intent": intent, "text": "x"})
    assert refused.value.code == NOT_ANSWERABLE


def test_every_new_filter_round_trips() -> None:
    q = Question(
        Intent.OVERDUE,
        "my overdue in progress actions delayed by recruitment, by owner, originally due before 2025",
        mine=True,
        status="in progress",
        delay_reason="Recruitment",
        assurance="limited",
        original=True,
        by="owner",
        percent=True,
        due_to=date(2024, 12, 31),
        unapplied=("custody",),
    )
    assert question_from_params(question_params(q)) == q
    kinds = Question(Intent.INSPECTIONS, "afis in holding", source="hmicfrs", item_kind="afi", status="holding")
    assert question_from_params(question_params(kinds)) == kinds
