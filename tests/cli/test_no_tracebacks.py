"""No traceback reaches a user of the command line or the server's start-up (issue 24 point 3).

Paths that cannot be written or read and a port another server holds each get one line saying what
to do and a non-zero exit; nothing is half-written.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.support import run

ROOT = Path(__file__).resolve().parents[2]


def _one_line_refusal(code: int, out: str, err: str) -> str:
    assert code != 0 and out == ""
    assert "Traceback" not in err and err.startswith("error: ") and err.count("\n") == 1, err
    return err


@pytest.mark.parametrize(
    "args, says",
    [
        (["export", "/proc/x.xlsx"], "cannot write to /proc"),
        (["export-closures", "/proc/x.xlsx"], "cannot write to /proc"),
        (["export", "{tmp}/missing/x.xlsx"], "does not exist"),
        (["export", "{tmp}/folder.xlsx"], "is a folder"),
        (["import", "{tmp}/missing.xlsx"], "no such file"),
        (["import", "{tmp}/folder.xlsx"], "is a folder"),
        (["report", "--out", "/proc/pack"], "cannot write the pack to /proc/pack"),
        (["report", "--out", "{tmp}/a-file"], "is a file, not a folder"),
    ],
)
def test_a_path_that_cannot_be_used_gets_one_line(url, tmp_path, capsys, args, says):
    (tmp_path / "folder.xlsx").mkdir()
    (tmp_path / "a-file").write_text("")
    err = _one_line_refusal(*run(capsys, *(a.format(tmp=tmp_path) for a in args)))
    assert says in err


@pytest.mark.parametrize(
    "args", [["migrate"], ["demo"], ["cycle", "status"], ["export", "{tmp}/t.xlsx"], ["report", "--out", "{tmp}/pack"]]
)
def test_a_database_that_cannot_be_opened_gets_one_line(monkeypatch, tmp_path, capsys, args):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////proc/tracker.db")
    err = _one_line_refusal(*run(capsys, *(a.format(tmp=tmp_path) for a in args)))
    assert "DATABASE_URL" in err  # report says it in its own words: "cannot read the tracker"


def test_an_export_that_fails_leaves_the_last_good_workbook(url, tmp_path, capsys, monkeypatch):
    target = tmp_path / "tracker.xlsx"
    assert run(capsys, "export", str(target))[0] == 0
    good = target.read_bytes()

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("cli.tracker.export_workbook", disk_full)
    err = _one_line_refusal(*run(capsys, "export", str(target)))
    assert f"cannot write {target}: No space left on device" in err
    assert target.read_bytes() == good and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_second_server_on_a_busy_port_says_so_in_one_line(sqlite_url, tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        env = {**os.environ, "DATABASE_URL": sqlite_url, "HOST": "127.0.0.1", "PORT": str(port)}
        env.pop("MicrosoftAppId", None)
        done = subprocess.run(
            [sys.executable, str(ROOT / "app.py"), "serve"], env=env, capture_output=True, text=True, timeout=120
        )
    assert done.returncode == 1 and "listening" not in done.stdout
    assert done.stderr.strip().splitlines() == [
        f"error: port {port} on 127.0.0.1 is already in use: another server is running "
        "(a second `make run`?); stop it, or set PORT to a free port"
    ]
