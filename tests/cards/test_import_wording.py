"""The words for each workbook import problem (domain/import_problems.py codes), as the command line's
`import` prints them; every code has its sentence pinned here."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from cards.import_wording import import_summary, problem_line, problem_lines, reason_words
from domain.import_problems import ImportCode as C
from domain.import_problems import ImportProblem

GROUPS = "is not in the configured list: check the spelling or add it on the Lists sheet"


def _at(code: C, **facts: Any) -> ImportProblem:
    return ImportProblem("Actions", 4, "ref", code, **facts)


CASES: list[tuple[ImportProblem, str]] = [
    (_at(C.FILE_NOT_FOUND), "file not found"),
    (_at(C.NOT_A_WORKBOOK), "not an .xlsx workbook"),
    (_at(C.NOT_PERMITTED), "only Strategy & Governance staff import the tracker"),
    (_at(C.NO_TRACKER_SHEETS, choices=("People", "Lists")), "no tracker sheets found: expected People, Lists"),
    (_at(C.SECOND_SHEET, value="LISTS "), "a second 'LISTS ' sheet"),
    (_at(C.UNKNOWN_COLUMN, value="colour", choices=("email", "name")), "unknown column 'colour': expected email, name"),
    (_at(C.COLUMN_MISSING), "required column is missing"),
    (_at(C.VALUE_REQUIRED), "a value is required"),
    (_at(C.TOO_LONG, count=4001, limit=4000), "Too long: 4,001 characters. Please keep it to 4,000."),
    (_at(C.NOT_AN_EMAIL, value="ann at x"), "'ann at x' is not an email address"),
    (_at(C.NOT_A_DATE, value="31/02/2021"), "'31/02/2021' is not a date: use an Excel date or YYYY-MM-DD"),
    (_at(C.NOT_A_CHOICE, value="Very High", choices=("high", "low")), "'Very High' is not one of: high, low"),
    (
        _at(C.NOT_A_QUARTER, value="2019/20 Q5"),
        "'2019/20 Q5' is not a quarter like 2019/20 Q4 (or only a financial year like 2017/18)",
    ),
    (_at(C.NOT_A_FINANCIAL_YEAR, value="18/19"), "'18/19' is not a financial year like 2018/19"),
    (
        _at(C.YEARS_NOT_CONSECUTIVE, value="2019/21", choices=("2019/20",)),
        "2019/21 is not a financial year (expected 2019/20)",
    ),
    (_at(C.NOT_YES_NO, value="perhaps"), "'perhaps' is not yes or no"),
    (_at(C.NOT_ACTIVE_OR_LEFT, value="maybe"), "'maybe' is not yes or no (no: the person has left)"),
    (
        _at(C.UNKNOWN_ROLES, choices=("wizard", "dragon"), allowed=("owner", "spoc")),
        "unknown role wizard, dragon: use owner, spoc",
    ),
    (_at(C.NOT_A_LINK, value="ftp://x"), "'ftp://x' is not a web link (http:// or https://)"),
    (
        _at(C.DATE_OUT_OF_RANGE, on=date(9999, 12, 31), earliest=date(2000, 1, 1), latest=date(2036, 11, 1)),
        "9999-12-31 is not between 2000-01-01 and 2036-11-01 (ten years from today): check the year",
    ),
    (_at(C.DUPLICATE_KEY, value="R-1", other_row=2), "duplicate ref 'R-1' (also on row 2)"),
    (_at(C.UNKNOWN_GROUP, value="Narnia"), f"unknown business group 'Narnia' {GROUPS}"),
    (
        _at(C.UNKNOWN_DELAY_REASON, value="bad luck"),
        "unknown delay reason 'bad luck' is not in the configured list: pick one from the list or add it on the "
        "Lists sheet",
    ),
    (_at(C.UNKNOWN_AUDIT, value="A-9"), "audit 'A-9' is not on the Audits sheet or in the tracker"),
    (_at(C.UNKNOWN_OWNER, value="a@x.org"), "owner 'a@x.org' is not on the People sheet or in the tracker"),
    (_at(C.UNKNOWN_DELEGATE, value="b@x.org"), "delegate 'b@x.org' is not on the People sheet or in the tracker"),
    (_at(C.NOT_A_COUNT, value="ten"), "'ten' is not a count (a whole number, 0 or more)"),
    (_at(C.FOLLOWS_ITSELF, value="A-2"), "audit 'A-2' cannot follow up itself"),
    (
        _at(C.FOLLOWS_NOT_A_FOLLOW_UP, value="A-1"),
        "only a follow-up follows another audit: set kind to follow-up or leave follows empty (it names 'A-1')",
    ),
    (
        _at(C.NOT_IN_DATE_FORMAT, value="2020.11.30", choices=("%d/%m/%Y",)),
        "'2020.11.30' is not a date written as the mapping says (%d/%m/%Y)",
    ),
    (_at(C.MAPPING_UNREADABLE, value="line 3: expected '='"), "the mapping cannot be read: line 3: expected '='"),
    (
        _at(C.MAPPING_UNKNOWN_SHEET, value="Actionz", choices=("people", "actions")),
        "the mapping names sheet 'Actionz': use one of people, actions",
    ),
    (
        _at(C.MAPPING_UNKNOWN_COLUMN, value="reff", choices=("ref", "status")),
        "the mapping names column 'reff': use one of ref, status",
    ),
    (
        _at(C.DUE_DATE_FIXED, on=date(2020, 11, 30)),
        "the original due date cannot change after import (stored 2020-11-30); "
        "put a new date in revised_due_date instead",
    ),
    (
        _at(C.ID_IN_USE, value="9f1c-aad", held_by="ann@x.org"),
        "ref '9f1c-aad' already belongs to ann@x.org in the tracker: check the id; to move it, "
        "clear theirs in one import and give it here in the next",
    ),
    (
        _at(C.ALREADY_ON_TRACKER, value="DARA-2026-01-001"),
        "ref 'DARA-2026-01-001' is already on the tracker: give a new one, or change the existing one on its page",
    ),
]


def test_every_code_is_pinned() -> None:
    assert {p.code for p, _ in CASES} == set(C)


@pytest.mark.parametrize("problem, words", CASES, ids=[p.code.value for p, _ in CASES])
def test_each_problem_is_worded(problem: ImportProblem, words: str) -> None:
    assert reason_words(problem) == words
    assert problem_line(problem) == f"Actions row 4, column ref: {words}"


def test_the_line_names_only_what_there_is() -> None:
    whole_file = ImportProblem(" /tmp/t.xlsx ", 0, "", C.NOT_A_WORKBOOK)
    header = ImportProblem("People", 1, "H", C.UNKNOWN_COLUMN, value="x", choices=("email",))
    assert problem_line(whole_file) == "/tmp/t.xlsx: not an .xlsx workbook"
    assert problem_line(header) == "People row 1, column H: unknown column 'x': expected email"


def test_a_mapped_column_is_named_as_the_force_wrote_it() -> None:
    mapped = ImportProblem("Action Tracker", 7, "due_date", C.NOT_A_DATE, value="soon", source="Target Date")
    assert problem_line(mapped) == (
        "Action Tracker row 7, column 'Target Date' (due_date): 'soon' is not a date: use an Excel date or YYYY-MM-DD"
    )


def test_lines_are_in_sheet_row_column_then_word_order() -> None:
    fixed = ImportProblem("Actions", 2, "due_date", C.DUE_DATE_FIXED, on=date(2020, 11, 30))
    window = ImportProblem(
        "Actions",
        2,
        "due_date",
        C.DATE_OUT_OF_RANGE,
        on=date(1999, 1, 1),
        earliest=date(2000, 1, 1),
        latest=date(2036, 1, 1),
    )
    audits = ImportProblem("Audits", 1, "assurance", C.COLUMN_MISSING)
    lines = problem_lines([audits, fixed, window])
    assert [line.split(": ", 1)[1][:10] for line in lines] == ["1999-01-01", "the origin", "required c"]
    assert lines[2] == "Audits row 1, column assurance: required column is missing"


def test_the_summary_counts_each_sheet() -> None:
    assert import_summary({}, {}) == "nothing to import"
    assert import_summary({"people": 2, "actions": 1}, {"actions": 3}) == (
        "actions: 1 new, 3 changed; people: 2 new, 0 changed"
    )
