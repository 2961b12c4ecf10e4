"""summary.html: the narrative of the seed report, the tables and the charts, on one page.

Every piece of data goes through html.escape (tables through DataFrame.to_html, which escapes);
charts are referenced by relative path, so the folder can be moved or zipped as a whole.
"""

from __future__ import annotations

from html import escape
from typing import Any

import pandas as pd

from domain.phrases import first_upper
from reports.charts import CHARTS
from reports.narrative import long_date, sentences
from reports.report import Report
from reports.table_shape import grouped_runs, shape_of
from reports.tables import SHEETS

__all__ = ["summary_html"]

_SCREEN = """
body { font-family: Arial, Helvetica, sans-serif; max-width: 60em; margin: 2em auto; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 1.8em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; }
.totals tr:last-child td { font-weight: bold; }
img { max-width: 100%; border: 1px solid #eee; margin: 0.6em 0; }
p.meta { color: #555; }
"""
# Printed (or saved as PDF from the browser): A4 landscape, no table or chart cut across two pages, a
# heading kept with what follows it, the header row repeated should a table ever be longer than a page.
_PRINT = """
@page { size: A4 landscape; margin: 12mm 14mm 16mm;
  @bottom-left { content: "%(footer)s"; font: 8pt Arial, Helvetica, sans-serif; color: #555; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt Arial, Helvetica, sans-serif; color: #555; } }
@media print {
  body { max-width: none; margin: 0; font-size: 9.5pt; line-height: 1.35; }
  th, td { padding: 0.12em 0.5em; }
  h2 { margin-top: 1.2em; }
  h1, h2, h3 { break-after: avoid; }
  section.table, figure, table, tr, p { break-inside: avoid; }
  thead { display: table-header-group; }
  figure { margin: 0.4em 0; }
  figure img { max-height: 110mm; max-width: 100%%; width: auto; border: none; }
  a { color: inherit; text-decoration: none; }
}
"""


# Table sheets shown under each heading, in the order of the seed report.
_SECTIONS = (
    (
        "Internal Audit update",
        ("new", "delivered", "delivered_due", "outstanding", "delivered_groups"),
        ("Delivered this quarter", "Delivered by group", "Delivered by due month"),
    ),
    (
        "Agreed actions by business area",
        ("audits", "distribution", "overdue", "forthcoming", "stale"),
        ("Outstanding by group", "Distribution by group", "Forthcoming"),
    ),
    ("Delay reasons and key themes", (), ("Delay reasons", "Key themes")),
    ("New audits received since the last panel", ("new_audits", "restricted", "limited_audits"), ("New audits",)),
    ("Update cycle", ("response",), ("Response rate",)),
    (
        "HMICFRS update",
        ("inspection_activity", "portal", "inspections"),
        ("HMICFRS this quarter", "HMICFRS portal", "HMICFRS by theme", "Inspection tracker"),
    ),
)


def _table(name: str, frame: pd.DataFrame) -> str:
    shown = frame.astype(object).where(frame.notna(), "")
    for run in grouped_runs(frame):
        shown.iloc[run.start + 1 : run.stop, 0] = ""  # each group's label once, as the paper prints it
    body = shown.to_html(index=False, escape=True, border=0, na_rep="")
    cls = "totals" if shape_of(frame).has_total_row else "plain"
    heading = escape(first_upper(SHEETS.get(name, name)))
    return f'<section class="table"><h3>{heading}</h3>\n<div class="{cls}">{body}</div></section>'


def _style(as_at: str) -> str:
    """Screen and print CSS; the printed footer says the as-at date (a long date: no quotes to escape)."""
    return _SCREEN + _PRINT % {"footer": f"Audit & Inspection report as at {as_at}"}


def _chart(file_name: str) -> str:
    title = CHARTS[file_name]
    return f'<figure><img src="{escape(file_name)}" alt="{escape(title)}"><figcaption>{escape(title)}</figcaption></figure>'


def summary_html(report: Report, workbook_name: str) -> str:
    """The page as text (UTF-8 when written)."""
    f: dict[str, Any] = report.figures
    said = sentences(f, report.previous_response_rate)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>Audit &amp; Inspection report – as at {escape(long_date(f['as_of']))}</title>",
        f"<style>{_style(long_date(f['as_of']))}</style>",
        "</head>",
        "<body>",
        "<h1>Audit &amp; Inspection report</h1>",
        f'<p class="meta">Position as at {escape(long_date(f["as_of"]))} ({escape(f["quarter"])}), compared with the '
        f'end of the previous quarter. Figures and tables: <a href="{escape(workbook_name)}">'
        f"{escape(workbook_name)}</a>.</p>",
    ]
    for heading, topics, tables in _SECTIONS:
        parts.append(f"<h2>{escape(heading)}</h2>")
        parts += [f"<p>{escape(said[t])}</p>" for t in topics if said.get(t)]
        if heading == "Agreed actions by business area" and "distribution-by-group.png" in CHARTS:
            parts.append(_chart("distribution-by-group.png"))
        if heading == "Agreed actions by business area":
            parts.append(_chart("open-actions-by-group-and-quarter.png"))
            parts.append(
                "<p>Bars to the right of the dotted line are due in the current quarter or later; all "
                "others have passed their original due date.</p>"
            )
        parts += [_table(t, report.tables[t]) for t in tables if t in report.tables]
        if heading == "Delay reasons and key themes":
            parts += [_chart("delay-reasons.png"), _chart("key-themes.png")]
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)
