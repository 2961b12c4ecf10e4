"""Read a workbook into typed rows, collecting every problem instead of stopping at the first."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Iterator
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils import coordinate_to_tuple, get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

from domain.import_problems import CellError, ImportCode, ImportProblem, WorkbookError
from domain.text import IMPORT_EARLIEST, date_window, outside_window
from store.workbook.columns import KEYS, SHEETS, normalise_name
from store.workbook.mapping import MAPPING_SHEET, Mapping, SheetMapping, mapping_from_rows, words

# ImportProblem and WorkbookError are domain types (cards/import_wording.py words them); re-exported here.
__all__ = ["ImportProblem", "WorkbookError", "ParsedRow", "ParsedWorkbook", "read_workbook"]


@dataclass
class ParsedRow:
    row: int  # the spreadsheet row number, as the user sees it
    values: dict[str, Any]


@dataclass
class ParsedWorkbook:
    sheets: dict[str, list[ParsedRow]] = field(default_factory=dict)
    columns: dict[str, set[str]] = field(default_factory=dict)  # the columns present per sheet
    titles: dict[str, str] = field(default_factory=dict)  # sheet key -> the title as written
    problems: list[ImportProblem] = field(default_factory=list)
    # sheet title -> our column -> their heading, where a mapping named it (problems name their heading)
    sources: dict[str, dict[str, str]] = field(default_factory=dict)

    def named(self, problems: list[ImportProblem]) -> list[ImportProblem]:
        """``problems`` with each mapped column named as the force's spreadsheet heads it."""
        return [
            replace(p, source=self.sources[p.sheet][p.column])
            if p.column in self.sources.get(p.sheet, {}) and p.source is None
            else p
            for p in problems
        ]


_INLINE, _TEXT, _RUN = (f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("is", "t", "r"))


