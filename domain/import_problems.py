"""Why a tracker workbook cannot be imported, as codes and the facts their words need.

store/workbook/ finds the problems; cards/import_wording.py words them (the command line's `import`
prints those words). Each problem says where it is (sheet, spreadsheet row, column) and what is
wrong; nothing here is a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = ["ImportCode", "ImportProblem", "CellError", "WorkbookError"]


class ImportCode(StrEnum):
    """What is wrong; the comment names the facts of ImportProblem that code fills."""

    # the file as a whole (sheet: the path as given, row 0)
    FILE_NOT_FOUND = "file_not_found"
    NOT_A_WORKBOOK = "not_a_workbook"
    NO_TRACKER_SHEETS = "no_tracker_sheets"  # choices: the sheet titles looked for
    SECOND_SHEET = "second_sheet"  # value: the title of the sheet ignored
    NOT_PERMITTED = "not_permitted"  # the viewer may not import (domain/permissions.py)
    # a mapping (sheet: the mapping's file name or "Mapping"; row: its row on a Mapping sheet, else 0)
    MAPPING_UNREADABLE = "mapping_unreadable"  # value: what the reader of the file said
    MAPPING_UNKNOWN_SHEET = "mapping_unknown_sheet"  # value: the sheet named, choices: our sheets
    MAPPING_UNKNOWN_COLUMN = "mapping_unknown_column"  # value: the column named, choices: that sheet's columns
    # a header row (row 1)
    UNKNOWN_COLUMN = "unknown_column"  # value: the header as written, choices: the columns expected
    COLUMN_MISSING = "column_missing"  # column: the required column's name
    # a cell
    VALUE_REQUIRED = "value_required"
    TOO_LONG = "too_long"  # count: characters given, limit: the most allowed
    NOT_AN_EMAIL = "not_an_email"  # value
    NOT_A_DATE = "not_a_date"  # value
    NOT_IN_DATE_FORMAT = "not_in_date_format"  # value, choices: (the mapping's date format,)
    NOT_A_CHOICE = "not_a_choice"  # value, choices: the values allowed
    NOT_A_QUARTER = "not_a_quarter"  # value (an audit's received: a quarter or a financial year)
    NOT_A_COUNT = "not_a_count"  # value
    NOT_A_FINANCIAL_YEAR = "not_a_financial_year"  # value
    YEARS_NOT_CONSECUTIVE = "years_not_consecutive"  # value: 'first/second' as read, choices: (the year meant,)
    NOT_YES_NO = "not_yes_no"  # value
    NOT_ACTIVE_OR_LEFT = "not_active_or_left"  # value (the People sheet's `active`)
    UNKNOWN_ROLES = "unknown_roles"  # choices: the unknown roles, allowed: the roles there are
    NOT_A_LINK = "not_a_link"  # value
    DATE_OUT_OF_RANGE = "date_out_of_range"  # on: the date, earliest and latest: the window
    DUPLICATE_KEY = "duplicate_key"  # value: the identifier (column names it), other_row: its first row
    # references to the tracker or to other sheets
    UNKNOWN_GROUP = "unknown_group"  # value
    UNKNOWN_DELAY_REASON = "unknown_delay_reason"  # value
    UNKNOWN_AUDIT = "unknown_audit"  # value
    FOLLOWS_ITSELF = "follows_itself"  # value: the audit_id
    FOLLOWS_NOT_A_FOLLOW_UP = "follows_not_a_follow_up"  # value: the audit followed (on an original's row)
    UNKNOWN_OWNER = "unknown_owner"  # value: the owner's email
    UNKNOWN_DELEGATE = "unknown_delegate"  # value: the delegate's email
    DUE_DATE_FIXED = "due_date_fixed"  # on: the original due date stored
    # what the database would refuse (store/workbook/constraints.py)
    ID_IN_USE = "id_in_use"  # value: the identifier (column names it), held_by: who has it in the tracker
    # adding something new from the tab (store/updates/creation.py), where an import would update it instead
    ALREADY_ON_TRACKER = "already_on_tracker"  # value: the identifier (column names it)


@dataclass(frozen=True)
class ImportProblem:
    """One problem: where (row 0 is the file or sheet as a whole; column '' none) and a code with its facts."""

    sheet: str
    row: int
    column: str
    code: ImportCode
    value: str | None = None
    choices: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()  # UNKNOWN_ROLES: the roles there are
    count: int | None = None
    limit: int | None = None
    on: date | None = None
    earliest: date | None = None
    latest: date | None = None
    other_row: int | None = None
    # The column's heading in the force's own spreadsheet when a mapping named it (column: ours).
    source: str | None = None
    held_by: str | None = None  # ID_IN_USE: the email of the person the tracker gives the identifier to


class CellError(ValueError):
    """A cell's value cannot be read: the problem's code and facts, before the reader says where."""

    def __init__(
        self,
        code: ImportCode,
        *,
        value: str | None = None,
        choices: tuple[str, ...] = (),
        allowed: tuple[str, ...] = (),
        count: int | None = None,
        limit: int | None = None,
    ):
        super().__init__(code.value)
        self.code, self.value, self.choices, self.allowed = code, value, choices, allowed
        self.count, self.limit = count, limit

    def at(self, sheet: str, row: int, column: str) -> ImportProblem:
        return ImportProblem(
            sheet,
            row,
            column,
            self.code,
            value=self.value,
            choices=self.choices,
            allowed=self.allowed,
            count=self.count,
            limit=self.limit,
        )


class WorkbookError(Exception):
    """The file was rejected; ``problems`` lists every one (in sheet, row, column order), and nothing was stored."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = sorted(problems, key=lambda p: (p.sheet, p.row, p.column, p.code.value))
        super().__init__(", ".join(sorted({p.code.value for p in self.problems})))
