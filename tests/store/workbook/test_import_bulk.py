"""New actions and history rows go in with bulk INSERTs (store/workbook/bulk.py, issue 25): the rows
are what the ORM wrote one by one, in the caller's one transaction, and the tracker's version (the
answer cache's key, moved by database triggers) still moves with them. On SQLite and PostgreSQL."""

from __future__ import annotations

import copy
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from store.db.models import Action, HistoryEntry
from store.db.version import tracker_version
from store.history import ChangeContext
from tests.store.worded_import import import_workbook
from tests.store.workbooks import minimal_sheets, write_workbook

AT = datetime(2026, 11, 1, 9, 30, tzinfo=timezone.utc)
CTX = ChangeContext("governance@force.example", "import", AT)


def version(sessions: sessionmaker) -> int:
    with sessions() as s:
        return tracker_version(s.connection())


def test_new_actions_are_stored_linked_with_their_history_and_move_the_version(
    sessions: sessionmaker, tmp_path: Path
) -> None:
    before = version(sessions)
    with sessions.begin() as s:
        result = import_workbook(s, write_workbook(tmp_path / "first.xlsx", minimal_sheets()), CTX)
    assert result.created["actions"] == 2
    assert version(sessions) > before
    with sessions() as s:
        actions = {a.ref: a for a in s.scalars(select(Action))}
        assert actions["R-2"].audit.audit_id == "A-1"
        assert actions["R-2"].owner.email == "ann.owner@force.example"
        assert actions["R-2"].business_group.name == "Met Operations"
        assert (actions["R-2"].due_date, actions["R-2"].revised_due_date) == (date(2021, 3, 31), date(2021, 6, 30))
        assert (actions["R-2"].status, actions["R-2"].version, actions["R-2"].delay_reason) == ("in progress", 1, None)
        assert actions["R-1"].delay_reason == "Recruitment"
        created = s.execute(
            select(HistoryEntry.entity_ref, HistoryEntry.field, HistoryEntry.new_value, HistoryEntry.actor)
            .where(HistoryEntry.entity == "action")
            .order_by(HistoryEntry.id)
        ).all()
        assert created == [
            ("R-1", "_created", "R-1", "governance@force.example"),
            ("R-2", "_created", "R-2", "governance@force.example"),
        ]
        entities = list(s.scalars(select(HistoryEntry.entity).order_by(HistoryEntry.id)))
        # In the order the sheets are applied, as when the ORM flushed them.
        assert entities == ["person", "person", "audit", "action", "action", "inspection"]


def test_a_new_action_beside_a_changed_one_both_recorded_and_the_version_moves(
    sessions: sessionmaker, tmp_path: Path
) -> None:
    sheets = minimal_sheets()
    with sessions.begin() as s:
        import_workbook(s, write_workbook(tmp_path / "first.xlsx", sheets), CTX)
    before = version(sessions)
    again = copy.deepcopy(sheets)
    again["Actions"][1][8] = "closed"  # R-1's status
    again["Actions"].append(["R-3", "A-1", "A third", "low", "Met Operations", "cy.chief@force.example"])
    again["Actions"][-1] += ["2021-05-31", None, "open", None, None]
    with sessions.begin() as s:
        result = import_workbook(s, write_workbook(tmp_path / "again.xlsx", again), CTX)
    assert (result.created, result.updated) == ({"actions": 1}, {"actions": 1})
    assert version(sessions) > before
    with sessions() as s:
        rows = s.execute(
            select(HistoryEntry.entity_ref, HistoryEntry.field, HistoryEntry.old_value, HistoryEntry.new_value)
            .where(HistoryEntry.entity == "action")
            .order_by(HistoryEntry.id)
        ).all()
        assert rows[2:] == [("R-1", "status", "open", "closed"), ("R-3", "_created", None, "R-3")]
        r3 = s.scalar(select(Action).where(Action.ref == "R-3"))
        assert r3 is not None and r3.owner.email == "cy.chief@force.example"
