"""`import` prints every problem in the words and order it always has (issue 12 moved the words out of
the store into cards/import_wording.py; these lines were captured from the command line before)."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.phrases import count_of
from domain.text import date_window
from tests.cli.support import TODAY, run
from tests.store.workbooks import minimal_sheets, sheets_with_every_problem, write_workbook

GROUP_HINT = "is not in the configured list: check the spelling or add it on the Lists sheet"
PEOPLE_HINT = "is not on the People sheet or in the tracker"


def _expected(path: Path) -> str:
    latest = date_window(TODAY).isoformat()
    window = f"is not between 2000-01-01 and {latest} (ten years from today): check the year"
    lines = [
        "Actions row 2, column due_date: the original due date cannot change after import (stored 2020-11-30); "
        "put a new date in revised_due_date instead",
        "Actions row 4, column audit_id: audit 'A-9' is not on the Audits sheet or in the tracker",
        f"Actions row 4, column business_group: unknown business group 'Atlantis' {GROUP_HINT}",
        "Actions row 4, column delay_reason: unknown delay reason 'bad luck' is not in the configured list: "
        "pick one from the list or add it on the Lists sheet",
        "Actions row 4, column due_date: '31/02/2021' is not a date: use an Excel date or YYYY-MM-DD",
        "Actions row 4, column evidence_link: 'ftp://x' is not a web link (http:// or https://)",
        f"Actions row 4, column implemented_on: 9999-12-31 {window}",
        f"Actions row 4, column owner_email: owner 'who@force.example' {PEOPLE_HINT}",
        f"Actions row 4, column revised_due_date: 1999-12-31 {window}",
        "Actions row 4, column risk: 'Very  High' is not one of: high, medium, low",
        "Actions row 4, column status: 'opened' is not one of: open, in progress, implemented, closed, superseded",
        "Actions row 5, column description: a value is required",
        f"Actions row 6, column due_date: 2040-01-01 {window}",
        "Actions row 7, column ref: duplicate ref 'r-4' (also on row 5)",
        "Audits row 1, column assurance: required column is missing",
        "Audits row 2, column restricted: 'limited' is not yes or no",
        "Audits row 3, column kind: 'originals' is not one of: original, follow-up",
        "Audits row 3, column received: '2019/20 Q5' is not a quarter like 2019/20 Q4 (or only a financial year like 2017/18)",
        "Audits row 3, column restricted: 'perhaps' is not yes or no",
        "Audits row 4, column received: 2019/21 is not a financial year (expected 2019/20)",
        "Audits row 5, column received: 2019/2021 is not a financial year (expected 2019/20)",
        "Audits row 5, column title: Too long: 4,001 characters. Please keep it to 4,000.",
        "Inspections row 2, column inspection_year: 2018/20 is not a financial year (expected 2018/19)",
        f"Inspections row 3, column business_group: unknown business group 'Gondor' {GROUP_HINT}",
        "Inspections row 3, column inspection_year: '18/19' is not a financial year like 2018/19",
        f"Inspections row 3, column owner_email: owner 'ghost@force.example' {PEOPLE_HINT}",
        "Inspections row 3, column scope: 'county' is not one of: force, nationwide",
        "Lists row 3, column list: 'colour' is not one of: business_group, delay_reason",
        "Lists row 4, column list: a value is required",
        "People row 1, column H: unknown column 'colour': expected email, name, business_group, roles, "
        "aad_object_id, delegates, active",
        "People row 2, column active: 'gone fishing' is not yes or no (no: the person has left)",
        f"People row 2, column delegates: delegate 'nobody@force.example' {PEOPLE_HINT}",
        "People row 3, column email: 'not an email' is not an email address",
        "People row 3, column roles: unknown role wizard, dragon: use owner, spoc, chief_officer, governance",
        "People row 4, column active: 'maybe' is not yes or no (no: the person has left)",
        f"People row 4, column business_group: unknown business group 'Narnia' {GROUP_HINT}",
        "People row 4, column name: a value is required",
        "People row 5, column email: duplicate email 'ann.owner@force.example' (also on row 2)",
    ]
    head = f"error: {path}: {count_of(len(lines), 'problem')}; nothing was imported:"
    return "\n".join([head, *(f"  {line}" for line in lines)]) + "\n"


def test_every_problem_is_printed_as_before(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    code, out, _ = run(capsys, "import", str(write_workbook(tmp_path / "ok.xlsx", minimal_sheets())))
    assert code == 0 and out == (
        f"imported {tmp_path / 'ok.xlsx'}: actions: 2 new, 0 changed; audits: 1 new, 0 changed; "
        "inspections: 1 new, 0 changed; people: 2 new, 0 changed (6 history rows)\n"
    )
    bad = write_workbook(tmp_path / "bad.xlsx", sheets_with_every_problem())
    code, _, err = run(capsys, "import", str(bad))
    assert code == 1 and err == _expected(bad)


def test_problems_with_the_file_itself(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    notes = tmp_path / "notes.xlsx"  # a missing file is refused before the import: test_no_tracebacks.py
    notes.write_text("hello")
    other = write_workbook(tmp_path / "other.xlsx", {"Sheet1": [["a"]]})
    twice = write_workbook(tmp_path / "twice.xlsx", {"Lists": [], "LISTS ": []})
    expected = {
        notes: [f"{notes}: not an .xlsx workbook"],
        other: [f"{other}: no tracker sheets found: expected People, Audits, Actions, Inspections, Portal, Lists"],
        twice: [
            "LISTS: a second 'LISTS ' sheet",
            "Lists row 1, column list: required column is missing",
            "Lists row 1, column value: required column is missing",
        ],
    }
    for path, lines in expected.items():
        code, _, err = run(capsys, "import", str(path))
        head = f"error: {path}: {count_of(len(lines), 'problem')}; nothing was imported:"
        assert code == 1 and err == "\n".join([head, *(f"  {line}" for line in lines)]) + "\n"
