"""Issue 21 point 8, the slice built so far: the Tracker tab in headless chromium (tests/browser/tab.js).

Governance in local mode picks Grace, filters by group, pages and opens an action's history, all by
keyboard, under the server's real CSP; axe-core finds no serious or critical violation in any of
Teams' three themes; on a server with an app id, the page opened outside Teams says to open it in
Teams and offers no demo person. Screenshots go to the test artifacts (docs/img/tab-*.png are copies).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from config import Settings
from tests.browser.harness import ARTIFACTS, ROOT, browser_problem
from tests.web.tab_server import TabServer
from tests.web.tokens import APP_ID, TENANT, validator
from web.page import ASSETS

pytestmark = pytest.mark.browser
SCRIPT = ROOT / "tests" / "browser" / "tab.js"


def _run(args: dict[str, str], timeout: float = 180) -> dict:
    process = subprocess.Popen(
        ["node", str(SCRIPT), json.dumps(args)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=30)
        pytest.fail(f"tab.js did not finish in {timeout:.0f} s\n{stdout}\n{stderr}")
    found = [line[len("RESULT ") :] for line in stdout.splitlines() if line.startswith("RESULT ")]
    assert process.returncode == 0 and found, f"tab.js failed; screenshots in {args['shots']}\n{stderr}\n{stdout}"
    return json.loads(found[0])


def test_governance_grid_in_local_mode_by_keyboard_with_axe(tmp_path: Path) -> None:
    problem = browser_problem()
    if problem:
        (pytest.skip if problem[0] == "skip" else pytest.fail)(problem[1])
    assert (ASSETS / "tab.js").is_file(), "the tab's page is not built: run `make tab`"
    local_url, signed_url = f"sqlite:///{tmp_path}/local.db", f"sqlite:///{tmp_path}/signed.db"
    signed = Settings(database_url=signed_url, app_id=APP_ID, allowed_tenant_ids=(TENANT,))
    shots = ARTIFACTS / "tab"
    shots.mkdir(parents=True, exist_ok=True)
    with TabServer(local_url) as local, TabServer(signed_url, settings=signed, validator=validator()) as teams:
        result = _run({"local": local.base, "signed": teams.base, "shots": str(shots)})

    assert "Open the Tracker in Microsoft Teams" in result["outside"] and not result["outsideHasPicker"]
    assert result["errors"] == [], "no script error and no CSP violation"
    assert result["axe"] == [], "axe-core: no serious or critical violation"
    assert result["totalAll"] > result["totalGroup"] > 25, "the group filter narrows to more than a page"
    assert result["groupsOnPage1"] == result["groupsOnPage2"] == ["Met Operations"]
    assert result["pagesOverlap"] == []
    assert result["detailHeading"].startswith(("DARA", "HMI")) and result["focusOnHeading"]
    assert result["historyRows"] >= 1 and result["focusBack"] == result["detailHeading"]
    assert result["saved"].startswith(f"Saved {result['detailHeading']}: title, risk")
    assert result["historyAfterEdit"] >= result["historyRows"] + 1
    assert result["editedBy"] == "grace.gordon@met.police.example"
