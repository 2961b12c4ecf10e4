"""The panel pack on disk: the Excel workbook, the PNG charts, summary.html and figures.json."""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.drawing.image import Image as XlImage
from openpyxl.styles import Font
from openpyxl.workbook.workbook import Workbook

from domain.text import clean
from reports.charts import CHARTS, write_charts
from reports.html import summary_html
from reports.report import Report

__all__ = ["PackFiles", "write_pack", "write_workbook", "workbook_bytes", "workbook_name", "XLSX_MEDIA_TYPE"]

log = logging.getLogger(__name__)

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@")


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


def _tidy(book: Workbook) -> None:
    """Bold headers, readable widths, and user text never stored as a formula."""
    for ws in book.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for column in ws.iter_cols():
            width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
            ws.column_dimensions[column[0].column_letter].width = max(10, min(70, width + 2))
            for cell in column:
                if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                    cell.data_type = "s"  # openpyxl would otherwise write '=...' as a formula
                    cell.quotePrefix = True
        last = ws.max_row
        if ws.cell(last, 1).value in ("Total", "Grand Total"):
            for cell in ws[last]:
                cell.font = Font(bold=True)


def _text_cleaned(table: pd.DataFrame) -> pd.DataFrame:
    """Names and titles stored before input was cleaned may hold characters openpyxl refuses."""
    out = table.copy()
    for col in out.select_dtypes(include=["object", "str"]).columns:
        out[col] = out[col].map(lambda v: clean(v) if isinstance(v, str) else v)
    return out


def write_workbook(report: Report, target: Path | io.BytesIO, charts: dict[str, Path] | None = None) -> None:
    """One sheet per table of the seed report (plus the charts, when drawn, on a Charts sheet)."""
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for sheet, table in report.tables.items():
            _text_cleaned(table).to_excel(writer, sheet_name=sheet, index=False)
        book: Workbook = writer.book
        _tidy(book)
        if charts:
            ws = book.create_sheet("Charts")
            row = 1
            for name, path in charts.items():
                ws.cell(row, 1, CHARTS[name]).font = Font(bold=True)
                image = XlImage(str(path))
                ws.add_image(image, f"A{row + 1}")
                row += int(image.height / 20) + 4


def workbook_bytes(report: Report, charts: dict[str, Path] | None = None) -> bytes:
    buffer = io.BytesIO()
    write_workbook(report, buffer, charts)
    return buffer.getvalue()


def _json_default(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def write_pack(report: Report, folder: Path) -> PackFiles:
    """Write the whole pack into ``folder`` (created if needed); returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    charts = write_charts(report, folder)
    workbook = folder / workbook_name(report)
    write_workbook(report, workbook, charts)
    summary = folder / "summary.html"
    summary.write_text(summary_html(report, workbook.name), encoding="utf-8")
    figures = folder / "figures.json"
    figures.write_text(
        json.dumps(report.figures, indent=2, ensure_ascii=False, default=_json_default) + "\n", encoding="utf-8"
    )
    files = PackFiles(folder, workbook, summary, figures, charts)
    log.info("panel pack as at %s written to %s (%d files)", report.as_of, folder, len(files.all()))
    return files
