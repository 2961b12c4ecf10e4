"""What a pack table's shape says about it, read from the DataFrame alone (pandas only, no openpyxl).

The workbook (reports.workbook_layout) and the HTML (reports.html) both lay tables out from this, so
a table added to reports.tables gets Total-row formulas, grouped cells and bold totals with no code
of its own, as long as it keeps the conventions every pack table already follows:

- the first column holds the labels; a last row labelled "Total" or "Grand Total" sums the rows above;
- a column headed "Total" (after the label column) sums the count columns between the labels and it;
- a column headed "% x" is 100 x (column "x") / (another count column), rounded half up.

Each rule is checked against the figures on every row before it is used (``total_row_sums`` and the
others return nothing when a table does not follow it), so a formula can never disagree with the
figure pandas computed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from domain.rules import pct_half_up

__all__ = [
    "TOTAL_LABELS",
    "Percent",
    "TableShape",
    "count_columns",
    "grouped_runs",
    "percent_columns",
    "shape_of",
    "total_column",
    "total_row_sums",
]

TOTAL_LABELS = ("Total", "Grand Total")


@dataclass(frozen=True)
class TableShape:
    """Rows are the table's positions (0-based); ``data`` are the rows above the Total row."""

    rows: int
    has_total_row: bool

    @property
    def data(self) -> range:
        return range(self.rows - 1 if self.has_total_row else self.rows)


@dataclass(frozen=True)
class Percent:
    """Column ``column`` = 100 x ``part`` / ``whole`` rounded half up (positions in the table)."""

    column: int
    part: int
    whole: int


def shape_of(table: pd.DataFrame) -> TableShape:
    last = table.iloc[-1, 0] if len(table) and len(table.columns) else None
    return TableShape(rows=len(table), has_total_row=isinstance(last, str) and last in TOTAL_LABELS)


def _counts(table: pd.DataFrame, j: int) -> list[int | None]:
    return [None if pd.isna(v) else int(v) for v in table.iloc[:, j]]


def _is_count(table: pd.DataFrame, j: int) -> bool:
    column = table.iloc[:, j]
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def _is_percent(name: object) -> bool:
    return isinstance(name, str) and name.startswith("%")


def count_columns(table: pd.DataFrame) -> list[int]:
    """Positions of the count columns: numbers that are neither a percentage nor the label column."""
    return [j for j in range(1, len(table.columns)) if _is_count(table, j) and not _is_percent(table.columns[j])]


def total_row_sums(table: pd.DataFrame) -> list[int]:
    """Count columns whose Total-row figure is the sum of the rows above it (blanks count as 0)."""
    shape = shape_of(table)
    if not shape.has_total_row or not shape.data:
        return []
    out = []
    for j in count_columns(table):
        values = _counts(table, j)
        if values[-1] is not None and sum(v or 0 for v in values[:-1]) == values[-1]:
            out.append(j)
    return out


def total_column(table: pd.DataFrame) -> tuple[int, int] | None:
    """(first, last) positions of the count columns a "Total" column sums, row by row; None without one."""
    names = list(table.columns)
    if "Total" not in names[2:]:
        return None
    j = names.index("Total")
    parts = list(range(1, j))
    if not parts or any(p not in count_columns(table) for p in parts):
        return None
    rows = zip(*(_counts(table, p) for p in parts), _counts(table, j))
    if all(sum(v or 0 for v in row[:-1]) == row[-1] for row in rows):
        return parts[0], parts[-1]
    return None


def percent_columns(table: pd.DataFrame) -> list[Percent]:
    """Each "% x" column with the count columns it divides, where those give its figure on every row."""
    names = [str(n) for n in table.columns]
    out = []
    for j, name in enumerate(names):
        if not _is_percent(name):
            continue
        wanted = name[1:].strip().lower()
        part = next((p for p in count_columns(table) if names[p].lower() == wanted), None)
        if part is None:
            continue
        figures, parts = _counts(table, j), _counts(table, part)
        for whole in count_columns(table):
            wholes = _counts(table, whole)
            if whole != part and all(
                f == (pct_half_up(p or 0, w or 0)) for f, p, w in zip(figures, parts, wholes, strict=True)
            ):
                out.append(Percent(column=j, part=part, whole=whole))
                break
    return out


def grouped_runs(table: pd.DataFrame) -> list[range]:
    """Runs of equal labels to show once, as the paper prints its inspection years.

    Only for a first column of text, sorted and with repeats, in a table without a Total row (the
    rows are then a listing grouped by the first column, not one row per label).
    """
    shape = shape_of(table)
    if shape.has_total_row or shape.rows < 2:
        return []
    labels = list(table.iloc[:, 0])
    if not all(isinstance(v, str) for v in labels) or labels != sorted(labels) or len(set(labels)) == len(labels):
        return []
    runs, start = [], 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            if i - start > 1:
                runs.append(range(start, i))
            start = i
    return runs
