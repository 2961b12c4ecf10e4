"""The pack's summary.html as one file: its charts inlined as data: URIs, for a download (the tab's
"HTML" button) where the PNG files beside it would not come along."""

from __future__ import annotations

import base64
import tempfile
from html import escape
from pathlib import Path

from reports.charts import write_charts
from reports.html import summary_html
from reports.report import Report

__all__ = ["standalone_summary_html"]


def standalone_summary_html(report: Report, workbook_name: str) -> str:
    """summary.html with each chart's ``src="name.png"`` replaced by the picture itself."""
    page = summary_html(report, workbook_name)
    with tempfile.TemporaryDirectory(prefix="pack-charts-") as folder:
        for name, path in write_charts(report, Path(folder)).items():
            picture = base64.b64encode(path.read_bytes()).decode("ascii")
            page = page.replace(f'src="{escape(name)}"', f'src="data:image/png;base64,{picture}"')
    return page
