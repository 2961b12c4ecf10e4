"""The store reports an import's problems as codes and facts, never words (issue 12): the words are
cards/import_wording.py's (pinned in tests/cards/test_import_wording.py)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker

from domain.import_problems import ImportCode as C
from domain.import_problems import ImportProblem, WorkbookError
from domain.permissions import operator_viewer
from store.history import ChangeContext
from store.workbook import import_workbook
from store.workbook.reader import read_workbook
from tests.store.workbooks import minimal_sheets, sheets_with_every_problem, write_workbook

CTX = ChangeContext("governance@force.example", "import", datetime(2026, 11, 1, tzinfo=timezone.utc))
OPERATOR = operator_viewer(CTX.actor)


def _problems(sessions: sessionmaker, path: Path) -> list[ImportProblem]:
    with pytest.raises(WorkbookError) as caught:
        with sessions.begin() as s:
            import_workbook(s, OPERATOR, path=path, ctx=CTX)
    return caught.value.problems


def test_every_cell_header_and_reference_problem_has_its_code_and_facts(sessions: sessionmaker, tmp_path: Path) -> None:
    with sessions.begin() as s:
        import_workbook(s, OPERATOR, path=write_workbook(tmp_path / "ok.xlsx", minimal_sheets()), ctx=CTX)
    problems = _problems(sessions, write_workbook(tmp_path / "bad.xlsx", sheets_with_every_problem()))
    found = {(p.sheet, p.row, p.column): p for p in problems}
    assert len(found) == len(problems) == 38
    file_codes = {C.FILE_NOT_FOUND, C.NOT_A_WORKBOOK, C.NO_TRACKER_SHEETS, C.SECOND_SHEET, C.NOT_PERMITTED}
    constraint_codes = {C.ID_IN_USE}  # what the database would refuse: test_import_constraints.py
    constraint_codes |= {C.ALREADY_ON_TRACKER}  # only adding from the tab: tests/store/test_creation.py
    assert {p.code for p in problems} == set(C) - file_codes - LINEAGE_CODES - constraint_codes
    assert found["Actions", 4, "risk"] == ImportProblem(
        "Actions", 4, "risk", C.NOT_A_CHOICE, value="Very  High", choices=("high", "medium", "low")
    )
    assert found["Actions", 4, "implemented_on"] == ImportProblem(
        "Actions",
        4,
        "implemented_on",
        C.DATE_OUT_OF_RANGE,
        on=date(9999, 12, 31),
        earliest=date(2000, 1, 1),
        latest=date(2036, 11, 1),
    )
    assert found["Actions", 2, "due_date"].on == date(2020, 11, 30)  # the stored original due date
    assert (found["Actions", 7, "ref"].value, found["Actions", 7, "ref"].other_row) == ("r-4", 5)
    assert found["Audits", 4, "received"].code == C.YEARS_NOT_CONSECUTIVE
    assert (found["Audits", 4, "received"].value, found["Audits", 4, "received"].choices) == ("2019/21", ("2019/20",))
    assert (found["Audits", 5, "title"].count, found["Audits", 5, "title"].limit) == (4001, 4000)
    roles = found["People", 3, "roles"]
    assert (roles.code, roles.choices) == (C.UNKNOWN_ROLES, ("wizard", "dragon"))
    assert roles.allowed == ("owner", "spoc", "chief_officer", "governance")
    assert found["People", 1, "H"].value == "colour" and "active" in found["People", 1, "H"].choices
    assert found["People", 2, "delegates"] == ImportProblem(
        "People", 2, "delegates", C.UNKNOWN_DELEGATE, value="nobody@force.example"
    )


# Issue 23's codes (follow-ups, the Portal sheet's counts, mappings) have their own workbook below.
LINEAGE_CODES = {
    C.FOLLOWS_ITSELF,
    C.FOLLOWS_NOT_A_FOLLOW_UP,
    C.NOT_A_COUNT,
    C.NOT_IN_DATE_FORMAT,
    C.MAPPING_UNREADABLE,
    C.MAPPING_UNKNOWN_SHEET,
    C.MAPPING_UNKNOWN_COLUMN,
}


def test_follow_ups_and_portal_counts_have_their_codes(sessions: sessionmaker, tmp_path: Path) -> None:
    sheets = minimal_sheets()
    sheets["Audits"][0].append("follows")
    sheets["Audits"] += [
        ["A-2", "Loop", "2017/18", "follow-up", "adequate", "no", "A-2"],
        ["A-3", "Original with a parent", "2018/19", "original", "limited", "no", "A-1"],
        ["A-4", "Orphan", "2018/19 Q2", "follow-up", "limited", "no", "A-99"],
    ]
    sheets["Portal"] = [["as_of", "theme", "recommendations", "afis"], ["2020-11-30", "PEEL", "ten", -1]]
    found = {(p.sheet, p.row, p.column): p for p in _problems(sessions, write_workbook(tmp_path / "f.xlsx", sheets))}
    assert found == {
        ("Audits", 3, "follows"): ImportProblem("Audits", 3, "follows", C.FOLLOWS_ITSELF, value="A-2"),
        ("Audits", 4, "follows"): ImportProblem("Audits", 4, "follows", C.FOLLOWS_NOT_A_FOLLOW_UP, value="A-1"),
        ("Audits", 5, "follows"): ImportProblem("Audits", 5, "follows", C.UNKNOWN_AUDIT, value="A-99"),
        ("Portal", 2, "recommendations"): ImportProblem("Portal", 2, "recommendations", C.NOT_A_COUNT, value="ten"),
        ("Portal", 2, "afis"): ImportProblem("Portal", 2, "afis", C.NOT_A_COUNT, value="-1"),
    }


def test_problems_with_the_file_itself_are_codes(tmp_path: Path) -> None:
    notes = tmp_path / "notes.xlsx"
    notes.write_text("hello")
    for path, code in ((notes, C.NOT_A_WORKBOOK), (tmp_path / "missing.xlsx", C.FILE_NOT_FOUND)):
        with pytest.raises(WorkbookError) as caught:
            read_workbook(path)
        assert caught.value.problems == [ImportProblem(str(path), 0, "", code)]
    other = read_workbook(write_workbook(tmp_path / "other.xlsx", {"Sheet1": [["a"]]}))
    assert [(p.code, p.choices) for p in other.problems] == [
        (C.NO_TRACKER_SHEETS, ("People", "Audits", "Actions", "Inspections", "Portal", "Lists"))
    ]
    twice = read_workbook(write_workbook(tmp_path / "twice.xlsx", {"Lists": [["list", "value"]], "LISTS ": []}))
    assert twice.problems == [ImportProblem("LISTS ", 0, "", C.SECOND_SHEET, value="LISTS ")]
