"""Import problems are codes with facts: a converter's CellError is placed by the reader, and a
rejected workbook lists its problems in sheet, row and column order."""

from __future__ import annotations

from domain.import_problems import CellError, ImportCode, ImportProblem, WorkbookError


def test_a_cell_error_becomes_a_problem_where_it_was_found() -> None:
    error = CellError(ImportCode.NOT_A_CHOICE, value="Very High", choices=("high", "low"))
    assert isinstance(error, ValueError) and str(error) == "not_a_choice"
    assert error.at("Actions", 4, "risk") == ImportProblem(
        "Actions", 4, "risk", ImportCode.NOT_A_CHOICE, value="Very High", choices=("high", "low")
    )
    too_long = CellError(ImportCode.TOO_LONG, count=4001, limit=4000).at("Audits", 2, "title")
    assert (too_long.count, too_long.limit, too_long.value) == (4001, 4000, None)


def test_a_rejected_workbook_lists_problems_in_order_and_says_only_codes() -> None:
    later = ImportProblem("People", 2, "email", ImportCode.NOT_AN_EMAIL, value="x")
    header = ImportProblem("Actions", 1, "ref", ImportCode.COLUMN_MISSING)
    cell = ImportProblem("Actions", 3, "due_date", ImportCode.NOT_A_DATE, value="31/02")
    error = WorkbookError([later, cell, header])
    assert error.problems == [header, cell, later]
    assert str(error) == "column_missing, not_a_date, not_an_email"


def test_codes_are_plain_strings() -> None:
    assert ImportCode("due_date_fixed") is ImportCode.DUE_DATE_FIXED and ImportCode.TOO_LONG == "too_long"
    assert len({c.value for c in ImportCode}) == len(ImportCode)
