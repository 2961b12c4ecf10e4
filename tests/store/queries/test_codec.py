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


@pytest.fixture
def viewers(session):
    from store.people.viewers import viewer_for
    from tests.store import question_tracker as T

    people = T.load(session)
    session.commit()
    return {key: viewer_for(session, person) for key, person in people.items()}


@given(
    data=st.fixed_dictionaries(
        {"intent": st.sampled_from(sorted(i.value for i in ANSWERED_INTENTS)), "text": st.text(max_size=20)},
        optional={
            "groups": st.lists(st.sampled_from(["Met Operations", "Corporate Services", "Narnia"]), max_size=2),
            "my_group": st.booleans(),
            "mine": st.booleans(),
            "risk": st.sampled_from(["high", "medium", "low"]),
            "source": st.sampled_from(["dara", "hmicfrs"]),
            "status": st.sampled_from(["open", "in progress", "implemented", "closed", "holding"]),
            "item_kind": st.sampled_from(["rec", "afi"]),
            "delay_reason": st.sampled_from(["Recruitment", "Project delay", "x"]),
            "assurance": st.just("limited"),
            "original": st.booleans(),
            "by": st.sampled_from(list(BREAKDOWNS)),
            "percent": st.booleans(),
            "revised": st.booleans(),
            "due_from": st.sampled_from(["2020-01-01", "2026-11-26", "9999-12-31"]),
            "due_to": st.sampled_from(["0001-01-01", "2027-03-31"]),
            "unapplied": st.lists(st.text(max_size=8), max_size=2),
        },
    ),
    who=st.sampled_from(["grace", "colin", "olivia", "both"]),
    page=st.integers(min_value=0, max_value=100_000),
)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_paged_question_is_answered_or_refused_never_an_error(session, viewers, today, data, who, page) -> None:
    from cards.answers import answer_card
    from store.queries import Answer, Refusal, answer_question

    question = question_from_params(data)
    result = answer_question(session, viewers[who], question, today, page=page)
    assert isinstance(result, (Answer, Refusal))
    if isinstance(result, Answer):
        answer_card(result, ("Summary",))
        assert len(result.page.rows) <= result.page.size and result.page.total >= 0
