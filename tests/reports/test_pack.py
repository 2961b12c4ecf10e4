"""The pack on disk: Excel sheets read back with openpyxl, valid PNG charts, the HTML narrative."""

from __future__ import annotations

import html
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from reports.narrative import change_phrase, sentences
from reports.pack import workbook_bytes, write_pack
from reports.tables import SHEETS
from tests.reports.load import build_report
from tests.reports.tracker import TITLES, build_tracker

CS, MO = "Corporate Services", "Met Operations"


@pytest.fixture
def sessions_with_tracker(sqlite_engine):
    from store.db.engine import make_sessionmaker

    sessions = make_sessionmaker(sqlite_engine)
    with sessions.begin() as session:
        build_tracker(session)
    return sessions


@pytest.fixture
def pack(sessions_with_tracker, tmp_path):
    with sessions_with_tracker() as session:
        report = build_report(session, date(2026, 11, 26))
    return report, write_pack(report, tmp_path / "pack")


def rows(ws) -> list[tuple]:
    """The cells as stored: totals and percentages as their formulas (test_workbook_layout.py has
    LibreOffice compute them and compares the results with the pack's figures)."""
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def pct(part: str, whole: str) -> str:
    return f'=IF({whole}>0,ROUND(100*{part}/{whole},0),"")'


def test_one_sheet_per_table_with_the_hand_worked_numbers(pack):
    """Numbers as worked out in test_figures.test_figures_as_at_26_november_2026."""
    report, files = pack
    book = load_workbook(files.workbook)
    names = list(SHEETS)
    after = names.index("Outstanding by group") + 1  # the stacked chart's data follows its table
    assert book.sheetnames == [*names[:after], "Open by quarter due", *names[after:]]
    assert rows(book["Outstanding by group"]) == [
        ("Business group", "Total outstanding", "Overdue", "% overdue"),
        (CS, 6, 4, pct("C2", "B2")),  # 67
        (MO, 7, 2, pct("C3", "B3")),  # 29
        ("Total", "=SUM(B2:B3)", "=SUM(C2:C3)", pct("C4", "B4")),  # 13, 6, 6 / 13 = 46.2% -> 46
    ]
    assert rows(book["Delivered this quarter"]) == [
        ("Audit title", "Audit received", "Actions closed"),
        (TITLES["L1"], "2025/26 Q2", 1),
        (TITLES["AD"], "2025/26 Q4", 1),
        ("Total", None, "=SUM(C2:C3)"),
    ]
    assert rows(book["Delay reasons"]) == [
        ("Delay reason", "Current actions"),
        ("Awaiting Chief Officer decision/sign off", 1),
        ("Recruitment", 1),
        ("Resource challenges", 1),
        ("Grand Total", "=SUM(B2:B4)"),
    ]
    # CS: A01 (revised 2027-02-15), A02 (12-31, by the quarter end), A14; MO: A04 (on D, by the quarter
    # end), A07, A15, A21 (in MO as at D).
    assert rows(book["Forthcoming"]) == [
        ("Business group", "Next 12 months", "By end of quarter"),
        (CS, 3, 1),
        (MO, 4, 1),
        ("Total", "=SUM(B2:B3)", "=SUM(C2:C3)"),
    ]
    assert rows(book["Key themes"]) == [
        ("Key theme", "Outstanding actions"),
        ("Policy and process", 3),
        ("Training and awareness", 2),
        ("Data quality and records", 1),
    ]
    assert rows(book["HMICFRS by theme"]) == [
        ("Inspection theme", "Recommendations", "AFIs", "Total"),
        ("PEEL", 1, 1, "=SUM(B2:C2)"),
        ("Vulnerability", 2, 0, "=SUM(B3:C3)"),
        ("Not themed", 1, 0, "=SUM(B4:C4)"),
        ("Total", "=SUM(B2:B4)", "=SUM(C2:C4)", "=SUM(D2:D4)"),
    ]
    assert rows(book["Inspection tracker"]) == [
        ("Inspection year", "Met specific or Nationwide", "Rec / AFI", "Inspection name", "Total open"),
        ("2013/14", "Nationwide", "Rec", "Undercover Policing", 1),
        ("2018/19", "Met", "Rec", "National Child Protection Inspection", 1),
        (None, "Nationwide", "Rec", "Policing and Mental Health", 1),  # the year is grouped, as in the paper
        ("2019/20", "Met", "AFI", "PEEL (Integrated)", 1),
        (None, "Met", "Rec", "PEEL (Integrated)", 1),
    ]
    assert {str(r) for r in book["Inspection tracker"].merged_cells.ranges} == {"A3:A4", "A5:A6"}
    # Cycle C2: CS asked A01 A02, A01 answered; MO asked A04 A06 A07 I1, A04 answered in time.
    assert rows(book["Response rate"]) == [
        ("Business group", "Asked", "Responded", "% responded"),
        (CS, 2, 1, pct("C2", "B2")),  # 50
        (MO, 4, 1, pct("C3", "B3")),  # 25
        ("Total", "=SUM(B2:B3)", "=SUM(C2:C3)", pct("C4", "B4")),  # 6, 2, 33
    ]
    headlines = {r[0]: r[1:] for r in rows(book["Headlines"])[1:]}
    assert headlines["Outstanding actions"] == (13, 12)
    assert headlines["Past original due date"] == (6, 4)
    assert headlines["Due in the next 12 months"] == (7, 6)
    assert headlines["Delivered this quarter"] == (2, None)
    # The previous cycle (C1, 3 of 4) beside the latest (C2, 2 of 6), as the narrative compares them.
    assert headlines["Update cycle: actions asked about"] == (6, 4)
    assert headlines["Update cycle: response rate %"] == (33, 75)
    assert rows(book["Open by quarter due"])[0] == ("Quarter due", CS, MO, "Total")
    assert rows(book["Open by quarter due"])[-1][0] == "Total"