class _InlineStrings(WorkSheetParser):  # type: ignore[misc]
    """openpyxl's sheet parser, with inline strings (``<c t="inlineStr"><is><t>``, as the export writes
    every text cell) read as their text straight from the element. openpyxl builds a rich-text object
    for each: most of a 20,000-action import's read (issue 25). The text is the same: the plain part
    and each run's, phonetic hints left out (openpyxl's ``Text.content``)."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        inline = element.find(_INLINE) if element.get("t") == "inlineStr" else None
        if inline is None:
            return super().parse_cell(element)  # type: ignore[no-any-return]
        if coordinate := element.get("r"):
            row, column = coordinate_to_tuple(coordinate)
            self.col_counter = column
        else:
            self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        parts = [inline.findtext(_TEXT)] + [run.findtext(_TEXT) for run in inline.iterfind(_RUN)]
        value = "".join(p for p in parts if p is not None)
        return {"row": row, "column": column, "value": value, "data_type": "s", "style_id": element.get("s", 0)}


def _sheet_rows(ws: Any) -> Iterator[tuple[Any, ...]]:
    """``ws.iter_rows(values_only=True)`` of a read-only sheet (openpyxl 3.1's ``_cells_by_row``, row
    for row: missing rows and cells are None, cropped to the sheet's dimensions), parsed as above."""
    max_col, max_row = ws.max_column, ws.max_row
    empty: tuple[Any, ...] = (None,) * max_col if max_col is not None else ()
    counter = idx = 1
    with ws._get_source() as src:
        book = ws.parent
        parser = _InlineStrings(
            src,
            ws._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for idx, cells in parser.parse():
            if max_row is not None and idx > max_row:
                break
            for _ in range(counter, idx):
                counter += 1
                yield empty
            if counter <= idx:
                counter += 1
                yield tuple(ws._get_row(cells, 1, max_col, True))
    if max_row is not None and max_row < idx:
        for _ in range(counter, max_row + 1):
            yield empty


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _date_problem(value: Any, today: date | None, where: tuple[str, int, str]) -> ImportProblem | None:
    """Dates lie between 1 January 2000 and ten years from today; others are typing errors (9999-12-31)."""
    if today is None or not isinstance(value, date) or not outside_window(value, earliest=IMPORT_EARLIEST, today=today):
        return None
    return ImportProblem(
        *where, ImportCode.DATE_OUT_OF_RANGE, on=value, earliest=IMPORT_EARLIEST, latest=date_window(today)
    )


def _read_sheet(
    ws: Any, key: str, title: str, out: ParsedWorkbook, today: date | None, mapped: SheetMapping | None = None
) -> None:
    specs = {c.name: c for c in SHEETS[key]}
    rows = _sheet_rows(ws)
    header = next(rows, None) or ()
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        norm = normalise_name(name).replace(" ", "_")
        ours = mapped.columns.get(words(name)) if mapped else None
        if ours is not None and ours not in positions:
            positions[ours] = index
            out.sources.setdefault(title, {})[ours] = str(name).strip()
        elif norm in specs and norm not in positions:
            positions[norm] = index
        elif norm and norm not in specs and key != "history" and mapped is None:  # their other columns: not ours
            out.problems.append(
                ImportProblem(
                    title,
                    1,
                    get_column_letter(index + 1),
                    ImportCode.UNKNOWN_COLUMN,
                    value=f"{name}",
                    choices=tuple(specs),
                )
            )
    for spec in specs.values():
        if spec.required and spec.name not in positions:
            out.problems.append(ImportProblem(title, 1, spec.name, ImportCode.COLUMN_MISSING))
    out.columns[key] = set(positions)
    parsed: list[ParsedRow] = []
    seen: dict[Any, int] = {}
    for number, cells in enumerate(rows, start=2):
        if all(_blank(c) for c in cells):
            continue
        values: dict[str, Any] = {}
        for name, index in positions.items():
            raw = cells[index] if index < len(cells) else None
            spec = specs[name]
            try:
                raw = mapped.translate(name, raw) if mapped else raw
            except CellError as exc:
                out.problems.append(exc.at(title, number, name))
                continue
            if _blank(raw):
                if spec.required:
                    out.problems.append(ImportProblem(title, number, name, ImportCode.VALUE_REQUIRED))
                values[name] = () if name in ("business_group", "delegates") and key == "people" else None
                continue
            try:
                values[name] = spec.parse(raw)
            except CellError as exc:
                out.problems.append(exc.at(title, number, name))
                continue
            if (problem := _date_problem(values[name], today, (title, number, name))) is not None:
                out.problems.append(problem)
        ident = values.get(KEYS.get(key, ""))
        if key in KEYS and ident is not None:
            ident_norm = str(ident).lower()
            if ident_norm in seen:
                out.problems.append(
                    ImportProblem(
                        title, number, KEYS[key], ImportCode.DUPLICATE_KEY, value=f"{ident}", other_row=seen[ident_norm]
                    )
                )
            else:
                seen[ident_norm] = number
        parsed.append(ParsedRow(number, values))
    out.sheets[key] = parsed


def read_workbook(path: str | Path, *, today: date | None = None, mapping: Mapping | None = None) -> ParsedWorkbook:
    """Parse every known sheet; unknown sheets (e.g. History from an export) are ignored.

    With ``today``, every date must lie between 1 January 2000 and ten years from today. With a
    ``mapping`` (or a Mapping sheet in the file), the force's own sheets and columns are read as ours
    (store/workbook/mapping.py); a bad mapping raises WorkbookError."""
    out = ParsedWorkbook()
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise WorkbookError([ImportProblem(str(path), 0, "", ImportCode.FILE_NOT_FOUND)]) from None
    except (InvalidFileException, BadZipFile, KeyError, OSError):
        raise WorkbookError([ImportProblem(str(path), 0, "", ImportCode.NOT_A_WORKBOOK)]) from None
    try:
        if mapping is None:
            sheet = next((ws for ws in wb.worksheets if normalise_name(ws.title) == MAPPING_SHEET), None)
            if sheet is not None:
                mapping = mapping_from_rows(sheet.title, [tuple(r) for r in sheet.iter_rows(values_only=True)])
        for ws in wb.worksheets:
            key = mapping.sheet_for(ws.title) if mapping else normalise_name(ws.title)
            if key in SHEETS:
                if key in out.sheets:
                    out.problems.append(ImportProblem(ws.title, 0, "", ImportCode.SECOND_SHEET, value=ws.title))
                    continue
                out.titles[key] = ws.title
                _read_sheet(ws, key, ws.title, out, today, mapping.sheets.get(key) if mapping else None)
    finally:
        wb.close()
    if not out.sheets:
        expected = tuple(s.title() for s in SHEETS)
        out.problems.append(ImportProblem(str(path), 0, "", ImportCode.NO_TRACKER_SHEETS, choices=expected))
    out.problems = out.named(out.problems)
    return out
