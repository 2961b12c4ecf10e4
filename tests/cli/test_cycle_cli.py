"""`cycle start|preview|status|remind|close`, `worker` and `export-closures` as a scheduler runs them:
exit codes, messages, the database and the fake Bot Connector afterwards. In-process (cli.main) for
speed, plus one real process so the entry point itself is covered."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from store.db.engine import make_sessionmaker
from store.db.models import OutboxMessage, UpdateCycle
from store.updates.decisions import CLOSURE_COLUMNS
from tests.cli.support import DEADLINE, TODAY, run
from tests.fakes.connector import FakeConnector
from tests.store.cycle_tracker import MET, attach

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "args, problem",
    [
        (["--scope", "everything", "--deadline", DEADLINE], "unknown scope 'everything': use all, group:NAME"),
        (["--scope", "group:Met Ops", "--deadline", DEADLINE], "unknown business group 'Met Ops': choose one of"),
        (["--scope", "due-within:x", "--deadline", DEADLINE], "unknown scope 'due-within:x'"),
        (
            ["--scope", "all", "--deadline", "31/12/2026"],
            "--deadline '31/12/2026' is not a date: write it as YYYY-MM-DD",
        ),
        (["--scope", "all", "--deadline", "2020-01-01"], "the deadline 2020-01-01 is in the past"),
        (["--scope", "due-within:1", "--deadline", DEADLINE], "nothing to ask about: no actions due within 1 days"),
    ],
)
def test_start_refuses_clearly(url, capsys, args, problem):
    code, out, err = run(capsys, "cycle", "start", *args)
    assert code == 1 and out == "" and err.startswith("error: ") and problem in err
    assert "Traceback" not in err


def test_a_cycle_from_start_to_close(url, sqlite_engine, capsys):
    with make_sessionmaker(sqlite_engine).begin() as s:
        attach(s, TODAY).install("olivia")
    code, out, _ = run(capsys, "cycle", "preview", "--scope", "group:met operations")
    assert code == 0 and "3 owners, 5 actions; 2 owners cannot be reached (Laura Mills, Sam Spencer)" in out

    code, out, _ = run(
        capsys,
        "cycle",
        "start",
        "--scope",
        "all",
        "--deadline",
        DEADLINE,
        "--include-hmicfrs",
        "--message",
        "Before the panel, please",
        "--actor",
        "grace@example.test",
    )
    assert code == 0 and "update cycle 1 opened: all outstanding monitored actions and open HMICFRS items" in out
    assert "4 owners, 6 actions, 1 HMICFRS item" in out and "1 request queued, 3 not installed" in out

    code, _, err = run(capsys, "cycle", "start", "--scope", "overdue", "--deadline", DEADLINE)
    assert code == 1 and "update cycle 1 (deadline" in err and "is still open: close it" in err

    code, out, _ = run(capsys, "cycle", "status")
    assert code == 0 and "requests: 0 sent, 1 pending, 0 failed, 3 not installed (of 4)" in out
    assert f"{MET}: 0 of 6 (0%); not yet: Laura Mills, Olivia Owen, Sam Spencer" in out
    code, out, _ = run(capsys, "cycle", "status", "--json")
    figures = json.loads(out)
    assert figures["response_rate"] == {"asked": 7, "responded": 0, "pct": 0}
    assert figures["requests"]["not_installed"] == 3 and {g["group"] for g in figures["by_group"]} == {
        MET,
        "Corporate Services",
    }

    code, out, _ = run(capsys, "cycle", "remind")
    assert (
        code == 0 and "0 reminders and 3 digests queued" in out and "the requests of 1 owner still on their way" in out
    )

    code, out, _ = run(capsys, "cycle", "close")
    assert code == 0 and "update cycle 1 closed: response rate 0% (0 of 7 items)" in out
    # the request still queued was cancelled: the store records a code, the command line says it
    closed = "cancelled: the update cycle closed before this was sent"
    code, out, _ = run(capsys, "cycle", "status")
    assert code == 0 and f"could not deliver to Olivia Owen: {closed}" in out
    code, out, _ = run(capsys, "cycle", "status", "--json")
    assert json.loads(out)["failures"] == [{"owner": "Olivia Owen", "reason": closed}]
    code, _, err = run(capsys, "cycle", "close")
    assert code == 1 and "there is no open update cycle to close" in err
    code, _, err = run(capsys, "cycle", "remind")
    assert code == 1 and "no open update cycle to send reminders for" in err
    with make_sessionmaker(sqlite_engine)() as s:
        assert s.scalars(select(UpdateCycle)).one().opened_by == "grace@example.test"


def test_status_before_any_cycle(url, capsys):
    code, _, err = run(capsys, "cycle", "status")
    assert code == 1 and "no update cycle has been opened yet" in err


def test_worker_sends_what_is_queued_then_exits_when_idle(url, sqlite_engine, capsys):
    with FakeConnector() as connector, make_sessionmaker(sqlite_engine).begin() as s:
        t = attach(s, TODAY)
        for key in ("olivia", "amelia"):
            t.install(key, connector.service_url)
        s.commit()
        assert run(capsys, "cycle", "start", "--scope", "all", "--deadline", DEADLINE)[0] == 0
        code, out, _ = run(capsys, "worker", "--until-idle", "--rate", "50", "--timeout", "2", "--lease", "10")
        assert code == 0 and "worker stopped: 2 sent, 0 to retry, 0 failed, 0 not installed" in out
        assert connector.delivered_counts() == {"a:personal-olivia": 1, "a:personal-amelia": 1}
    with make_sessionmaker(sqlite_engine)() as s:
        statuses = sorted(m.status for m in s.scalars(select(OutboxMessage)))
        assert statuses == ["not_installed", "not_installed", "sent", "sent"]


@pytest.mark.parametrize(
    "args, problem",
    [
        (["--rate", "0"], "--rate must be above zero"),
        (["--timeout", "10", "--lease", "5"], "--lease must be at least twice --timeout plus 2 seconds (22)"),
        (["--batch", "0"], "--batch must be at least 1"),
    ],
)
def test_worker_options_are_checked(url, capsys, args, problem):
    code, _, err = run(capsys, "worker", "--until-idle", *args)
    assert code == 1 and problem in err


def test_export_closures_for_dara(url, tmp_path, capsys):
    target = tmp_path / "closures.xlsx"
    code, out, _ = run(capsys, "export-closures", str(target))
    assert code == 0 and f"exported 1 action proposed for closure to {target}" in out
    ws = load_workbook(target).active
    rows = list(ws.iter_rows(values_only=True))
    assert (
        rows[0] == CLOSURE_COLUMNS
        and rows[1][0] == "CORP-2"
        and rows[1][CLOSURE_COLUMNS.index("owner")] == "Amelia Hart"
    )
    code, _, err = run(capsys, "export-closures", str(tmp_path / "closures.csv"))
    assert code == 1 and "name the file *.xlsx" in err
    code, _, err = run(capsys, "export-closures", str(tmp_path / "missing" / "c.xlsx"))
    assert code == 1 and "does not exist" in err


def test_the_real_entry_point(url):
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "app.py", "cycle", "start", "--scope", "overdue", "--deadline", DEADLINE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "update cycle 1 opened: overdue actions" in done.stdout
    help_text = subprocess.run(
        [sys.executable, "app.py", "cycle", "start", "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert "all | group:NAME | overdue | due-within:DAYS" in help_text and "--include-hmicfrs" in help_text


def test_start_with_reminder_days_and_status_shows_what_is_scheduled(url, sqlite_engine, capsys):
    from domain.schedule import reminder_dates

    code, _, err = run(capsys, "cycle", "start", "--scope", "all", "--deadline", DEADLINE, "--reminders", "7,soon")
    assert code == 1 and "--reminders: reminder days '7,soon' should be whole numbers" in err
    code, _, err = run(capsys, "cycle", "start", "--scope", "all", "--deadline", DEADLINE, "--reminders", "400")
    assert code == 1 and "keep reminder days to 90 or fewer" in err

    code, out, _ = run(capsys, "cycle", "start", "--scope", "all", "--deadline", DEADLINE, "--reminders", "10,3")
    days = reminder_dates(date.fromisoformat(DEADLINE), (10, 3), TODAY)
    assert code == 0 and "reminders to owners who have not responded: " + ", ".join(d.isoformat() for d in days) in out
    with make_sessionmaker(sqlite_engine)() as s:
        assert s.scalars(select(UpdateCycle)).one().reminder_days == [10, 3]

    code, out, _ = run(capsys, "cycle", "status")
    assert code == 0 and "scheduled next (working days 09:00-17:00, Europe/London):" in out
    for day in days:
        assert f"  {day.isoformat()}: reminders to cycle 1's non-responders" in out
    code, out, _ = run(capsys, "cycle", "status", "--json")
    assert [s["day"] for s in json.loads(out)["scheduled"] if s["job"] == "cycle_reminders"] == [
        d.isoformat() for d in days
    ]