def test_charts_are_valid_pngs(pack):
    _, files = pack
    assert set(files.charts) == {
        "distribution-by-group.png",
        "open-actions-by-group-and-quarter.png",
        "delay-reasons.png",
        "key-themes.png",
    }
    for path in files.charts.values():
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            assert image.format == "PNG" and image.size[0] >= 600


def test_summary_tells_the_seed_sentences_and_escapes_data(pack):
    report, files = pack
    page = files.summary.read_text(encoding="utf-8")
    text = html.unescape(page)
    for sentence in (
        "The total number of outstanding actions is now 13 compared to 12 last quarter",
        "We now have 6 outstanding actions past their original due dates, an increase of 2 since the last "
        "reporting quarter",
        "revised dates have been agreed for 1 of the 6",
        "7 actions need to be implemented within the next 12 months, of which 2 are due by the end of the quarter",
        "During the same period, 2 actions were implemented and are now proposed as closed. Of these, 1 is from "
        "original audits and 1 from follow-ups.",
        "We requested updates on 6 actions and HMICFRS items in the latest update cycle and received a 33% response rate",
        "Since last quarter's report, 2 new DARA actions",
    ):
        assert sentence in text
    assert "<2026>" not in page and "&lt;2026&gt;" in page  # the audit title is data, escaped
    assert "<h3>Open HMICFRS recommendations and AFIs by theme</h3>" in page  # names keep their capitals
    # Inspection years grouped as the paper prints them: 2018/19 once, then a blank cell.
    assert "<td>2018/19</td>\n      <td>Met</td>" in page
    assert "<td></td>\n      <td>Nationwide</td>\n      <td>Rec</td>\n      <td>Policing and Mental Health</td>" in page
    for name in files.charts:
        assert f'src="{name}"' in page and (files.folder / name).exists()
    assert files.workbook.name in page
    assert (files.folder / "figures.json").read_text(encoding="utf-8").startswith("{")


