"""People who leave (the `active` column), covers and their history (issue 13 point 3), in the store."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from store.db.models import HistoryEntry, Person
from store.history import ChangeContext
from store.people.cover import COVER_SET, recipients, set_cover
from store.people.reassign import orphaned_actions, people_choices
from store.people.viewers import find_viewer
from store.updates.actions import outstanding_for
from store.updates.pipeline import apply_update
from store.workbook import export_workbook
from tests.store.cycle_tracker import MET, build
from tests.store.worded_import import WorkbookError, import_workbook
from tests.store.workbooks import minimal_sheets, write_workbook

CTX = ChangeContext("governance@force.example", "import", datetime(2026, 11, 1, tzinfo=timezone.utc))


def test_the_active_column_is_imported_and_exported(sessions: sessionmaker, tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["People"][0].append("active")
    sheets["People"][1].append("no")
    sheets["People"][2].append(None)  # empty: still here
    with sessions.begin() as s:
        import_workbook(s, write_workbook(tmp_path / "a.xlsx", sheets), CTX)
    with sessions.begin() as s:
        people = {p.email: p.active for p in s.scalars(select(Person))}
        assert people == {"ann.owner@force.example": False, "cy.chief@force.example": True}
        assert [o.ref for o in orphaned_actions(s)] == ["R-1", "R-2"]
        export_workbook(s, tmp_path / "out.xlsx")
    rows = list(load_workbook(tmp_path / "out.xlsx")["People"].iter_rows(values_only=True))
    active = rows[0].index("active")
    assert {r[0]: r[active] for r in rows[1:]} == {"ann.owner@force.example": "no", "cy.chief@force.example": "yes"}
    # the exported file imports again unchanged; a word that is not yes or no is refused
    with sessions.begin() as s:
        result = import_workbook(s, tmp_path / "out.xlsx", CTX)
        assert result.updated == {} and result.history_rows == 0
    sheets["People"][1][-1] = "gone fishing"
    try:
        with sessions.begin() as s:
            import_workbook(s, write_workbook(tmp_path / "b.xlsx", sheets), CTX)
    except WorkbookError as exc:
        assert "'gone fishing' is not yes or no (no: the person has left)" in str(exc.problems)
    else:
        raise AssertionError("a bad active value was accepted")


def test_a_cover_sees_updates_and_is_recorded_as_x_for_y(sessions: sessionmaker, today: date, now: datetime) -> None:
    with sessions.begin() as s:
        t = build(s, today)
        olivia = find_viewer(s, None, "olivia@example.test", today)
        outcome = set_cover(
            s,
            olivia,
            "olivia@example.test",
            "amelia@example.test",
            starts_on=today,
            ends_on=today + timedelta(days=3),
            ctx=ChangeContext(olivia.email, "teams", now),
            today=today,
        )
        assert outcome.outcome == COVER_SET
        olivia_id, amelia_id = t.pid("olivia"), t.pid("amelia")
    with sessions.begin() as s:
        amelia = find_viewer(s, None, "amelia@example.test", today)
        assert amelia.covering == (olivia_id,)
        refs = [a.ref for a in outstanding_for(s, amelia, today=today).items]
        assert {"MET-1", "MET-2", "MET-3", "CORP-1"} <= set(refs)
        before = find_viewer(s, None, "amelia@example.test", today - timedelta(days=1))
        assert before.covering == () and "MET-1" not in [a.ref for a in outstanding_for(s, before, today=today).items]
        action = next(a for a in outstanding_for(s, amelia, today=today).items if a.ref == "MET-1")
        saved = apply_update(
            s,
            amelia,
            kind="action",
            ref="MET-1",
            submission={
                "status": "in progress",
                "progress_note": "Chased the supplier",
                "delay_reason": "Resource challenges",
            },
            expected_version=action.version,
            ctx=ChangeContext(amelia.email, "teams", now),
            today=today,
        )
        assert saved.status == "saved"
        row = s.scalar(
            select(HistoryEntry).where(HistoryEntry.entity_ref == "MET-1", HistoryEntry.field == "last_update_note")
        )
        assert (row.actor, row.on_behalf_of) == ("amelia@example.test", "olivia@example.test")
        routes = recipients(s, [olivia_id, amelia_id], today)
        assert routes[olivia_id].person_id == amelia_id and routes[olivia_id].cover_for == "Olivia Owen"
        assert olivia_id not in recipients(s, [olivia_id, amelia_id], today + timedelta(days=4))  # over: as before


def test_leavers_are_not_offered_and_receive_nothing(sessions: sessionmaker, today: date) -> None:
    with sessions.begin() as s:
        t = build(s, today)
        t.people["laura"].active = False
        s.flush()
        names = [name for name, _ in people_choices(s, MET)]
        assert "Laura Mills" not in names and names[0] == "Colin Chambers"  # own group's people first
        assert recipients(s, [t.pid("laura")], today)[t.pid("laura")].person_id is None
        assert [o.ref for o in orphaned_actions(s, MET)] == ["MET-4"]
