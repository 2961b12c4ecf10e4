"""What every tab driver test needs before and around its node script (tests/browser/tab*.js): the
browser present, the page built, the screenshot folder, and the script run with a hard timeout whose
`RESULT {...}` line is the outcome."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.browser.harness import ARTIFACTS, ROOT, browser_problem
from web.page import ASSETS

DRIVERS = ROOT / "tests" / "browser"


def tab_shots() -> Path:
    """Skip or fail (as browser_problem says) unless the browser and the built page are there; the shots folder."""
    problem = browser_problem()
    if problem:
        (pytest.skip if problem[0] == "skip" else pytest.fail)(problem[1])
    assert (ASSETS / "tab.js").is_file(), "the tab's page is not built: run `node web/page/build.mjs`"
    shots = ARTIFACTS / "tab"
    shots.mkdir(parents=True, exist_ok=True)
    return shots


def run_tab_script(name: str, args: dict[str, Any], timeout: float = 180) -> dict[str, Any]:
    """Run tests/browser/<name> with `args` as JSON; its RESULT, or the test fails with what it printed."""
    process = subprocess.Popen(
        ["node", str(DRIVERS / name), json.dumps(args)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        # its own process group, so chromium goes with it
        os.killpg(process.pid, signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=30)
        pytest.fail(f"{name} did not finish in {timeout:.0f} s\n{stdout}\n{stderr}")
    found = [line[len("RESULT ") :] for line in stdout.splitlines() if line.startswith("RESULT ")]
    assert process.returncode == 0 and found, f"{name} failed; screenshots in {args['shots']}\n{stderr}\n{stdout}"
    result: dict[str, Any] = json.loads(found[0])
    return result
