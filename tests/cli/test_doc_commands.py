"""Every `python app.py ...` example in README.md and docs/ runs as written (issue 24 point 2).

Each page's examples run in the page's order, in this process, against a fresh demo tracker (a
temporary SQLite DATABASE_URL) in an empty working folder that holds what a reader has beside the
repository: `tracker.xlsx` (their workbook: here the demo tracker's export) and `var/`. An example
fails on a traceback, or when it is refused (exit code not 0) unless the page shows its refusal, when
it must be refused with the lines the page shows (`tracker-draft.xlsx`: the reader's workbook with
the page's four mistakes).
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
    _draft_with_problems(work / "tracker.xlsx", work / "tracker-draft.xlsx")
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
