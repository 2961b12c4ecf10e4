"""The command line as a user runs it: real processes, exit codes, messages, the database after."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from store.db.engine import make_engine, make_sessionmaker
from store.db.models import Action
from tests.store.workbooks import minimal_sheets, write_workbook

ROOT = Path(__file__).resolve().parents[2]


def run_app(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "app.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _count(url: str) -> int:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        n = s.scalar(select(func.count()).select_from(Action))
    engine.dispose()
    return n


def test_help_lists_every_command_and_each_has_help(sqlite_url: str, capsys) -> None:
    import pytest

    from cli import build_parser

    parser = build_parser()
    commands = sorted(parser._subparsers._group_actions[0].choices)  # every registered command
    out = run_app(sqlite_url, "--help")
    assert out.returncode == 0
    for expected in ("serve", "migrate", "demo", "import", "export"):
        assert expected in commands
    for command in commands:
        assert f"    {command} " in out.stdout or f"    {command}\n" in out.stdout, f"{command} not listed"
        with pytest.raises(SystemExit) as done:
            build_parser().parse_args([command, "--help"])
        assert done.value.code == 0
        assert "usage: python app.py " + command in capsys.readouterr().out


def test_bad_import_exits_non_zero_lists_problems_and_changes_nothing(sqlite_url: str, tmp_path: Path) -> None:
    assert run_app(sqlite_url, "import", str(write_workbook(tmp_path / "ok.xlsx", minimal_sheets()))).returncode == 0
    sheets = minimal_sheets()
    sheets["Actions"].append(
        ["R-9", "A-1", "x", "high", "Atlantis", "ann.owner@force.example", "2021-02-30", None, "open"]
    )
    out = run_app(sqlite_url, "import", str(write_workbook(tmp_path / "bad.xlsx", sheets)))
    assert out.returncode == 1
    assert "nothing was imported" in out.stderr
    assert "Actions row 4, column business_group" in out.stderr and "Actions row 4, column due_date" in out.stderr
    assert "Traceback" not in out.stderr
    assert _count(sqlite_url) == 2


def test_demo_export_import_round_trip(sqlite_url: str, tmp_path: Path) -> None:
    assert run_app(sqlite_url, "demo").returncode == 0
    again = run_app(sqlite_url, "demo", "--if-empty")
    assert again.returncode == 0 and "already has data" in again.stdout
    refused = run_app(sqlite_url, "demo")
    assert refused.returncode == 1 and "already has data" in refused.stderr
    out = run_app(sqlite_url, "export", str(tmp_path / "t.xlsx"))
    assert out.returncode == 0 and (tmp_path / "t.xlsx").exists()
    back = run_app(sqlite_url, "import", str(tmp_path / "t.xlsx"))
    assert back.returncode == 0 and "nothing to import" in back.stdout


def test_wrong_file_type_is_a_clear_error(sqlite_url: str, tmp_path: Path) -> None:
    out = run_app(sqlite_url, "import", str(tmp_path / "tracker.csv"))
    assert out.returncode == 1 and "not an .xlsx workbook" in out.stderr
