"""`make playground` itself: it prepares an empty database, prints a URL per role, serves each person's
Playground on 127.0.0.1, and Ctrl-C stops every process it started (no browser needed)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.browser.harness import ROOT, browser_problem, free_port_block, listening_hosts

pytestmark = pytest.mark.browser


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (ProcessLookupError, FileNotFoundError):
        return False


def test_make_playground_prints_urls_and_ctrl_c_stops_everything(tmp_path: Path) -> None:
    problem = browser_problem()
    if problem and "chromium" not in problem[1]:  # node and node_modules are needed; chromium is not
        pytest.fail(problem[1])
    first = free_port_block(2)
    bot = next(p for p in iter(lambda: free_port_block(1), None) if p not in (first, first + 1))
    database = tmp_path / "tracker.db"
    out = tmp_path / "make.log"
    args = f"--bot-port {bot} --first-port {first} --only olivia sam --log-dir {tmp_path / 'logs'} --json"
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}")
    env.pop("MAKEFLAGS", None)
    with open(out, "wb") as sink:
        make = subprocess.Popen(
            ["make", "--no-print-directory", "playground", f"PLAYGROUND_ARGS={args}"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    info: dict = {}
    try:
        deadline = time.monotonic() + 180
        while not info:
            lines = out.read_text(errors="replace").splitlines()
            info = next((json.loads(x) for x in lines if x.startswith("{") and '"urls"' in x), {})
            assert make.poll() is None or info, f"make playground exited {make.returncode}:\n{out.read_text()}"
            assert time.monotonic() < deadline, f"make playground was not ready in 180 s:\n{out.read_text()}"
            time.sleep(0.2)
        printed = out.read_text()
        assert f"Olivia Owen     http://127.0.0.1:{first}/" in printed
        assert f"Sam Spencer     http://127.0.0.1:{first + 1}/" in printed
        assert "Ctrl-C" in printed
        # The empty database was migrated and the demo tracker loaded, as `make run` does.
        engine = create_engine(f"sqlite:///{database}")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM actions")).scalar() > 100
        engine.dispose()
        for person, port in (("Olivia Owen", first), ("Sam Spencer", first + 1)):
            assert listening_hosts(port) == {"127.0.0.1"}
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_internal/v1/testConfig", timeout=10) as r:
                assert json.load(r)["config"]["currentUser"]["name"] == person
        with urllib.request.urlopen(f"http://127.0.0.1:{bot}/healthz", timeout=10) as r:
            assert r.status == 200
        assert listening_hosts(bot) == {"127.0.0.1"}
    finally:
        os.killpg(make.pid, signal.SIGINT)  # what Ctrl-C in the terminal does: the whole foreground group
        try:
            make.wait(timeout=30)
        finally:
            pids = info.get("pids", {})
            left = [name for name, pid in pids.items() if _alive(pid)]
            for pid in [make.pid, *pids.values()]:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
    assert not left, f"still running after Ctrl-C: {left}\n{out.read_text()}"
    assert set(pids) == {"bot", "playground-olivia", "playground-sam"}
    assert not listening_hosts(first) and not listening_hosts(first + 1) and not listening_hosts(bot)
    assert "stopping" in out.read_text()
