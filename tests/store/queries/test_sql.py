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
