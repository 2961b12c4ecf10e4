"""`reassign`, `cover` and `cycle start --by` from the command line (issue 13 points 3 and 6): exit
codes, messages, and the rows they leave (owner, history, cycle items, outbox, covers)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from domain.delivery import RECIPIENT_LEFT, WITHDRAWN
from store.db.engine import make_sessionmaker
from store.db.models import Action, Cover, CycleItem, HistoryEntry, OutboxMessage, Person, UpdateCycle
from store.people.reassign import orphaned_actions
from tests.cli.support import DEADLINE, TODAY, run
from tests.fakes.connector import FakeConnector
from tests.store.cycle_tracker import MET, attach


@pytest.mark.parametrize(
    "args, problem",
    [
        (
            ["NOPE-1", "--to", "laura@example.test", "--by", "grace@example.test"],
            "no action you can reassign has the reference 'NOPE-1'",
        ),
        (
            ["MET-1", "--to", "nobody@example.test", "--by", "grace@example.test"],
            "'nobody@example.test' is not on the tracker",
        ),
        (
            ["MET-1", "--to", "laura@example.test", "--by", "ghost@example.test"],
            "--by 'ghost@example.test' is not on the tracker",
        ),
        (
            ["MET-1", "--to", "laura@example.test", "--by", "dev@example.test"],  # Corporate Services' SPOC
            "no action you can reassign has the reference 'MET-1'",  # not its group (issue 25)
        ),
        (
            ["MET-1", "--to", "laura@example.test", "--by", "laura@example.test"],
            "no action you can reassign has the reference 'MET-1'",
        ),
        (["MET-1", "--to", "olivia@example.test", "--by", "sam@example.test"], "Olivia Owen already owns MET-1"),
        (["CLS-1", "--to", "laura@example.test", "--by", "grace@example.test"], "CLS-1 is closed or superseded"),
    ],
)
def test_reassign_refuses_clearly_and_changes_nothing(url, sqlite_engine, capsys, args, problem):
    code, out, err = run(capsys, "reassign", *args)
    assert code == 1 and out == "" and problem in err and "Traceback" not in err
    with make_sessionmaker(sqlite_engine)() as s:
        assert s.scalar(select(Action).where(Action.ref == "MET-1")).owner.email == "olivia@example.test"
        assert s.scalars(select(HistoryEntry).where(HistoryEntry.field == "owner_email")).all() == []


def test_reassign_to_someone_who_left_is_refused(url, sqlite_engine, capsys):
    with make_sessionmaker(sqlite_engine).begin() as s:
        s.scalar(select(Person).where(Person.email == "laura@example.test")).active = False
    code, _, err = run(capsys, "reassign", "MET-1", "--to", "laura@example.test", "--by", "grace@example.test")
    assert code == 1 and "Laura Mills has left" in err


def test_reassign_in_an_open_cycle_moves_the_request(url, sqlite_engine, capsys):
    assert run(capsys, "cycle", "start", "--scope", "all", "--deadline", DEADLINE)[0] == 0
    code, out, _ = run(capsys, "reassign", "met-1", "--to", "LAURA@example.test", "--by", "sam@example.test")
    assert code == 0, out
    assert "MET-1 reassigned from Olivia Owen <olivia@example.test> to Laura Mills <laura@example.test>" in out
    assert "update cycle 1: asked Laura Mills; withdrawn from the request waiting for Olivia Owen" in out
    with make_sessionmaker(sqlite_engine)() as s:
        t = attach(s, TODAY)
        action = t.action("MET-1")
        assert action.owner_id == t.pid("laura") and action.version == 2
        h = s.scalars(select(HistoryEntry).where(HistoryEntry.field == "owner_email")).one()
        assert (h.actor, h.channel, h.entity_ref, h.old_value, h.new_value) == (
            "sam@example.test",
            "cli",
            "MET-1",
            "olivia@example.test",
            "laura@example.test",
        )
        item = s.scalars(select(CycleItem).where(CycleItem.action_id == action.id)).one()
        assert item.owner_id == t.pid("laura")
        olivia = s.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == f"cycle:1:request:{t.pid('olivia')}"))
        assert [i["ref"] for i in olivia.payload["items"]] == ["MET-2", "MET-3"]
        laura = s.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == f"cycle:1:request:{t.pid('laura')}"))
        assert sorted(i["ref"] for i in laura.payload["items"]) == ["MET-1", "MET-4"]


def test_cover_from_the_command_line_routes_requests_and_is_checked(url, sqlite_engine, capsys):
    start, end = TODAY.isoformat(), (TODAY + timedelta(days=7)).isoformat()
    code, _, err = run(
        capsys, "cover", "olivia@example.test", "--by", "laura@example.test", "--from", end, "--to", start
    )
    assert code == 1 and "the last day is before the first day" in err
    code, _, err = run(
        capsys, "cover", "olivia@example.test", "--by", "laura@example.test", "--from", "1/12", "--to", end
    )
    assert code == 1 and "--from '1/12' is not a date" in err
    code, _, err = run(
        capsys,
        "cover",
        "olivia@example.test",
        "--by",
        "laura@example.test",
        "--from",
        start,
        "--to",
        end,
        "--as",
        "amelia@example.test",
    )
    assert code == 1 and "'olivia@example.test' is not someone you may name a cover for" in err
    code, _, err = run(
        capsys, "cover", "olivia@example.test", "--by", "olivia@example.test", "--from", start, "--to", end
    )
    assert code == 1 and "cannot cover themselves" in err

    code, out, _ = run(
        capsys, "cover", "olivia@example.test", "--by", "laura@example.test", "--from", start, "--to", end
    )
    assert (
        code == 0 and f"Laura Mills <laura@example.test> covers Olivia Owen <olivia@example.test> from {start}" in out
    )
    with make_sessionmaker(sqlite_engine)() as s:
        t = attach(s, TODAY)
        cover = s.scalars(select(Cover)).one()
        assert (cover.owner_id, cover.cover_id, cover.created_by) == (
            t.pid("olivia"),
            t.pid("laura"),
            "olivia@example.test",
        )
    assert run(capsys, "cycle", "start", "--scope", "all", "--deadline", DEADLINE)[0] == 0
    with make_sessionmaker(sqlite_engine)() as s:
        t = attach(s, TODAY)
        to_olivia = s.scalar(
            select(OutboxMessage).where(OutboxMessage.dedupe_key == f"cycle:1:request:{t.pid('olivia')}")
        )
        assert to_olivia.person_id == t.pid("laura") and to_olivia.payload["cover_for"] == "Olivia Owen"


def test_people_who_left_get_nothing_and_their_actions_are_orphaned(url, sqlite_engine, capsys):
    with make_sessionmaker(sqlite_engine).begin() as s:
        s.scalar(select(Person).where(Person.email == "olivia@example.test")).active = False
    assert run(capsys, "cycle", "start", "--scope", "all", "--deadline", DEADLINE)[0] == 0
    with make_sessionmaker(sqlite_engine)() as s:
        t = attach(s, TODAY)
        to_olivia = s.scalar(select(OutboxMessage).where(OutboxMessage.person_id == t.pid("olivia")))
        assert (to_olivia.status, to_olivia.last_error) == ("failed", RECIPIENT_LEFT)
        assert [o.ref for o in orphaned_actions(s, MET)] == ["MET-2", "MET-1", "MET-3"]
        assert orphaned_actions(s, "Corporate Services") == []
    code, out, _ = run(capsys, "cycle", "status")
    left = "not sent: the recipient has left (marked inactive in the People sheet)"
    assert code == 0 and f"could not deliver to Olivia Owen: {left}" in out


def test_a_request_left_empty_by_reassignments_is_withdrawn(url, sqlite_engine, capsys):
    assert run(capsys, "cycle", "start", "--scope", "all", "--deadline", DEADLINE)[0] == 0
    for ref in ("MET-1", "MET-2", "MET-3"):
        assert run(capsys, "reassign", ref, "--to", "laura@example.test", "--by", "sam@example.test")[0] == 0
    with make_sessionmaker(sqlite_engine)() as s:
        t = attach(s, TODAY)
        olivia = s.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == f"cycle:1:request:{t.pid('olivia')}"))
        assert (olivia.status, olivia.last_error, olivia.payload["items"]) == ("failed", WITHDRAWN, [])
    code, out, _ = run(capsys, "cycle", "status")
    withdrawn = "withdrawn: every item of this request was reassigned to another owner"
    assert code == 0 and f"could not deliver to Olivia Owen: {withdrawn}" in out


def test_cycle_start_by_a_governance_person_posts_their_progress_card(url, sqlite_engine, capsys):
    code, _, err = run(capsys, "cycle", "start", "--scope", "all", "--deadline", DEADLINE, "--by", "sam@example.test")
    assert code == 1 and "only Strategy & Governance staff open update cycles" in err
    code, _, err = run(capsys, "cycle", "start", "--scope", "all", "--deadline", DEADLINE, "--by", "x@example.test")
    assert code == 1 and "--by 'x@example.test' is not on the tracker" in err
    with FakeConnector() as connector:
        with make_sessionmaker(sqlite_engine).begin() as s:
            attach(s, TODAY).install("grace", connector.service_url)
        code, out, _ = run(
            capsys, "cycle", "start", "--scope", "all", "--deadline", DEADLINE, "--by", "Grace@example.test"
        )
        assert code == 0 and "the progress card goes to Grace@example.test's chat with the bot" in out
        code, out, _ = run(capsys, "worker", "--until-idle", "--rate", "50", "--timeout", "2", "--lease", "10")
        assert code == 0
        assert connector.delivered_counts().get("a:personal-grace") == 1
    with make_sessionmaker(sqlite_engine)() as s:
        cycle = s.scalars(select(UpdateCycle)).one()
        assert cycle.opened_by == "grace@example.test"
        assert cycle.progress_conversation["conversation"]["id"] == "a:personal-grace"
        assert cycle.progress_activity_id
