"""Each sheet of the pack made ready to work with and to print, from its table's shape alone.

reports.pack.write_workbook applies ``lay_out`` to every sheet written by DataFrame.to_excel
(index=False: the header on row 1, the table's row i on sheet row i + 2), so a new table gets all
of this with no further code:

- totals and percentages are Excel formulas over the sheet's own cells (reports.table_shape says
  which, after checking each against the figures), so a reader who corrects a cell sees the totals
  follow, and the figures still read exactly what the JSON and the HTML say;
- a first column grouped like the paper's inspection years is merged into one cell per group;
- bold header and Total row, thin borders, readable widths, the header row frozen on screen;
- page set-up: A4 landscape, one page wide, row 1 repeated on every printed page, and a footer with
  the as-at date and "Page N of M".
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from reports.narrative import long_date
from reports.table_shape import grouped_runs, percent_columns, shape_of, total_column, total_row_sums

__all__ = ["lay_out", "FOOTER_PAGE"]

_FORMULA_START = ("=", "+", "-", "@")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
# The workbook's own font: a bare Font(bold=True) has no name, and LibreOffice then prints a serif.
_BOLD = Font(name="Calibri", size=11, bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
# "&P" and "&N" are the page number and count in Excel's header/footer codes; "&&" is one "&".
FOOTER_PAGE = "Page &P of &N"


def _row(i: int) -> int:
    """The sheet row of the table's row ``i`` (row 1 is the header)."""
    return i + 2


def _col(j: int) -> str:
    letter: str = get_column_letter(j + 1)  # openpyxl is untyped here (no stubs)
    return letter


def _formulas(ws: Worksheet, table: pd.DataFrame) -> None:
    shape = shape_of(table)
    first, last = _row(0), _row(len(shape.data) - 1)
    if shape.has_total_row:
        for j in total_row_sums(table):
            ws[f"{_col(j)}{_row(shape.rows - 1)}"] = f"=SUM({_col(j)}{first}:{_col(j)}{last})"
    summed = total_column(table)
    if summed is not None:
        j = list(table.columns).index("Total")
        for i in shape.data:
            ws[f"{_col(j)}{_row(i)}"] = f"=SUM({_col(summed[0])}{_row(i)}:{_col(summed[1])}{_row(i)})"
    for pct in percent_columns(table):
        for i in range(shape.rows):
            part, whole = f"{_col(pct.part)}{_row(i)}", f"{_col(pct.whole)}{_row(i)}"
            # Blank over nothing, as the pack leaves a rate of nothing blank (domain.rules.pct_half_up).
            ws[f"{_col(pct.column)}{_row(i)}"] = f'=IF({whole}>0,ROUND(100*{part}/{whole},0),"")'


def _group(ws: Worksheet, table: pd.DataFrame) -> None:
    for run in grouped_runs(table):
        ws.merge_cells(start_row=_row(run.start), start_column=1, end_row=_row(run.stop - 1), end_column=1)
        ws.cell(_row(run.start), 1).alignment = Alignment(vertical="top")


def _text_stays_text(ws: Worksheet) -> None:
    """Names and titles starting with '=' are data: openpyxl would otherwise write them as formulas.
    Runs before the pack's own formulas are written, so only those are formulas."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                cell.data_type = "s"
                cell.quotePrefix = True


def _style(ws: Worksheet, table: pd.DataFrame) -> None:
    """Bold header and Total row, borders, widths that fit the text (formulas are numbers)."""
    width = len(table.columns)
    for column in ws.iter_cols(min_col=1, max_col=width, min_row=1, max_row=ws.max_row):
        longest = max((len(str(c.value)) for c in column if c.value is not None and c.data_type != "f"), default=8)
        ws.column_dimensions[column[0].column_letter].width = max(10, min(60, longest + 2))
        for cell in column:
            cell.border = _BORDER
    for cell in ws[1][:width]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    if shape_of(table).has_total_row:
        for cell in ws[ws.max_row][:width]:
            cell.font = _BOLD
    ws.freeze_panes = "A2"


def _set_up_pages(ws: Worksheet, as_of: date) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7, header=0.3, footer=0.3)
    ws.oddHeader.left.text = "Audit && Inspection report: &A"
    ws.oddFooter.left.text = f"As at {long_date(as_of.isoformat())}"
    ws.oddFooter.right.text = FOOTER_PAGE


def lay_out(ws: Worksheet, table: pd.DataFrame, *, as_of: date) -> None:
    """Lay out ``ws``, written from ``table`` by DataFrame.to_excel(index=False)."""
    _text_stays_text(ws)
    _formulas(ws, table)
    _style(ws, table)
    _group(ws, table)
    _set_up_pages(ws, as_of)
