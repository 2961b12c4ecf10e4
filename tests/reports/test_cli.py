"""`python app.py report`: the JSON keys exactly, pure JSON on stdout, clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from cli import main
from store.db.engine import make_sessionmaker
from tests.reports.load import figures_as_of
from tests.reports.tracker import build_tracker

ROOT = Path(__file__).resolve().parents[2]
KEYS = {
    "as_of": None,
    "quarter": None,
    "new_in_quarter": None,
    "outstanding": {"total", "audits", "limited", "high_other"},
    "by_group": {"group", "outstanding", "overdue", "pct_overdue"},
    "overdue": {"total", "with_revised_date"},
    "delivered": {"total", "original", "follow_up", "by_audit"},
    "forthcoming": {"next_12_months", "by_quarter_end"},
    "delay_reasons": None,
    "key_themes": None,
    "stale": {"before", "count"},
    "inspections": {"open", "by_theme"},
    "response_rate": {"asked", "responded", "pct", "inspection_items"},
    "previous_quarter": {"outstanding", "overdue", "forthcoming"},
    # issue 23's sections
    "distribution": {"group", "limited", "high_other", "total"},
    "new_audits": None,
    "delivered_by_group": {"group", "delivered", "from_limited_follow_ups", "outstanding"},
    "delivered_due": {"total", "by_month", "from", "to", "count"},
    "inspection_activity": {"closed", "submitted"},
    "portal": None,
}


@pytest.fixture
def database(sqlite_engine, sqlite_url, monkeypatch):
    with make_sessionmaker(sqlite_engine).begin() as session:
        build_tracker(session)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    return sqlite_url


def test_json_has_exactly_the_issue_keys(database, sqlite_engine, tmp_path, capsys):
    code = main(["report", "--as-of", "2026-11-26", "--out", str(tmp_path / "pack"), "--json"])
    out = capsys.readouterr().out
    assert code == 0
    figures = json.loads(out)  # stdout is nothing but the JSON document
    assert list(figures) == list(KEYS)
    for key, inner in KEYS.items():
        if inner is None:
            continue
        value = figures[key]
        for item in value if isinstance(value, list) else [value]:
            assert set(item) == inner, key
    assert [set(a) for a in figures["delivered"]["by_audit"]] == [{"audit", "received", "count"}] * 2
    for key in ("outstanding", "overdue", "forthcoming"):
        assert set(figures["previous_quarter"][key]) == KEYS[key]
    with make_sessionmaker(sqlite_engine)() as session:
        assert figures == figures_as_of(session, date(2026, 11, 26))
    assert (tmp_path / "pack" / "audit-panel-pack-2026-11-26.xlsx").exists()


def test_without_json_it_lists_the_files(database, tmp_path, capsys):
    assert main(["report", "--as-of", "2026-11-26", "--out", str(tmp_path / "p")]) == 0
    out = capsys.readouterr().out
    assert "13 outstanding, 6 past their original due date, 2 delivered this quarter" in out
    assert "summary.html" in out and "open-actions-by-group-and-quarter.png" in out


def test_a_bad_date_is_refused_with_the_format_to_use(database, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "--as-of", "2026-13-01"])
    assert exit_info.value.code == 2
    assert "'2026-13-01' is not a date: write it as YYYY-MM-DD" in capsys.readouterr().err


def test_an_unwritable_folder_is_refused(database, tmp_path, capsys):
    blocker = tmp_path / "a-file.txt"
    blocker.write_text("not a folder")
    assert main(["report", "--as-of", "2026-11-26", "--out", str(blocker)]) == 1
    assert f"{blocker} is a file, not a folder" in capsys.readouterr().err
    assert main(["report", "--as-of", "2026-11-26", "--out", str(blocker / "inside")]) == 1
    err = capsys.readouterr().err
    assert f"cannot write the pack to {blocker / 'inside'}" in err and "Traceback" not in err


def test_an_unmigrated_database_says_what_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    assert main(["report", "--as-of", "2026-11-26", "--out", str(tmp_path / "p")]) == 1
    assert "run `python app.py migrate` first" in capsys.readouterr().err


def test_logs_go_to_stderr_and_stdout_is_pure_json(database, tmp_path):
    env = {**os.environ, "DATABASE_URL": database, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "app.py", "report", "--as-of", "2026-11-26", "--out", str(tmp_path / "x"), "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["outstanding"]["total"] == 13
    assert "panel pack as at 2026-11-26 written to" in proc.stderr
