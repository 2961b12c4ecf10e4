"""The outstanding-action questions are answered from the partial covering indexes of migration
0004_query_indexes (what keeps them fast at 100,000 actions: bench/bench_questions.py).

The indexes only apply when the planner can prove a query's condition implies theirs, which a
bound parameter hides from it; these tests read the plan of every statement a question runs."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, event, select, text

from questions import Intent, Question
from store.db.engine import make_sessionmaker
from store.db.models import Person
from store.people.viewers import viewer_for
from store.queries import Answer, answer_question
from tests.store import question_tracker as T


@contextmanager
def _captured(engine: Engine):
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", capture)


def _plans(engine: Engine, statements) -> list[tuple[str, str]]:
    """(statement, plan) for every statement that reads the actions table."""
    sqlite = engine.dialect.name == "sqlite"
    out = []
    with engine.connect() as conn:
        if not sqlite:  # a tiny table: make the planner show which indexes it CAN use
            conn.execute(text("SET enable_seqscan = off"))
        cursor = conn.connection.driver_connection.cursor()
        for statement, parameters in statements:
            if " actions" not in statement:
                continue
            cursor.execute(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + statement, parameters)
            out.append((statement, "\n".join(str(row[-1] if sqlite else row[0]) for row in cursor.fetchall())))
        cursor.close()
    return out


@pytest.mark.parametrize(
    "who, intent",
    [
        ("grace", Intent.OVERDUE),
        ("grace", Intent.OUTSTANDING),
        ("grace", Intent.DELAY_REASONS),
        ("grace", Intent.STALE),
        ("grace", Intent.FORTHCOMING),
        ("colin", Intent.OVERDUE),
        ("colin", Intent.SUMMARY),
    ],
)
def test_outstanding_questions_read_the_partial_indexes(engine: Engine, today, who: str, intent: Intent) -> None:
    sessions = make_sessionmaker(engine)
    with sessions.begin() as s:
        T.load(s)
    with sessions() as s, _captured(engine) as statements:
        person = s.scalar(select(Person).where(Person.email == f"{who}@example.test"))
        answer = answer_question(s, viewer_for(s, person), Question(intent=intent, text=intent.value), today)
        assert isinstance(answer, Answer) and answer.figures is not None
    plans = _plans(engine, statements)
    outstanding = [(st, plan) for st, plan in plans if "actions.status IN" in st]
    assert outstanding, "no statement counted outstanding actions"
    for statement, plan in outstanding:
        assert "ix_actions_outstanding" in plan, f"{statement}\n-- read as --\n{plan}"
