"""store/queries/sql.py: joining the audit exactly when SQLAlchemy's own FROM list would need it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from questions import Question
from store.db.models import Action, Audit
from store.people.viewers import viewer_for
from store.queries import Answer, answer_question, sql
from store.queries.answers import ANSWERED_INTENTS
from tests.store import question_tracker as T

FILTERS = [{}, {"audit": "No Assurance Follow-up"}, {"risk": "medium"}, {"groups": (T.PR,), "revised": True}]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f) or "none")
def test_reads_audit_agrees_with_the_statements_final_froms(session, today, monkeypatch, filters) -> None:
    """Every statement each question builds: the cheap check and get_final_froms give the same answer."""
    people = T.load(session)
    session.commit()
    seen: list[bool] = []
    actions = sql._actions

    def spy(*columns, where=()):
        expected = Audit.__table__ in select(*columns).select_from(Action).where(*where).get_final_froms()
        assert sql.reads_audit(*columns, *where) == expected, (columns, where)
        seen.append(expected)
        return actions(*columns, where=where)

    monkeypatch.setattr(sql, "_actions", spy)
    sql.clear_statements()  # statements are kept once built: build them again under the spy
    viewer = viewer_for(session, people["grace"])
    for intent in sorted(ANSWERED_INTENTS, key=lambda i: i.value):
        question = Question(intent=intent, text=intent.value, **filters)
        assert isinstance(answer_question(session, viewer, question, today), Answer)
    # "delivered" by audit joins the audit whatever the filters; most figures never do
    assert True in seen and (False in seen) == ("audit" not in filters)


def test_a_subquery_on_audits_is_not_a_read_of_the_audit() -> None:
    limited = select(Audit.id).where(Audit.assurance == "limited").scalar_subquery()
    assert not sql.reads_audit(Action.audit_id.in_(limited), Action.status == "open")
    assert sql.reads_audit(Audit.title, Action.status == "open")
    assert sql.reads_audit(Action.status == "open", Audit.title == "x")


def test_a_question_asked_again_with_other_values_reuses_its_statements(session, today) -> None:
    """Issue 19: statements are built once per shape, their values bound; another day, another group and
    another chief officer's scope build nothing new, and each answer is the one a freshly built statement gives."""
    people = T.load(session)
    session.commit()
    colin, carl = viewer_for(session, people["colin"]), viewer_for(session, people["carl"])
    intents = sorted(ANSWERED_INTENTS, key=lambda i: i.value)

    def asked(group: str) -> list[Question]:
        plain = [Question(intent=i, text=i.value) for i in intents]
        return plain + [Question(intent=i, text=i.value, groups=(group,), risk="high") for i in intents]

    for question in asked(T.MO):
        assert isinstance(answer_question(session, colin, question, today), Answer)
    built = sql._actions
    calls: list[object] = []

    def spy(*columns, where=()):
        calls.append(columns)
        return built(*columns, where=where)

    later = today.replace(day=1)
    sql._actions = spy  # type: ignore[assignment]
    try:
        again = [answer_question(session, carl, q, later) for q in asked(T.CS)]
    finally:
        sql._actions = built  # type: ignore[assignment]
    assert calls == []
    assert all(isinstance(a, Answer) for a in again)
    sql.clear_statements()
    assert [answer_question(session, carl, q, later) for q in asked(T.CS)] == again
