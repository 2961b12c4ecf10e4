"""Issue 21's "Done when": governance runs a whole quarter from the Tracker tab, without the command line,
in headless chromium (tests/browser/tab_quarter.js), on the real bot server that also answers owners.

In order, as Grace: upload the quarter's workbook (preview, apply, the grid shows it); add the new DARA
audit with two actions; move an action's due date; accept in bulk the two revised dates Olivia proposed
in the tab's owner form; start an update cycle and watch it move while Olivia answers through the bot;
build the pack as at today, whose headline figures equal the reports code's, the grid's overdue filter
and the bot's "what's overdue" answer; export the tracker with the new audit's actions in it. Then each
role's scope in the same page: Colin, chief officer, his group only and no governance tools; Olivia her
own actions only. The single features, each in depth, are the other tests/browser/test_tab*.py.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import requests
from sqlalchemy import func, or_, select

from config import Settings
from reports import build_report, history_since
from store.db.engine import make_engine, make_sessionmaker
from store.db.models import Action, BusinessGroup, DueDateProposal, HistoryEntry, InspectionItem, Person
from store.queries.tables import load_tables
from tests.browser.tab_harness import tab_shots
from tests.browser.test_tab_cycle import SCRIPT as _CYCLE_SCRIPT
from tests.browser.test_tab_cycle import _drive
from tests.conftest import NOW, TODAY
from tests.fakes.bot_thread import BotThread
from tests.fakes.live_bot import card_text
from tests.web.tab_server import people_ids
from tests.web.workbooks import NEW_REF, edited, quarter_changes

pytestmark = pytest.mark.browser
SCRIPT = _CYCLE_SCRIPT.with_name("tab_quarter.js")
OLIVIA = "olivia.owen@met.police.example"
GRACE = "grace.gordon@met.police.example"


def _workbook(base: str, grace: int) -> bytes:
    """The tracker as the tab exports it, changed as the quarter's workbook would change it."""
    response = requests.get(f"{base}/api/tab/export", headers={"X-Tab-Person": str(grace)}, timeout=60)
    assert response.status_code == 200, response.text
    return edited(response.content, quarter_changes)


def _olivias_proposals(url: str, workbook: bytes, count: int) -> list[list[str]]:
    """[ref, a revised date] for open actions of Olivia's that the quarter's workbook leaves open and
    that await no decision; the date is after both the original due date and today, as the rules ask."""
    sheet = openpyxl.load_workbook(io.BytesIO(workbook))["Actions"]
    header = [c.value for c in sheet[1]]
    still_open = {
        row[header.index("ref")]
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[header.index("status")] == "open"
    }
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        pending = select(DueDateProposal.action_id).where(DueDateProposal.decision == "pending")
        found = s.execute(
            select(Action.ref, Action.due_date)
            .join(Person, Action.owner_id == Person.id)
            .where(Person.email == OLIVIA, Action.status == "open", Action.id.not_in(pending))
            .order_by(Action.ref.desc())
        ).all()
    engine.dispose()
    kept = [(ref, due) for ref, due in found if ref in still_open][:count]
    return [[ref, (max(due, TODAY) + timedelta(days=90 + n)).isoformat()] for n, (ref, due) in enumerate(kept)]


def _figures(url: str, as_at: date) -> dict[str, Any]:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        tables = load_tables(s, since=history_since(as_at))
    engine.dispose()
    return build_report(tables, as_at, zone=Settings(database_url=url).zone).figures


def _scopes(url: str) -> dict[str, int]:
    """How many rows each role should find, counted straight from the tables."""
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        olivia = s.scalar(select(Person.id).where(Person.email == OLIVIA))
        met = s.scalar(select(BusinessGroup.id).where(BusinessGroup.name == "Met Operations"))
        count = lambda model, where: s.scalar(select(func.count()).select_from(model).where(where))  # noqa: E731
        found = {
            "olivia": count(Action, Action.owner_id == olivia)
            + count(InspectionItem, InspectionItem.owner_id == olivia),
            "colin": count(Action, Action.business_group_id == met)
            + count(InspectionItem, InspectionItem.business_group_id == met),
        }
    engine.dispose()
    return found


