"""With LOG_FORMAT=json every line a process writes is JSON (issue 24 point 5): the server's banner,
the worker's, each command's result and its refusals, not only the log records."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = [sys.executable, str(ROOT / "app.py")]


def _env(url: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": url, "LOG_FORMAT": "json", "HOST": "127.0.0.1"}
    env.pop("MicrosoftAppId", None)
    return env


def _json_lines(text: str) -> list[dict]:
    lines = [line for line in text.splitlines() if line.strip()]
    parsed = []
    for line in lines:
        try:
            parsed.append(json.loads(line))
        except ValueError:
            raise AssertionError(f"not a JSON line: {line!r}\nin:\n{text}") from None
    return parsed


def test_every_line_of_the_commands_is_json(sqlite_url, tmp_path):
    env = _env(sqlite_url)
    seen: list[dict] = []
    for args in (
        ["migrate"],
        ["demo"],
        ["export", str(tmp_path / "tracker.xlsx")],
        ["export", "/proc/x.xlsx"],  # a refusal
        ["cycle", "status"],
        ["report", "--out", str(tmp_path / "pack"), "--json"],
        ["worker", "--until-idle"],
    ):
        done = subprocess.run(APP + args, env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path)
        seen += _json_lines(done.stdout) + _json_lines(done.stderr)
    messages = [entry.get("message", "") for entry in seen]
    assert any(m.startswith("demo tracker loaded") for m in messages)
    assert any(m.startswith("error: cannot write to /proc") and e["level"] == "ERROR" for m, e in zip(messages, seen))
    assert any(m.startswith("worker stopped") for m in messages)
    assert any("outstanding" in entry and "as_of" in entry for entry in seen)  # report --json: the figures


def test_every_line_the_server_writes_is_json(sqlite_url, tmp_path):
    env = _env(sqlite_url)
    subprocess.run(APP + ["migrate"], env=env, capture_output=True, timeout=120, check=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        env["PORT"] = str(probe.getsockname()[1])
    out, err = tmp_path / "out", tmp_path / "err"
    with out.open("w") as o, err.open("w") as e:
        server = subprocess.Popen(APP + ["serve"], env=env, stdout=o, stderr=e)
        try:
            deadline = time.monotonic() + 120
            while "listening" not in out.read_text() + err.read_text():
                assert server.poll() is None and time.monotonic() < deadline, err.read_text()
                time.sleep(0.1)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    entries = _json_lines(out.read_text()) + _json_lines(err.read_text())
    assert any(entry["message"].startswith("Audit tracker bot listening") for entry in entries)
