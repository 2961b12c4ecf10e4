"""The pack ready to print and to work with (issue 24, point 6): formulas, native charts, page set-up,
LibreOffice's conversion and the printed HTML. LibreOffice, Chromium and pdftotext are used where
installed; the tests that need one skip with the reason where it is not."""

from __future__ import annotations

import dataclasses
import re
from contextlib import contextmanager
from datetime import date, datetime, timezone
from html import escape
from pathlib import Path
from typing import Iterator

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from domain.phrases import first_upper
from reports.charts import CHARTS
from reports.pack import workbook_sheets, write_pack
from reports.tables import SHEETS
from reports.workbook_charts import CHART_SHEETS, OPEN_BY_QUARTER
from tests.fakes.migrated import migrated_engine
from tests.reports.load import build_report
from tests.reports.printing import page_texts, pdf_pages, print_html, soffice_convert
from tests.reports.tracker import build_tracker

D = date(2026, 11, 26)
A4_LANDSCAPE = {(842, 595)}


def _pack(engine, folder: Path, fill) -> tuple:
    from store.db.engine import make_sessionmaker

    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        fill(session)
    with sessions() as session:
        report = build_report(session, D)
    return report, write_pack(report, folder)


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    """Built once for the module: the tests only read it (and write what they make in their own tmp_path)."""
    with _engine(tmp_path_factory.mktemp("pack")) as engine:
        return _pack(engine, tmp_path_factory.mktemp("pack-files"), build_tracker)


@pytest.fixture(scope="module")
def demo_pack(tmp_path_factory):
    """The demo tracker: 219 actions and 83 inspection items, the size of a force's pack."""
    from store.demo.builder import load_demo

    with _engine(tmp_path_factory.mktemp("demo")) as engine:
        return _pack(
            engine,
            tmp_path_factory.mktemp("demo-files"),
            lambda s: load_demo(s, D, datetime(2026, 11, 26, 9, tzinfo=timezone.utc)),
        )


@contextmanager
def _engine(folder: Path) -> Iterator[Engine]:
    engine = migrated_engine(f"sqlite:///{folder / 'tracker.db'}")
    try:
        yield engine
    finally:
        engine.dispose()


