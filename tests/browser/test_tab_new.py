"""Issue 21 point 8 for adding and owners' updates: in headless chromium (tests/browser/tab_new.js),
governance adds a new audit with two actions in the real page (a mistyped owner refused beside its
field first, nothing added) and finds them in the grid; an owner updates their overdue action's status
with a delay reason, and submits an HMICFRS item for closure, through the card's forms and rules. The rows and history are checked in the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from store.db.engine import make_engine, make_sessionmaker
from store.db.models import Action, HistoryEntry, InspectionItem
from tests.browser.tab_harness import run_tab_script, tab_shots
from tests.web.tab_server import TabServer

pytestmark = pytest.mark.browser
OLIVIA = "olivia.owen@met.police.example"


def test_governance_adds_an_audit_and_an_owner_updates_in_the_page(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/tab.db"
    shots = tab_shots()
    with TabServer(url) as tab:
        mine = tab.get("/api/tab/grid", person="olivia", params={"source": "dara", "status": "open"}).json()["rows"]
        ref = next(r["ref"] for r in mine if r["overdue"])
        result = run_tab_script(
            "tab_new.js", {"local": tab.base, "shots": str(shots), "ownerRef": ref, "ownerItem": "HMI-2017-026"}
        )

    assert result["errors"] == [], "no script error and no CSP violation"
    assert result["axe"] == [], "axe-core: no serious or critical violation"
    assert result["refusedBeside"]
    assert result["added"].startswith("Added DARA-2026-31 and its 2 actions: DARA-2026-31-001, DARA-2026-31-002")
    assert result["gridRefs"] == ["DARA-2026-31-001", "DARA-2026-31-002"]
    assert result["ownerSaved"].startswith("Saved.")
    assert "in progress" in result["statusShown"] and "Resource challenges" in result["statusShown"]
    assert result["updatedBy"] == OLIVIA
    assert result["itemSaved"].startswith("Saved. Submitted for closure") and not result["itemHasDelayReason"]

    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        action = s.scalars(select(Action).where(Action.ref == ref)).one()
        assert (action.status, action.delay_reason) == ("in progress", "Resource challenges")
        assert action.last_update_note == "Waiting for two analysts to start"
        item = s.scalars(select(InspectionItem).where(InspectionItem.ref == "HMI-2017-026")).one()
        assert (item.status, item.evidence_note) == ("submitted for closure", "Policy published on the intranet")
        added = s.scalars(select(Action).where(Action.ref.like("DARA-2026-31-%")).order_by(Action.ref)).all()
        assert [(a.risk, a.owner.email, a.status) for a in added] == [
            ("high", OLIVIA, "open"),
            ("medium", OLIVIA, "open"),
        ]
        channels = set(
            s.execute(
                select(HistoryEntry.actor, HistoryEntry.channel).where(
                    HistoryEntry.entity_ref.in_([ref, "DARA-2026-31", "DARA-2026-31-001", "DARA-2026-31-002"]),
                    HistoryEntry.channel == "tab",
                )
            ).tuples()
        )
    engine.dispose()
    assert channels == {("grace.gordon@met.police.example", "tab"), (OLIVIA, "tab")}