def _seed_figures() -> dict:
    """The headline figures of the January 2021 paper."""
    return {
        "new_in_quarter": 4,
        "outstanding": {"total": 145, "audits": 27, "limited": 54, "high_other": 91},
        "overdue": {"total": 111, "with_revised_date": 81},
        "forthcoming": {"next_12_months": 46, "by_quarter_end": 28},
        "delivered": {"total": 31, "original": 21, "follow_up": 10, "by_audit": []},
        "stale": {"before": "2018-04-01", "count": 3},
        "inspections": {"open": 111, "by_theme": {}},
        "response_rate": {"asked": 172, "responded": 77, "pct": 45},
        "previous_quarter": {"outstanding": {"total": 172}, "overdue": {"total": 120}, "forthcoming": {}},
    }


def test_decrease_and_no_change_are_said_in_words():
    assert change_phrase(102, 111) == "a decrease of 9 since the last reporting quarter"
    assert change_phrase(111, 102) == "an increase of 9 since the last reporting quarter"
    assert change_phrase(5, 5) == "no change since the last reporting quarter"
    figures = _seed_figures()
    said = sentences(figures)  # the seed report's own numbers
    assert said["outstanding"] == "The total number of outstanding actions is now 145 compared to 172 last quarter."
    assert said["overdue"] == (
        "We now have 111 outstanding actions past their original due dates, a decrease of 9 "
        "since the last reporting quarter; revised dates have been agreed for 81 of the 111."
    )
    assert said["forthcoming"] == (
        "46 actions need to be implemented within the next 12 months, of which 28 are due by the end of the quarter."
    )
    assert said["audits"].startswith("The 145 outstanding actions pertain to 27 audits. 54 are in response")
    assert "We requested updates on 172 actions" in said["response"] and "45% response rate" in said["response"]
    compared = sentences(figures, {"asked": 160, "responded": 128, "pct": 80})["response"]
    assert compared.endswith("45% response rate (77 responded, down from 80% in the previous cycle).")


def test_the_narrative_says_no_rather_than_0_and_names_what_a_cycle_asked_about():
    """Issue 24: '0 new DARA actions' read wrong, and a cycle of DARA actions is not 'recommendations'."""
    figures = {**_seed_figures(), "new_in_quarter": 0}
    assert sentences(figures)["new"].startswith("Since last quarter's report, no new DARA actions that meet")
    figures["new_in_quarter"] = 1
    assert "1 new DARA action that meet" in sentences(figures)["new"]
    rates = {"asked": 49, "responded": 20, "pct": 41}
    for extra, words in ((0, "49 actions"), (49, "49 HMICFRS items"), (9, "49 actions and HMICFRS items")):
        figures["response_rate"] = {**rates, "inspection_items": extra}
        assert f"We requested updates on {words} in the latest" in sentences(figures)["response"]


def test_text_starting_with_an_equals_sign_stays_text(sessions_with_tracker):
    """As at 2026-09-30 the audit '=Smarter Working ...' (NA) delivered A13: its title must not become a formula."""
    with sessions_with_tracker() as session:
        report = build_report(session, date(2026, 9, 30))
    book = load_workbook(io.BytesIO(workbook_bytes(report)))
    cells = [c for row in book["Delivered this quarter"].iter_rows() for c in row if c.value == TITLES["NA"]]
    assert cells and all(c.data_type == "s" for c in cells)


def test_empty_tracker_still_makes_a_pack(sqlite_engine, tmp_path: Path):
    from store.db.engine import make_sessionmaker

    with make_sessionmaker(sqlite_engine)() as session:
        report = build_report(session, date(2026, 11, 26))
    files = write_pack(report, tmp_path / "empty")
    assert report.figures["outstanding"]["total"] == 0 and report.figures["response_rate"] is None
    assert all(p.exists() for p in files.all())
    assert "No update cycle had been opened" in files.summary.read_text(encoding="utf-8")