def _formula_cells(ws) -> list:
    return [c for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_every_sheet_prints_a4_landscape_one_page_wide_with_titles_and_footer(pack):
    _, files = pack
    book = load_workbook(files.workbook)
    for ws in book.worksheets:
        setup = ws.page_setup
        assert (setup.paperSize, setup.orientation) == (9, "landscape"), ws.title  # 9: A4
        assert (setup.fitToWidth, setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == (1, 0, True)
        assert ws.print_title_rows == "$1:$1"  # the header row on every printed page
        assert ws.oddFooter.left.text == "As at 26 November 2026"
        assert ws.oddFooter.right.text == "Page &P of &N"
        assert ws.freeze_panes == "A2"


def test_libreoffice_computes_every_formula_to_the_pack_figures(pack, tmp_path):
    """Totals and percentages are formulas; computed by a spreadsheet they give pandas' figures."""
    report, files = pack
    recalculated, said = soffice_convert(files.workbook, "xlsx", tmp_path / "lo")
    assert said == []
    formulas, values = load_workbook(files.workbook), load_workbook(recalculated, data_only=True)
    checked = 0
    for sheet, table in workbook_sheets(report).items():
        for cell in _formula_cells(formulas[sheet]):
            figure = table.iat[cell.row - 2, cell.column - 1]
            assert values[sheet].cell(cell.row, cell.column).value == figure, (sheet, cell.coordinate, cell.value)
            checked += 1
    # Delivered 1, outstanding by group 5, delay reasons 1, forthcoming 2, HMICFRS 6, response rate 5, and
    # the open-by-quarter sheet's Total column and row.
    assert checked >= 25
    f = report.figures  # and the totals are the `--json` figures

    def last_row(sheet: str) -> tuple:
        return list(values[sheet].iter_rows(values_only=True))[-1]

    assert last_row("Outstanding by group")[:3] == ("Total", f["outstanding"]["total"], f["overdue"]["total"])
    assert last_row(OPEN_BY_QUARTER)[-1] == f["outstanding"]["total"]
    assert last_row("HMICFRS by theme")[-1] == f["inspections"]["open"]
    assert last_row("Delay reasons")[-1] == sum(f["delay_reasons"].values())
    assert last_row("Forthcoming")[1:] == (f["forthcoming"]["next_12_months"], f["forthcoming"]["by_quarter_end"])
    rr = f["response_rate"]
    assert last_row("Response rate")[1:] == (rr["asked"], rr["responded"], rr["pct"])


def test_each_chart_of_the_html_is_a_native_chart_over_its_sheets_cells(pack):
    report, files = pack
    shown = set(re.findall(r'<img src="([^"]+\.png)"', files.summary.read_text(encoding="utf-8")))
    assert shown == set(CHARTS) == set(CHART_SHEETS)  # a PNG without a native chart fails here
    book = load_workbook(files.workbook)
    sheets = workbook_sheets(report)
    for png, sheet in CHART_SHEETS.items():
        [chart] = book[sheet]._charts
        table, quoted = sheets[sheet], f"'{sheet}'"
        last = len(table) if table.iloc[-1, 0] in ("Total", "Grand Total") else len(table) + 1
        plotted = [c for c in table.columns[1:] if c != "Total"]
        assert [s.tx.strRef.f for s in chart.series] == [f"{quoted}!{chr(66 + i)}1" for i in range(len(plotted))]
        assert [s.val.numRef.f for s in chart.series] == [
            f"{quoted}!${chr(66 + i)}$2:${chr(66 + i)}${last}" for i in range(len(plotted))
        ]
        assert {s.cat.numRef.f for s in chart.series} == {f"{quoted}!$A$2:$A${last}"}
        assert chart.title.tx.rich.p[0].r[0].t == CHARTS[png]
    # Quarters due across, business groups stacked, as the PNG; delay reasons and themes as horizontal bars.
    assert (book[OPEN_BY_QUARTER]._charts[0].type, book[OPEN_BY_QUARTER]._charts[0].grouping) == ("col", "stacked")
    assert book["Delay reasons"]._charts[0].type == "bar"


def test_a_new_table_gets_formulas_a_chart_and_page_setup_with_no_code_of_its_own(pack, tmp_path):
    """What another table of reports.tables would get: the rules follow its shape. A Total row that is not
    the sum of its rows stays a stored number (a formula would change the figure)."""
    report, _ = pack
    new = pd.DataFrame(
        {
            "Group": ["A", "B", "Total"],
            "Due": [4, 6, 10],
            "Done": [1, 3, 4],
            "Total": [5, 9, 14],
            "% done": [25, 50, 40],
        }
    )
    odd = pd.DataFrame({"Theme": ["X", "Y", "Total"], "Count": [1, 2, 4]})
    folder = tmp_path / "new"
    files = write_pack(dataclasses.replace(report, tables={**report.tables, "New": new, "Odd": odd}), folder)
    book = load_workbook(files.workbook)
    assert [tuple(r) for r in book["New"].iter_rows(values_only=True)][1:] == [
        ("A", 4, 1, "=SUM(B2:C2)", '=IF(B2>0,ROUND(100*C2/B2,0),"")'),
        ("B", 6, 3, "=SUM(B3:C3)", '=IF(B3>0,ROUND(100*C3/B3,0),"")'),
        ("Total", "=SUM(B2:B3)", "=SUM(C2:C3)", "=SUM(D2:D3)", '=IF(B4>0,ROUND(100*C4/B4,0),"")'),
    ]
    assert book["Odd"]["B4"].value == 4
    assert book["New"].print_title_rows == "$1:$1" and book["New"].page_setup.orientation == "landscape"


def test_libreoffice_converts_the_workbook_without_warnings_one_page_per_sheet(demo_pack, tmp_path):
    """Before: 18 pages, tables split between labels and numbers, charts cut in pieces."""
    _, files = demo_pack
    pdf, said = soffice_convert(files.workbook, "pdf", tmp_path / "pdf")
    assert said == []
    pages, sizes = pdf_pages(pdf)
    assert pages == len(load_workbook(files.workbook).sheetnames)
    assert sizes == A4_LANDSCAPE


def test_the_summary_prints_on_a4_landscape_with_no_table_cut(demo_pack, tmp_path):
    """Each table's heading, header row and last row are on one printed page."""
    report, files = demo_pack
    pages, sizes = pdf_pages(print_html(files.summary, tmp_path / "summary.pdf"))
    assert sizes == A4_LANDSCAPE and pages <= 10  # 7 before issue 23 added the paper's six sections
    texts = [" ".join(page.split()) for page in page_texts(tmp_path / "summary.pdf")]
    html = files.summary.read_text(encoding="utf-8")
    shown = {n: t for n, t in report.tables.items() if f"<h3>{escape(first_upper(SHEETS[n]))}</h3>" in html}
    assert len(shown) >= 8  # every table but the Headlines
    for name, table in shown.items():
        # The first page with the heading (a chart's caption below the table may repeat its words).
        page = next(t for t in texts if first_upper(SHEETS[name]) in t)
        # The last row as pdftotext lays it out (its label left out: the paper groups inspection years).
        last_row = " ".join(str(v) for v in table.iloc[-1, 1:] if not pd.isna(v))
        assert str(table.columns[-1]) in page and last_row in page, name
    assert all(re.search(rf"Page {n} of {len(texts)}\b", t) for n, t in enumerate(texts, start=1))
    assert all("Audit & Inspection report as at 26 November 2026" in t for t in texts)
