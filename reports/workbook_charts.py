"""Native Excel charts of the pack, drawn from the cells of the sheet they sit on.

The HTML shows the matplotlib PNGs (reports.charts); the workbook draws the same charts as Excel
charts beside their tables, so they follow the cells when someone works with them and print as
vectors. Which sheet each PNG is drawn from is said once, in CHART_SHEETS; how it is drawn follows
from the table's shape: one count column gives horizontal bars in the table's order (largest first,
as the PNG), several give bars stacked by column, one bar per row. The Total row and the Total and
percentage columns are never plotted.
"""

from __future__ import annotations

import pandas as pd
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports.charts import CHARTS
from reports.table_shape import count_columns, shape_of

__all__ = ["CHART_SHEETS", "OPEN_BY_QUARTER", "add_chart", "open_by_quarter_sheet"]

OPEN_BY_QUARTER = "Open by quarter due"
# PNG of the HTML (a key of reports.charts.CHARTS) -> the sheet whose cells its native chart draws.
CHART_SHEETS = {
    "distribution-by-group.png": "Distribution by group",
    "open-actions-by-group-and-quarter.png": OPEN_BY_QUARTER,
    "delay-reasons.png": "Delay reasons",
    "key-themes.png": "Key themes",
}


def open_by_quarter_sheet(by_quarter: pd.DataFrame) -> pd.DataFrame:
    """The stacked chart's data as a sheet: quarters down, business groups across, with totals."""
    table = by_quarter.reset_index()
    table.columns = [str(c) for c in table.columns]
    groups = list(table.columns[1:])
    if not groups:
        return table
    table["Total"] = table[groups].sum(axis=1)
    totals = {"Quarter due": "Total", **{c: int(table[c].sum()) for c in [*groups, "Total"]}}
    return pd.concat([table, pd.DataFrame([totals])], ignore_index=True)


def _series(table: pd.DataFrame) -> list[int]:
    return [j for j in count_columns(table) if table.columns[j] != "Total"]


def add_chart(ws: Worksheet, table: pd.DataFrame, png: str) -> None:
    """Draw the chart of ``png`` from ``ws`` (written from ``table``), to the right of the table."""
    shape, series = shape_of(table), _series(table)
    if not shape.data or not series:
        return  # nothing to draw: the table itself says "none"
    last = len(shape.data) + 1
    chart = BarChart()
    chart.title = CHARTS[png]
    chart.style = 10
    chart.legend = None if len(series) == 1 else chart.legend
    for j in series:
        chart.add_data(Reference(ws, min_col=j + 1, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
    if len(series) == 1:
        chart.type = "bar"  # horizontal, the first row at the top as in the table
        chart.x_axis.scaling.orientation = "maxMin"
        chart.y_axis.crosses = "max"  # the value axis then stays below the bars
        chart.gapWidth = 50
        chart.y_axis.title = str(table.columns[series[0]])
        chart.width, chart.height = 18, 3 + 0.7 * len(shape.data)
        chart.dataLabels = DataLabelList(
            showVal=True, showSerName=False, showCatName=False, showLegendKey=False, showPercent=False
        )
    else:
        chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
        chart.x_axis.title = str(table.columns[0])
        chart.y_axis.title = "Actions"
        chart.gapWidth = 40
        chart.legend.position = "b"
        chart.width, chart.height = max(20, 1.8 * len(shape.data)), 10
    # Excel hides an axis whose 'delete' flag is unset in openpyxl 3.1's output; show both.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.majorGridlines = None if len(series) == 1 else chart.y_axis.majorGridlines
    ws.add_chart(chart, f"{get_column_letter(len(table.columns) + 2)}2")
