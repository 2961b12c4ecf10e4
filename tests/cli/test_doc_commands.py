"""Every `python app.py ...` example in README.md and docs/ runs as written (issue 24 point 2).

Each page's examples run in the page's order, in this process, against a fresh demo tracker (a
temporary SQLite DATABASE_URL) in an empty working folder that holds what a reader has beside the
repository (`READER_FILES`): `var/`; `tracker.xlsx` (their workbook: here the demo tracker's export);
`tracker-draft.xlsx` (that workbook with the four mistakes docs/operations.md shows refused); the
force's past positions `tracker-july-2020.xlsx` and `tracker-november-2020.xlsx` (the paper-shaped
tracker of tests/reports/paper_tracker.py, for the rebuilt quarter of docs/operations.md and
docs/journeys/report.md); and the force's own layout `their-tracker.xlsx` with its `mapping.toml`
(tests/store/workbook/their_layout.py). Every page runs on the demo: the paper's history loads on top
of it (its people, refs and groups are its own, and the demo's rows are all dated after the paper's
quarter, so a report as at 2020 sees only the paper's). An example fails on a traceback, or when it
is refused (exit code not 0) unless the page shows its refusal, when it must be refused with the
lines the page shows.
The clock is the day the pages were written for (their deadlines and cover dates are after it).
"""

from __future__ import annotations

import traceback
from datetime import datetime, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cli import main
from cli.runtime import Runtime
from config import Settings
from tests.cli.doc_commands import examples, runs_forever
from tests.reports.paper_tracker import july_sheets, november_sheets
from tests.store.workbook.their_layout import MAPPING_TOML, their_sheets
from tests.store.workbooks import minimal_sheets, write_workbook

ROOT = Path(__file__).resolve().parents[2]
DOCS_NOW = datetime(2026, 12, 6, 10, 0, tzinfo=timezone.utc)
PAGES = [
    p
    for p in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    if any(not runs_forever(e) for e in examples(p))
]


def _run(capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> tuple[int, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse: --help exits 0, a usage error 2
        code = exc.code if isinstance(exc.code, int) else 1
    except Exception:  # a traceback a reader would see
        return 99, traceback.format_exc()
    return code, capsys.readouterr().err


def _draft_with_problems(tracker: Path, draft: Path) -> None:
    """The reader's workbook with the four mistakes docs/operations.md shows the import refusing."""
    book = load_workbook(tracker)
    sheet = book["Actions"]
    column = {cell.value: cell.column for cell in sheet[1]}
    for row, name, value in [
        (2, "ref", "R-1"),
        (4, "due_date", "31/02/2021"),
        (5, "business_group", "Narnia Command"),
        (6, "ref", "R-1"),
        (7, "owner_email", "nobody@force.example"),
    ]:
        sheet.cell(row, column[name]).value = value
    book.save(draft)


def _reader_files(work: Path) -> None:
    """What a reader following the pages has in their folder besides the tracker's own export."""
    _draft_with_problems(work / "tracker.xlsx", work / "tracker-draft.xlsx")
    write_workbook(work / "tracker-july-2020.xlsx", july_sheets())
    write_workbook(work / "tracker-november-2020.xlsx", november_sheets())
    write_workbook(work / "their-tracker.xlsx", their_sheets(minimal_sheets()))
    (work / "mapping.toml").write_text(MAPPING_TOML, encoding="utf-8")


READER_FILES = {
    "tracker.xlsx",
    "tracker-draft.xlsx",
    "tracker-july-2020.xlsx",
    "tracker-november-2020.xlsx",
    "their-tracker.xlsx",
    "mapping.toml",
}


def test_the_pages_have_examples():
    found = {p.relative_to(ROOT).as_posix(): len(examples(p)) for p in PAGES}
    assert {"docs/journeys/cycles.md", "docs/journeys/people.md", "docs/operations.md"} <= set(found)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_each_example_on_the_page_runs_in_order(page, sqlite_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    monkeypatch.setattr(Runtime, "from_env", classmethod(lambda cls: cls(Settings.from_env(), clock=lambda: DOCS_NOW)))
    work = tmp_path / "reader"
    (work / "var").mkdir(parents=True)
    monkeypatch.chdir(work)
    assert _run(capsys, ("demo",))[0] == 0
    assert _run(capsys, ("export", "tracker.xlsx"))[0] == 0
    _reader_files(work)
    assert {p.name for p in work.iterdir()} == READER_FILES | {"var"}
    problems: list[str] = []
    for example in examples(page):
        if runs_forever(example):
            continue
        code, err = _run(capsys, example.args)
        if "Traceback" in err or code == 99:
            problems.append(f"{example}: traceback\n{err}")
        elif example.refused and (
            code == 0 or [line.strip() for line in err.strip().splitlines()] != list(example.shown)
        ):
            problems.append(f"{example}: the page shows it refused with\n{example.shown}\nbut it gave {code}:\n{err}")
        elif not example.refused and code != 0:
            problems.append(f"{example}: refused (exit {code}): {err.strip()}")
    assert not problems, "\n".join(problems)
