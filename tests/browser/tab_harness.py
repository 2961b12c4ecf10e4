"""What every tab driver test needs before and around its node script (tests/browser/tab*.js): the
browser present, the page built, the screenshot folder, and the script run with a hard timeout whose
`RESULT {...}` line is the outcome."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.browser.harness import ARTIFACTS, ROOT, browser_problem, run_node
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
    try:
        code, stdout, stderr, result = run_node([str(DRIVERS / name), json.dumps(args)], timeout=timeout)
    except TimeoutError as e:
        pytest.fail(f"{name} {e}")
    assert code == 0 and result is not None, f"{name} failed; screenshots in {args['shots']}\n{stderr}\n{stdout}"
    return result