def test_governance_runs_a_whole_quarter_in_the_tab_and_each_role_sees_its_scope(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/tracker.db"
    shots = tab_shots()
    due = (TODAY + timedelta(days=200)).isoformat()
    with BotThread(url, clock=lambda: NOW) as bot:
        for key in ("grace", "olivia", "colin"):  # each has the bot installed: the sender reaches them
            bot.call(bot.live.install(bot.live.user(key)))
        ids = people_ids(url)
        workbook = tmp_path / "quarter.xlsx"
        workbook.write_bytes(_workbook(bot.live.url, ids["grace"]))
        proposals = _olivias_proposals(url, workbook.read_bytes(), 2)
        proposed = [ref for ref, _day in proposals]
        args = {
            "base": bot.live.url,
            "shots": str(shots),
            "workbook": str(workbook),
            "newRef": NEW_REF,
            "proposals": proposals,
            "editRef": "DARA-2026-31-002",
            "editDue": due,
            "asAt": TODAY.isoformat(),
        }
        result, answered = _drive(bot, args, script=SCRIPT)
        overdue_answer = card_text(bot.call(bot.live.say(bot.live.user("grace"), "what's overdue")).cards[0])
        colin_answer = card_text(bot.call(bot.live.say(bot.live.user("colin"), "what's overdue in my group")).cards[0])
    # what the page showed, kept beside the screenshots to read when an assertion fails
    (shots / "tab-quarter-result.json").write_text(json.dumps(result, indent=1))
    figures = _figures(url, TODAY)
    scopes = _scopes(url)

    assert result["errors"] == [], "no script error and no CSP violation"
    assert result["axe"] == [], "axe-core: no serious or critical violation"
    # 1. the upload: previewed with its counts, applied, the new action in the grid
    assert result["uploadSummary"] == "quarter.xlsx, nothing stored yet: actions: 1 new, 2 changed; closed: 1 action"
    assert result["uploadCounts"] == [["actions", "1", "2"]]
    assert result["applied"].startswith("Imported quarter.xlsx: actions: 1 new, 2 changed (")
    assert result["gridAfterUpload"] == [NEW_REF]
    # 2. the new audit and its two actions, in the grid
    assert result["added"].startswith("Added DARA-2026-31 and its 2 actions: DARA-2026-31-001, DARA-2026-31-002")
    assert result["gridAfterAdd"] == ["DARA-2026-31-001", "DARA-2026-31-002"]
    # 3. the edit, 4. the owner's two proposals accepted in bulk, in the bot's words
    assert result["edited"].startswith("Saved DARA-2026-31-002:"), result["edited"]
    assert len(proposed) == 2 and all(s.startswith("Saved.") for s in result["proposed"]), result["proposed"]
    assert result["outcomes"] == [f"{ref}: revised due date {day} accepted" for ref, day in proposals]
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        edited_action = s.scalars(select(Action).where(Action.ref == "DARA-2026-31-002")).one()
        assert edited_action.due_date.isoformat() == due
        decided = s.execute(
            select(Action.ref, DueDateProposal.decision, Person.email)
            .join(DueDateProposal, DueDateProposal.action_id == Action.id)
            .join(Person, DueDateProposal.proposed_by_id == Person.id)
            .where(Action.ref.in_(proposed))
        ).all()
        assert sorted(decided) == sorted((ref, "accepted", OLIVIA) for ref in proposed)
        tab_actors = set(
            s.scalars(
                select(HistoryEntry.actor).where(
                    HistoryEntry.channel == "tab",
                    or_(HistoryEntry.entity_ref.in_(proposed), HistoryEntry.entity_ref.like("DARA-2026-31%")),
                )
            )
        )
    engine.dispose()
    assert tab_actors == {GRACE, OLIVIA}, "every change is a history row naming who made it in the tab"
    # 5. the cycle: started in the tab, followed Olivia's answer in the bot without a reload
    assert "owners will each get one card" in result["preview"]
    assert re.fullmatch(r"Responded: 0 of \d+ \(0%\)", result["rateBefore"]), result["rateBefore"]
    assert result["rateAfter"].startswith("Responded: 1 of ") and result["sameDocument"], "no reload"
    assert answered
    # 6. the pack as at today: the reports code's figures, the grid's overdue filter, the bot's answer
    pack = result["figures"]
    assert pack["Outstanding actions"] == str(figures["outstanding"]["total"])
    assert pack["Past their original due date"] == str(figures["overdue"]["total"])
    assert pack["Delivered this quarter"] == str(figures["delivered"]["total"])
    assert pack["Open HMICFRS items"] == str(figures["inspections"]["open"])
    assert result["gridOverdue"] == figures["overdue"]["total"]
    assert pack["Update cycle response rate"] == re.findall(r"\((\d+%)\)", result["rateAfter"])[0]
    headline = (
        f"{pack['Outstanding actions']} outstanding across the force, {pack['Past their original due date']} overdue"
    )
    assert headline in overdue_answer, overdue_answer
    assert result["packName"] == f"audit-panel-pack-{TODAY.isoformat()}.xlsx"
    # 7. the export: the upload's and the new audit's actions are in the tracker's workbook
    exported = openpyxl.load_workbook(result["exportedPath"])["Actions"]
    refs = {row[0] for row in exported.iter_rows(min_row=2, values_only=True)}
    assert {NEW_REF, "DARA-2026-31-001", "DARA-2026-31-002"} <= refs
    # each role's scope in the page
    colin, olivia = result["colin"], result["olivia"]
    assert colin["governanceButtons"] == [] and olivia["governanceButtons"] == []
    assert colin["total"] == scopes["colin"] and {r[2] for r in colin["rows"]} == {"Met Operations"}
    assert olivia["total"] == scopes["olivia"] and {r[3] for r in olivia["rows"]} == {"Olivia Owen"}
    assert colin["rowCount"] > 0 and olivia["rowCount"] > 0
    colin_headline = colin_answer.splitlines()[1]
    assert colin_headline in result["colinSummary"], (colin_headline, result["colinSummary"])
