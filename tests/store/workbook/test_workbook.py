"""Import is all or nothing; export then import changes nothing; text never becomes a formula."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import sessionmaker

from store.db.models import Action, GroupLead, HistoryEntry, InspectionItem, Person
from store.history import ChangeContext
from store.workbook import export_workbook
from tests.builders import history_entry
from tests.store.snapshot import snapshot
from tests.store.worded_import import WorkbookError, import_workbook
from tests.store.workbooks import minimal_sheets, write_workbook

CTX = ChangeContext("governance@force.example", "import", datetime(2026, 11, 1, tzinfo=timezone.utc))
LATER = ChangeContext("governance@force.example", "import", datetime(2026, 11, 20, tzinfo=timezone.utc))


def _import(sessions: sessionmaker, path: Path, ctx: ChangeContext = CTX):
    with sessions.begin() as s:
        return import_workbook(s, path, ctx)


def test_valid_workbook_is_imported(sessions: sessionmaker, tmp_path: Path) -> None:
    result = _import(sessions, write_workbook(tmp_path / "t.xlsx", minimal_sheets()))
    assert result.created == {"people": 2, "audits": 1, "actions": 2, "inspections": 1}
    with sessions() as s:
        r1 = s.scalar(select(Action).where(Action.ref == "R-1"))
        assert (r1.due_date, r1.status, r1.owner.email, r1.business_group.name) == (
            date(2020, 11, 30),
            "open",
            "ann.owner@force.example",
            "Met Operations",
        )
        assert r1.delay_reason == "Recruitment"
        r2 = s.scalar(select(Action).where(Action.ref == "R-2"))
        assert r2.revised_due_date == date(2021, 6, 30)
        chief = s.scalar(select(Person).where(Person.email == "cy.chief@force.example"))
        assert chief.role_names == {"chief_officer"}
        assert s.scalar(select(func.count()).select_from(GroupLead)) == 1
        assert s.scalar(select(InspectionItem.status)) == "open"


def test_four_problems_reported_in_one_run_and_nothing_stored(
    engine: Engine, sessions: sessionmaker, tmp_path: Path
) -> None:
    _import(sessions, write_workbook(tmp_path / "good.xlsx", minimal_sheets()))
    before = snapshot(engine)
    sheets = minimal_sheets()
    sheets["Actions"] += [
        ["R-3", "A-1", "Bad date", "high", "Met Operations", "ann.owner@force.example", "31/02/2021", None, "open"],
        [
            "R-4",
            "A-1",
            "Unknown group",
            "high",
            "Narnia Command",
            "ann.owner@force.example",
            "2021-01-31",
            None,
            "open",
        ],
        [
            "R-1",
            "A-1",
            "Duplicate ref",
            "high",
            "Met Operations",
            "ann.owner@force.example",
            "2020-11-30",
            None,
            "open",
        ],
        [
            "R-5",
            "A-1",
            "Owner not in People",
            "high",
            "Met Operations",
            "nobody@force.example",
            "2021-01-31",
            None,
            "open",
        ],
    ]
    with pytest.raises(WorkbookError) as caught:
        _import(sessions, write_workbook(tmp_path / "bad.xlsx", sheets))
    problems = {(p.sheet, p.row, p.column) for p in caught.value.problems}
    assert problems == {
        ("Actions", 4, "due_date"),
        ("Actions", 5, "business_group"),
        ("Actions", 6, "ref"),
        ("Actions", 7, "owner_email"),
    }
    reasons = " | ".join(p.reason for p in caught.value.problems)
    assert "not a date" in reasons and "Narnia Command" in reasons and "duplicate ref 'R-1'" in reasons
    assert "nobody@force.example" in reasons
    assert snapshot(engine) == before


def test_missing_required_column_and_unknown_enum(sessions: sessionmaker, tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["Audits"] = [["audit_id", "title", "received", "kind"], ["A-1", "T", "2019/20 Q5", "original"]]
    sheets["Actions"][1][3] = "very high"
    with pytest.raises(WorkbookError) as caught:
        _import(sessions, write_workbook(tmp_path / "bad.xlsx", sheets))
    got = {(p.sheet, p.row, p.column) for p in caught.value.problems}
    assert ("Audits", 1, "assurance") in got  # the required column is missing
    assert ("Audits", 2, "received") in got
    assert ("Actions", 2, "risk") in got
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 0


def test_export_then_import_changes_nothing(
    engine: Engine, sessions: sessionmaker, tmp_path: Path, today: date, now: datetime
) -> None:
    from store.demo.builder import load_demo

    with sessions.begin() as s:
        load_demo(s, today, now)
    with sessions.begin() as s:
        export_workbook(s, tmp_path / "export.xlsx")
    before = snapshot(engine)
    result = _import(sessions, tmp_path / "export.xlsx", LATER)
    assert result.created == {} and result.updated == {} and result.history_rows == 0
    assert snapshot(engine) == before


def test_reimport_updates_rows_and_records_history(sessions: sessionmaker, tmp_path: Path) -> None:
    _import(sessions, write_workbook(tmp_path / "a.xlsx", minimal_sheets()))
    sheets = minimal_sheets()
    sheets["Actions"][1][8] = "in progress"
    sheets["Actions"][1][9] = "covid-19 related delay"  # matched case-insensitively to the list
    result = _import(sessions, write_workbook(tmp_path / "b.xlsx", sheets), LATER)
    assert result.updated == {"actions": 1}
    with sessions() as s:
        action = s.scalar(select(Action).where(Action.ref == "R-1"))
        assert action.status == "in progress" and action.delay_reason == "COVID-19 related delay"
        assert action.version == 2
        rows = s.execute(
            select(HistoryEntry.field, HistoryEntry.old_value, HistoryEntry.new_value, HistoryEntry.channel).where(
                HistoryEntry.entity_ref == "R-1", HistoryEntry.at == LATER.at
            )
        ).all()
        assert sorted(rows) == [
            ("delay_reason", "Recruitment", "COVID-19 related delay", "import"),
            ("status", "open", "in progress", "import"),
        ]


def test_original_due_date_is_read_only(sessions: sessionmaker, tmp_path: Path) -> None:
    _import(sessions, write_workbook(tmp_path / "a.xlsx", minimal_sheets()))
    sheets = minimal_sheets()
    sheets["Actions"][1][6] = "2021-12-31"
    with pytest.raises(WorkbookError) as caught:
        _import(sessions, write_workbook(tmp_path / "b.xlsx", sheets))
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (2, "due_date") and "revised_due_date" in problem.reason


def test_text_starting_like_a_formula_is_exported_as_text(sessions: sessionmaker, tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["Actions"][1][2] = '=HYPERLINK("http://evil.example")'
    sheets["Actions"][2][2] = "-fix the register"
    # openpyxl would write '=...' as a formula; mark the source cell as text the way Excel users do.
    path = write_workbook(tmp_path / "a.xlsx", sheets)
    wb = load_workbook(path)
    wb["Actions"]["C2"].data_type = "s"
    wb.save(path)
    _import(sessions, path)
    with sessions.begin() as s:
        export_workbook(s, tmp_path / "out.xlsx")
    ws = load_workbook(tmp_path / "out.xlsx")["Actions"]
    cells = {ws.cell(r, 1).value: ws.cell(r, 3) for r in range(2, ws.max_row + 1)}
    assert cells["R-1"].data_type == "s" and cells["R-1"].value.startswith("=HYPERLINK")
    assert cells["R-2"].data_type == "s" and cells["R-2"].value == "-fix the register"
    with sessions() as s:
        assert s.scalar(select(Action.description).where(Action.ref == "R-1")).startswith("=HYPERLINK")


def test_not_a_workbook(sessions: sessionmaker, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.xlsx"
    bogus.write_text("hello")
    with pytest.raises(WorkbookError) as caught:
        _import(sessions, bogus)
    assert "not an .xlsx workbook" in str(caught.value.problems[0])


def test_imported_dates_lie_between_2000_and_ten_years_ahead(
    engine: Engine, sessions: sessionmaker, tmp_path: Path
) -> None:
    """9999-12-31 typed for 2029 (and 1999 for 2019) is refused with sheet, row and column; nothing stored."""
    sheets = minimal_sheets()
    sheets["Actions"][1][6] = "9999-12-31"
    sheets["Actions"][2][7] = date(1999, 12, 31)
    sheets["Inspections"][1][8] = "2036-11-02"  # CTX is 1 November 2026: one day past ten years
    with pytest.raises(WorkbookError) as caught:
        _import(sessions, write_workbook(tmp_path / "far.xlsx", sheets))
    assert {(p.sheet, p.row, p.column) for p in caught.value.problems} == {
        ("Actions", 2, "due_date"),
        ("Actions", 3, "revised_due_date"),
        ("Inspections", 2, "due_date"),
    }
    assert "9999-12-31 is not between 2000-01-01 and 2036-11-01 (ten years from today): check the year" in {
        p.reason for p in caught.value.problems
    }
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Action)) == 0
    sheets["Inspections"][1][8] = "2036-11-01"
    sheets["Actions"][1][6], sheets["Actions"][2][7] = "2000-01-01", None
    assert _import(sessions, write_workbook(tmp_path / "edge.xlsx", sheets)).created["actions"] == 2


def test_imported_text_is_cleaned_and_capped(sessions: sessionmaker, tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["Actions"][1][2] = "Update the\u202e register\r\nnow"
    sheets["Actions"][2][2] = "x" * 4001
    with pytest.raises(WorkbookError) as caught:
        _import(sessions, write_workbook(tmp_path / "long.xlsx", sheets))
    [problem] = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("Actions", 3, "description")
    assert problem.reason == "Too long: 4,001 characters. Please keep it to 4,000."
    sheets["Actions"][2][2] = "Report monthly"
    _import(sessions, write_workbook(tmp_path / "ok.xlsx", sheets))
    with sessions() as s:
        assert s.scalar(select(Action.description).where(Action.ref == "R-1")) == "Update the register\nnow"


def test_rows_stored_before_cleaning_still_export(sessions: sessionmaker, tmp_path: Path) -> None:
    """A vertical tab from Word made openpyxl raise IllegalCharacterError on every export, for ever."""
    _import(sessions, write_workbook(tmp_path / "t.xlsx", minimal_sheets()))
    with sessions.begin() as s:
        s.scalar(select(Action).where(Action.ref == "R-1")).last_update_note = "Draft\x0b agreed\x1b"
        at = datetime(2026, 11, 2, tzinfo=timezone.utc)
        s.add(history_entry("R-1", "last_update_note", None, "Draft\x0b agreed\x1b", at=at, actor="o@x"))
    with sessions() as s:
        export_workbook(s, tmp_path / "out.xlsx")
    book = load_workbook(tmp_path / "out.xlsx")
    header = [c.value for c in book["Actions"][1]]
    assert book["Actions"].cell(2, header.index("last_update_note") + 1).value == "Draft agreed"
    assert "Draft agreed" in [row[-1] for row in book["History"].iter_rows(values_only=True)]
