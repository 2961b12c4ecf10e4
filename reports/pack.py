"""The panel pack on disk: the Excel workbook, the PNG charts, summary.html and figures.json."""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from domain.text import clean
from reports.charts import write_charts
from reports.html import summary_html
from reports.report import Report
from reports.workbook_charts import CHART_SHEETS, OPEN_BY_QUARTER, add_chart, open_by_quarter_sheet
from reports.workbook_layout import lay_out

__all__ = [
    "PackFiles",
    "write_pack",
    "write_workbook",
    "workbook_bytes",
    "workbook_name",
    "workbook_sheets",
    "XLSX_MEDIA_TYPE",
]

log = logging.getLogger(__name__)

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class PackFiles:
    folder: Path
    workbook: Path
    summary: Path
    figures: Path
    charts: dict[str, Path]

    def all(self) -> list[Path]:
        return [self.workbook, self.summary, self.figures, *self.charts.values()]


def workbook_name(report: Report) -> str:
    return f"audit-panel-pack-{report.as_of.isoformat()}.xlsx"


def _text_cleaned(table: pd.DataFrame) -> pd.DataFrame:
    """Names and titles stored before input was cleaned may hold characters openpyxl refuses."""
    out = table.copy()
    for col in out.select_dtypes(include=["object", "str"]).columns:
        out[col] = out[col].map(lambda v: clean(v) if isinstance(v, str) else v)
    return out


def workbook_sheets(report: Report) -> dict[str, pd.DataFrame]:
    """Sheet name -> table: the pack's tables, and after "Outstanding by group" the data of the chart
    of open actions by quarter due (the HTML shows it as a picture only)."""
    sheets: dict[str, pd.DataFrame] = {}
    for name, table in report.tables.items():
        sheets[name] = table
        if name == "Outstanding by group":
            sheets[OPEN_BY_QUARTER] = open_by_quarter_sheet(report.open_by_quarter)
    sheets.setdefault(OPEN_BY_QUARTER, open_by_quarter_sheet(report.open_by_quarter))
    return sheets


def write_workbook(report: Report, target: Path | io.BytesIO) -> None:
    """One sheet per table of the seed report, each laid out to print and to work with
    (reports.workbook_layout), with its native chart where the HTML shows one (reports.workbook_charts)."""
    charted = {sheet: png for png, sheet in CHART_SHEETS.items()}
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for sheet, table in workbook_sheets(report).items():
            cleaned = _text_cleaned(table)
            cleaned.to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.book[sheet]
            lay_out(ws, cleaned, as_of=report.as_of)
            if sheet in charted:
                add_chart(ws, cleaned, charted[sheet])
        # openpyxl stores formulas without their results: have Excel and LibreOffice compute them on opening.
        writer.book.calculation.fullCalcOnLoad = True


def workbook_bytes(report: Report) -> bytes:
    buffer = io.BytesIO()
    write_workbook(report, buffer)
    return buffer.getvalue()


def _json_default(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def write_pack(report: Report, folder: Path) -> PackFiles:
    """Write the whole pack into ``folder`` (created if needed); returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    charts = write_charts(report, folder)
    workbook = folder / workbook_name(report)
    write_workbook(report, workbook)
    summary = folder / "summary.html"
    summary.write_text(summary_html(report, workbook.name), encoding="utf-8")
    figures = folder / "figures.json"
    figures.write_text(
        json.dumps(report.figures, indent=2, ensure_ascii=False, default=_json_default) + "\n", encoding="utf-8"
    )
    files = PackFiles(folder, workbook, summary, figures, charts)
    log.info("panel pack as at %s written to %s (%d files)", report.as_of, folder, len(files.all()))
    return files
