"""The operator names people by e-mail whatever their Entra object id (issue 24 point 2).

On a tracker whose people have all used Teams, every person has an object id; the Teams rule (e-mail
only for people without one) must not stop `reassign`, `cover` or `cycle start --by`.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from store.db.engine import make_sessionmaker
from store.db.models import Action, Cover, HistoryEntry, Person, UpdateCycle
from store.people.operator import person_named, viewer_named
from tests.cli.support import DEADLINE, TODAY, run


@pytest.fixture
def known(url, sqlite_engine):
    """Every person on the tracker is known by an Entra object id, as after a term of Teams use."""
    with make_sessionmaker(sqlite_engine).begin() as s:
        for i, person in enumerate(s.scalars(select(Person).order_by(Person.id))):
            person.aad_object_id = f"00000000-0000-4000-8000-{i:012d}"
    return url


def test_the_lookup_ignores_object_ids_case_and_spaces(known, sqlite_engine):
    with make_sessionmaker(sqlite_engine)() as s:
        assert person_named(s, "  Grace@EXAMPLE.test ").name == "Grace Gordon"
        assert viewer_named(s, "grace@example.test", TODAY).is_governance
        assert person_named(s, "nobody@example.test") is None and person_named(s, " ") is None


def test_reassign_by_governance_with_object_ids_moves_the_action_and_leaves_history(known, sqlite_engine, capsys):
    code, out, err = run(capsys, "reassign", "MET-1", "--to", "laura@example.test", "--by", "GRACE@example.test")
    assert (code, err) == (0, "") and "MET-1 reassigned from Olivia Owen" in out
    with make_sessionmaker(sqlite_engine)() as s:
        assert s.scalar(select(Action).where(Action.ref == "MET-1")).owner.email == "laura@example.test"
        history = s.scalars(select(HistoryEntry).where(HistoryEntry.field == "owner_email")).all()
        assert [(h.old_value, h.new_value) for h in history] == [("olivia@example.test", "laura@example.test")]


def test_cover_with_object_ids_is_recorded(known, sqlite_engine, capsys):
    start, end = TODAY.isoformat(), (TODAY + timedelta(days=7)).isoformat()
    code, out, err = run(
        capsys, "cover", "olivia@example.test", "--by", "laura@example.test", "--from", start, "--to", end
    )
    assert (code, err) == (0, "") and "Laura Mills <laura@example.test> covers Olivia Owen" in out
    with make_sessionmaker(sqlite_engine)() as s:
        assert len(s.scalars(select(Cover)).all()) == 1


def test_cycle_start_by_governance_with_object_ids_opens_the_cycle(known, sqlite_engine, capsys):
    code, out, err = run(
        capsys, "cycle", "start", "--scope", "all", "--deadline", DEADLINE, "--by", "grace@example.test"
    )
    assert (code, err) == (0, "") and "update cycle 1 opened" in out
    with make_sessionmaker(sqlite_engine)() as s:
        assert s.scalars(select(UpdateCycle)).one().opened_by == "grace@example.test"
