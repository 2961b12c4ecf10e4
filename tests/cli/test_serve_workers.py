"""`python app.py serve --workers N` (issue 11): N processes answer on one port, a dead one is
replaced, SIGTERM stops them all cleanly; bad uses are refused with what to fix."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from config import PROJECT_ROOT
from tests.bot.outbox_setup import migrated_template


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _health(port: int) -> str:
    """'200', or what went wrong."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=15) as response:
            return str(response.status)
    except OSError as err:
        return repr(err)


def _healthy(port: int) -> bool:
    return _health(port) == "200"


def _until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def _listening(pid: int, port: int) -> bool:
    """Does this process hold a socket listening on the port? (/proc/net/tcp: state 0A is LISTEN)"""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
            inodes.add(f"socket:[{fields[9]}]")
    try:
        return any(os.readlink(fd) in inodes for fd in (Path("/proc") / str(pid) / "fd").iterdir())
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(sys.platform != "linux", reason="SO_REUSEPORT and /proc: Linux")
def test_workers_share_one_port_are_replaced_when_they_die_and_stop_on_sigterm(tmp_path):
    db = shutil.copy(migrated_template(tmp_path), tmp_path / "tracker.db")
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "PORT": str(port), "HOST": "127.0.0.1"}
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 (read back on failure)
    parent = subprocess.Popen(
        [sys.executable, "app.py", "serve", "--workers", "2", "--start-grace", "0.5"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        _until(lambda: len(_children(parent.pid)) == 2, 30, "two server processes were not started")
        first = _children(parent.pid)
        _until(lambda: all(_listening(pid, port) for pid in first), 60, "both must listen on the one port")
        assert _healthy(port)
        victim = min(first)
        os.kill(victim, signal.SIGKILL)  # one dies: the other still answers, and it is replaced
        _until(lambda: not _alive(victim), 10, "SIGKILL did not end the process")
        # the one left answers new connections (a connection caught in the dead one's queue is reset)
        _until(lambda: all(_healthy(port) for _ in range(3)), 20, (tmp_path / "serve.log").read_text()[-3000:])
        _until(
            lambda: len(_children(parent.pid) - first) == 1 and len(_children(parent.pid)) == 2,
            30,
            "the dead server process was not replaced",
        )
        _until(lambda: all(_listening(pid, port) for pid in _children(parent.pid)), 60, "the new one listens too")
        assert parent.poll() is None
        now = _children(parent.pid)
        os.kill(parent.pid, signal.SIGTERM)
        parent.wait(60)
        assert parent.returncode == 0, (tmp_path / "serve.log").read_text()[-3000:]
        _until(lambda: not any(_alive(pid) for pid in now), 10, "a server process outlived the parent")
        assert not _healthy(port)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(10)
        log.close()


def test_workers_need_a_fixed_port_and_at_least_one(tmp_path, capsys):
    from cli import main

    db = shutil.copy(migrated_template(tmp_path), tmp_path / "tracker.db")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATABASE_URL", f"sqlite:///{db}")
        mp.setenv("PORT", "0")
        assert main(["serve", "--workers", "2"]) == 1
        assert "needs a fixed PORT" in capsys.readouterr().err
        assert main(["serve", "--workers", "0"]) == 1
        assert "--workers must be at least 1" in capsys.readouterr().err
