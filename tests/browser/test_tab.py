"""Issue 21 point 8, the slice built so far: the Tracker tab in headless chromium (tests/browser/tab.js).

Governance in local mode picks Grace, filters by group, pages and opens an action's history, all by
keyboard, under the server's real CSP; axe-core finds no serious or critical violation in any of
Teams' three themes; on a server with an app id, the page opened outside Teams says to open it in
Teams and offers no demo person. Screenshots go to the test artifacts (docs/img/tab-*.png are copies).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from config import Settings
from tests.browser.tab_harness import run_tab_script, tab_shots
from tests.web.tab_server import TabServer
from tests.web.tokens import APP_ID, TENANT, validator

pytestmark = pytest.mark.browser


def test_governance_grid_in_local_mode_by_keyboard_with_axe(tmp_path: Path) -> None:
    shots = tab_shots()
    local_url, signed_url = f"sqlite:///{tmp_path}/local.db", f"sqlite:///{tmp_path}/signed.db"
    signed = Settings(database_url=signed_url, app_id=APP_ID, allowed_tenant_ids=(TENANT,))
    with TabServer(local_url) as local, TabServer(signed_url, settings=signed, validator=validator()) as teams:
        result = run_tab_script("tab.js", {"local": local.base, "signed": teams.base, "shots": str(shots)})

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
