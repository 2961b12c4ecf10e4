"""A force's own spreadsheet read as our workbook: which of their sheets and columns is which of ours,
and what their words and dates mean (issue 23).

A mapping comes from a TOML file (``import --map mapping.toml``) or from a ``Mapping`` sheet in the
workbook itself. In TOML, one table per sheet of ours, keyed by our names:

    [actions]
    sheet = "Action Tracker"                 # their sheet's title
    [actions.columns]
    ref = "Rec No"                           # our column = their heading
    due_date = "Original Due Date"
    [actions.values.status]
    "Complete" = "implemented"               # their word = ours
    [actions.dates]
    due_date = "%d/%m/%Y"                    # how their dates are written (Python's strptime codes)

On a Mapping sheet, one row per fact: columns sheet, column, source, value, means, date_format (a
row with no column names their sheet's title in `source`; with a column and `source`, their heading;
with `value` and `means`, a translation; with `date_format`, how that column's dates are written).
Headings and words are matched case-insensitively, ignoring surrounding and repeated spaces.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from domain.import_problems import CellError, ImportCode, ImportProblem, WorkbookError
from store.workbook.columns import SHEETS, normalise_name

__all__ = ["SheetMapping", "Mapping", "MAPPING_SHEET", "mapping_from_toml", "mapping_from_rows", "words"]

MAPPING_SHEET = "mapping"
_SHEET_COLUMNS = ("sheet", "column", "source", "value", "means", "date_format")


def words(value: Any) -> str:
    """A heading or a word as compared: lower case, single spaces."""
    return " ".join(str(value if value is not None else "").lower().split())


@dataclass
class SheetMapping:
    title: str | None = None  # their sheet's title; None: the sheet has our name
    columns: dict[str, str] = field(default_factory=dict)  # their heading (as compared) -> our column
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # our column -> their word -> ours
    dates: dict[str, str] = field(default_factory=dict)  # our column -> strptime format

    def translate(self, column: str, raw: Any) -> Any:
        """Their cell as ours would be written: their word replaced, their date read with its format."""
        table = self.values.get(column)
        if table and isinstance(raw, str) and words(raw) in table:
            raw = table[words(raw)]
        fmt = self.dates.get(column)
        if fmt and isinstance(raw, str) and raw.strip():
            try:
                return datetime.strptime(raw.strip(), fmt).date()
            except ValueError:
                raise CellError(ImportCode.NOT_IN_DATE_FORMAT, value=raw.strip(), choices=(fmt,)) from None
        if fmt and isinstance(raw, (int, float)) and not isinstance(raw, bool):
            raw = str(int(raw)) if float(raw).is_integer() else str(raw)  # 20201130 typed as a number
            return self.translate(column, raw)
        return raw


@dataclass
class Mapping:
    sheets: dict[str, SheetMapping] = field(default_factory=dict)  # our sheet -> how theirs maps to it

    def sheet_for(self, title: str) -> str | None:
        """Our sheet for their sheet ``title`` (their own title if the mapping renames it, else our name)."""
        for key, sheet in self.sheets.items():
            if sheet.title is not None and words(sheet.title) == words(title):
                return key
        key = normalise_name(title)
        renamed = key in self.sheets and self.sheets[key].title is not None
        return key if key in SHEETS and not renamed else None


class _Builder:
    """Checks every name a mapping uses against our sheets and columns, collecting problems."""

    def __init__(self, where: str):
        self.where, self.mapping, self.problems = where, Mapping(), []  # type: ignore[var-annotated]

    def sheet(self, name: Any, row: int) -> SheetMapping | None:
        key = normalise_name(name)
        if key not in SHEETS:
            self._problem(row, ImportCode.MAPPING_UNKNOWN_SHEET, name, tuple(SHEETS))
            return None
        return self.mapping.sheets.setdefault(key, SheetMapping())

    def column(self, sheet_name: Any, name: Any, row: int) -> tuple[SheetMapping, str] | None:
        sheet = self.sheet(sheet_name, row)
        if sheet is None:
            return None
        ours = tuple(c.name for c in SHEETS[normalise_name(sheet_name)])
        column = normalise_name(name).replace(" ", "_")
        if column not in ours:
            self._problem(row, ImportCode.MAPPING_UNKNOWN_COLUMN, name, ours)
            return None
        return sheet, column

    def _problem(self, row: int, code: ImportCode, value: Any, choices: tuple[str, ...]) -> None:
        self.problems.append(ImportProblem(self.where, row, "", code, value=str(value), choices=choices))

    def done(self) -> Mapping:
        if self.problems:
            raise WorkbookError(self.problems)
        return self.mapping


def mapping_from_toml(path: str | Path) -> Mapping:
    """Read ``path`` (TOML); WorkbookError lists every problem in it."""
    name = Path(path).name
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise WorkbookError([ImportProblem(str(path), 0, "", ImportCode.FILE_NOT_FOUND)]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise WorkbookError([ImportProblem(name, 0, "", ImportCode.MAPPING_UNREADABLE, value=str(exc))]) from None
    build = _Builder(name)
    for sheet_name, spec in data.items():
        sheet = build.sheet(sheet_name, 0)
        if sheet is None or not isinstance(spec, dict):
            continue
        if spec.get("sheet"):
            sheet.title = str(spec["sheet"])
        for ours, theirs in (spec.get("columns") or {}).items():
            if (found := build.column(sheet_name, ours, 0)) is not None:
                sheet.columns[words(theirs)] = found[1]
        for ours, table in (spec.get("values") or {}).items():
            if (found := build.column(sheet_name, ours, 0)) is not None and isinstance(table, dict):
                sheet.values[found[1]] = {words(k): str(v) for k, v in table.items()}
        for ours, fmt in (spec.get("dates") or {}).items():
            if (found := build.column(sheet_name, ours, 0)) is not None:
                sheet.dates[found[1]] = str(fmt)
    return build.done()


def mapping_from_rows(title: str, rows: list[tuple[Any, ...]]) -> Mapping:
    """A Mapping sheet's rows (the first is its heading row); WorkbookError lists every problem."""
    header = [words(h).replace(" ", "_") for h in (rows[0] if rows else ())]
    at = {name: header.index(name) for name in _SHEET_COLUMNS if name in header}
    build = _Builder(title)

    def cell(cells: tuple[Any, ...], name: str) -> Any:
        index = at.get(name)
        value = cells[index] if index is not None and index < len(cells) else None
        return None if value is None or (isinstance(value, str) and not value.strip()) else value

    for number, cells in enumerate(rows[1:], start=2):
        sheet_name, column, source = cell(cells, "sheet"), cell(cells, "column"), cell(cells, "source")
        if sheet_name is None:
            continue
        if column is None:
            if (sheet := build.sheet(sheet_name, number)) is not None and source is not None:
                sheet.title = str(source).strip()
            continue
        if (found := build.column(sheet_name, column, number)) is None:
            continue
        sheet, ours = found
        if source is not None:
            sheet.columns[words(source)] = ours
        if cell(cells, "value") is not None and cell(cells, "means") is not None:
            sheet.values.setdefault(ours, {})[words(cell(cells, "value"))] = str(cell(cells, "means"))
        if (fmt := cell(cells, "date_format")) is not None:
            sheet.dates[ours] = str(fmt)
    return build.done()
