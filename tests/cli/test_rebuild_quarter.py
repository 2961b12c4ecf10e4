"""Rebuild a past quarter with --today: the July 2020 position imported on 31 July, an update cycle in
August, another from October, the November position imported on 30 November, and the pack as at 30
November 2020 gives every figure of the January 2021 paper (tests/reports/paper_tracker.py says which,
and where the paper contradicts itself)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from store.db.engine import make_engine, make_sessionmaker
from store.db.models import Action
from store.updates.support import mark_cycle_response
from tests.cli.support import run
from tests.reports.paper_tracker import DELAY_REASONS, DELIVERED_BY_AUDIT, july_sheets, november_sheets
from tests.store.workbooks import write_workbook


def _answered_exactly(url: str, count: int, at: datetime) -> None:
    """``count`` owners answer in Teams while the cycle is open (as the update pipeline records it)."""
    engine = make_engine(url)
    with make_sessionmaker(engine).begin() as session:
        ids = session.scalars(select(Action.id).order_by(Action.ref)).all()
        answered = 0
        for i in ids:
            if answered == count:
                break
            answered += mark_cycle_response(session, "action_id", i, at)
        assert answered == count
    engine.dispose()


@pytest.fixture
def rebuilt(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    july = write_workbook(tmp_path / "july.xlsx", july_sheets())
    november = write_workbook(tmp_path / "november.xlsx", november_sheets())
    steps = [
        ("2020-07-31", "import", str(july)),
        ("2020-08-03", "cycle", "start", "--scope", "all", "--deadline", "2020-08-21", "--reminders", "none"),
    ]
    for day, *command in steps:
        code, out, err = run(capsys, "--today", day, *command)
        assert code == 0, err
    _answered_exactly(sqlite_url, 138, datetime(2020, 8, 12, 10, tzinfo=timezone.utc))
    for day, *command in [
        ("2020-08-24", "cycle", "close"),
        ("2020-10-05", "cycle", "start", "--scope", "all", "--deadline", "2020-10-30", "--reminders", "none"),
    ]:
        code, out, err = run(capsys, "--today", day, *command)
        assert code == 0, err
    _answered_exactly(sqlite_url, 77, datetime(2020, 10, 21, 10, tzinfo=timezone.utc))
    for day, *command in [("2020-11-27", "cycle", "close"), ("2020-11-30", "import", str(november))]:
        code, out, err = run(capsys, "--today", day, *command)
        assert code == 0, err
    code, out, err = run(capsys, "report", "--as-of", "2020-11-30", "--out", str(tmp_path / "pack"), "--json")
    assert code == 0, err
    return json.loads(out), tmp_path / "pack"


def test_every_headline_figure_of_the_paper(rebuilt):
    f, _ = rebuilt
    assert (f["as_of"], f["quarter"]) == ("2020-11-30", "2020/21 Q3")
    assert f["outstanding"] == {"total": 145, "audits": 27, "limited": 54, "high_other": 91}
    assert f["previous_quarter"]["outstanding"]["total"] == 172
    assert f["overdue"] == {"total": 99, "with_revised_date": 81}
    assert f["stale"] == {"before": "2018-04-01", "count": 25}
    assert f["forthcoming"] == {"next_12_months": 46, "by_quarter_end": 28}
    assert f["new_in_quarter"] == 4
    assert {k: f["delivered"][k] for k in ("total", "original", "follow_up")} == {
        "total": 31,
        "original": 21,
        "follow_up": 10,
    }
    assert [(a["audit"], a["received"], a["count"]) for a in f["delivered"]["by_audit"]] == DELIVERED_BY_AUDIT
    assert {g["group"]: (g["outstanding"], g["pct_overdue"]) for g in f["by_group"]} == {
        "Corporate Services": (44, 77),
        "Frontline Policing": (8, 88),
        "Met Operations": (49, 33),
        "Professionalism": (42, 95),
        "Met Detention": (2, 100),
    }
    assert f["delay_reasons"] == DELAY_REASONS and sum(f["delay_reasons"].values()) == 73
    assert f["response_rate"] == {"asked": 172, "responded": 77, "pct": 45, "inspection_items": 0}


def test_every_section_of_the_paper(rebuilt):
    f, pack = rebuilt
    assert {d["group"]: (d["limited"], d["high_other"]) for d in f["distribution"]}["Corporate Services"] == (24, 20)
    delivered = {
        d["group"]: (d["delivered"], d["from_limited_follow_ups"], d["outstanding"]) for d in f["delivered_by_group"]
    }
    assert delivered["Digital Policing"] == (12, 0, 0) and delivered["Corporate Services"] == (10, 9, 44)
    assert (f["delivered_due"]["count"], f["delivered_due"]["from"], f["delivered_due"]["to"]) == (
        28,
        "2020-03",
        "2020-09",
    )
    new = {a["title"]: (a["assurance"], a["restricted"], a["actions"], a["high_risk"]) for a in f["new_audits"]}
    assert new["Contract/Client Relationship Management"] == ("adequate", False, 0, 0)
    assert new["Business Continuity Arrangements"] == ("not graded", True, None, None)
    assert new["Review of Forensic Services Delivery Framework"] == ("adequate", False, 4, 4)
    assert f["inspection_activity"]["closed"] == {"recommendations": 1, "afis": 0, "inspections": ["PEEL 2018/19"]}
    assert (
        f["inspection_activity"]["submitted"]["afis"],
        f["inspection_activity"]["submitted"]["recommendations"],
    ) == (7, 6)
    assert f["portal"]["recommendations"] == 111 and len(f["portal"]["by_theme"]) == 11

    page = (pack / "summary.html").read_text(encoding="utf-8")
    for sentence in (
        "The total number of outstanding actions is now 145 compared to 172 last quarter.",
        "Of these, 21 are from original audits and 10 from follow-ups.",
        "Digital Policing have delivered 12 recommendations this quarter, leaving them with no further actions.",
        "10 of the 31 actions recommended for closure were from Corporate Services, with 9 from limited follow-up audits.",
        "Of the 31 actions closed within the last quarter, 28 were due between March and September 2020.",
        "have not yet been shared with Strategy and Governance as the reports are restricted.",
        "This quarter, HMICFRS has closed 1 recommendation from the PEEL 2018/19 inspection and 7 AFIs and 6 "
        "recommendations have been submitted to our Force Liaison Lead for review for closure.",
        "The Monitoring Portal currently shows 111 open recommendations:",
        "Distribution by business group is as follows: Met Operations have the most outstanding actions "
        "(49, 8 of them from limited assurance reports).",
        "Contract/Client Relationship Management (follow up) was rated adequate with no high risk actions.",
        "We have not received any Limited graded audits this quarter.",
        "received a 45% response rate (77 responded, down from 80% in the previous cycle).",
    ):
        assert sentence.replace("&", "&amp;") in page, sentence
    book = load_workbook(next(pack.glob("*.xlsx")), read_only=True)
    for sheet in (
        "Distribution by group",
        "New audits",
        "Delivered by group",
        "HMICFRS this quarter",
        "HMICFRS portal",
    ):
        assert sheet in book.sheetnames
    rows = list(book["New audits"].values)
    assert rows[1][:4] == ("Business Continuity Arrangements", "follow-up", "not graded", "not yet shared (restricted)")
    book.close()
