"""Every role's main journey in a real browser: headless Debian chromium (playwright-core) drives the
Microsoft 365 Agents Playground, which talks to the real bot over HTTP, on a fresh demo database.

The stack is what `make playground` runs (tools/playground.py: the bot, one Playground per person,
all on 127.0.0.1), started once for the module on free ports. The journeys are node scenarios in
tests/browser/journeys.js; each reports what the page showed and this module checks it against the
database with its own SQL. Screenshots: test-artifacts/browser/ (TEST_ARTIFACTS_DIR); the bot's and the
Playgrounds' logs: test-artifacts/browser/logs/<run>/.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import urllib.request
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from tests.browser.harness import (
    ARTIFACTS,
    PEOPLE,
    ROOT,
    PlaygroundStack,
    bot_errors,
    browser_problem,
    listening_hosts,
    run_journey,
    run_log_dir,
)

pytestmark = pytest.mark.browser

GROUP = "Met Operations"
DELAY_REASON = "Resource challenges"
README_SHOT = ROOT / "docs" / "img" / "playground.png"
EXPECTED_USERS = {"olivia": "Olivia Owen", "sam": "Sam Spencer", "colin": "Colin Chambers", "grace": "Grace Gordon"}


def _today() -> date:
    """The bot's clock is UTC now (cli.runtime.utc_now); the demo's dates are relative to it."""
    return datetime.now(timezone.utc).date()


@pytest.fixture(scope="module")
def browser_ready() -> None:
    problem = browser_problem()
    if problem and problem[0] == "skip":
        pytest.skip(problem[1])
    if problem:
        pytest.fail(problem[1])


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Engine]]:
    path = tmp_path_factory.mktemp("browser") / "tracker.db"
    engine = create_engine(f"sqlite:///{path}")
    yield f"sqlite:///{path}", engine
    engine.dispose()


@pytest.fixture(scope="module")
def stack(browser_ready: None, database: tuple[str, Engine]) -> Iterator[PlaygroundStack]:
    with PlaygroundStack.started(database[0], run_log_dir()) as running:
        yield running


@pytest.fixture
def db(database: tuple[str, Engine]) -> Engine:
    return database[1]


def _rows(engine: Engine, sql: str, **params: Any) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def _monitored_outstanding(engine: Engine, group: str, due_before: date | None = None) -> int:
    """The spec's count in plain SQL, independent of store.db.clauses: monitored (high risk, or medium risk of a
    limited / no-assurance audit), outstanding (open or in progress), in `group`; overdue = original due
    date before `due_before`."""
    sql = """SELECT count(*) FROM actions a JOIN audits au ON au.id = a.audit_id
                    JOIN business_groups g ON g.id = a.business_group_id
             WHERE g.name = :group AND a.status IN ('open', 'in progress')
               AND (a.risk = 'high' OR (a.risk = 'medium' AND au.assurance IN ('limited', 'no assurance')))"""
    if due_before is None:
        return _rows(engine, sql, group=group)[0][0]
    return _rows(engine, sql + " AND a.due_date < :day", group=group, day=due_before.isoformat())[0][0]


def test_make_playground_serves_one_loopback_playground_per_person(stack: PlaygroundStack) -> None:
    """Each URL is that person's Playground (their own currentUser), bound to 127.0.0.1 only."""
    assert set(stack.urls) == set(PEOPLE)
    for person, url in stack.urls.items():
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        assert listening_hosts(port) == {"127.0.0.1"}, f"{person}'s Playground listens on {listening_hosts(port)}"
        with urllib.request.urlopen(f"{url}_internal/v1/testConfig", timeout=10) as response:
            config = json.load(response)["config"]
        assert config["currentUser"]["name"] == EXPECTED_USERS[person]
        assert len(config["users"]) == 5 and config["currentUser"]["id"] not in {u["id"] for u in config["users"]}
    bot_port = int(stack.info["bot"].split(":")[2].split("/")[0])
    assert listening_hosts(bot_port) == {"127.0.0.1"}
    assert not list((ROOT).glob("devTools")), "the Playground wrote devTools/ into the repository"


def test_greeting_each_role_gets_its_card(stack: PlaygroundStack, db: Engine) -> None:
    """'hello' in each person's Playground answers with that role's greeting card; 'help' lists questions."""
    seen = run_journey("greeting", stack)
    assert "Action owner" in seen["olivia"] and "My actions" in seen["olivia"]
    assert "Single point of contact" in seen["sam"] and GROUP in seen["sam"]
    assert "Chief Officer" in seen["colin"] and GROUP in seen["colin"]
    assert "Strategy & Governance" in seen["grace"] and "Request updates" in seen["grace"]
    assert "What you can ask me" in seen["help"]
    # Opening each personal chat installed the bot: a conversation reference per person.
    stored = {r.aad_object_id for r in _rows(db, "SELECT aad_object_id FROM conversation_refs")}
    assert {f"00000000-0000-4000-8000-0000000000a{i}" for i in range(1, 5)} <= stored


def test_chief_officer_sees_the_right_overdue_count(stack: PlaygroundStack, db: Engine) -> None:
    """Colin asks "what's overdue in my group" and reads the count an independent SQL query gives."""
    seen = run_journey("chiefOverdue", stack)
    outstanding = _monitored_outstanding(db, GROUP)
    overdue = _monitored_outstanding(db, GROUP, due_before=_today())
    assert overdue > 0, "the demo tracker should have overdue actions in Met Operations"
    assert (seen["outstanding"], seen["overdue"]) == (outstanding, overdue), seen["card"]
    assert seen["pct"] == int(100 * overdue / outstanding + 0.5)


def test_owner_updates_an_action_with_delay_reason_and_revised_date(stack: PlaygroundStack, db: Engine) -> None:
    """Olivia: "my actions" -> Update -> delay reason, revised date, note -> Save; the database has it all."""
    revised = _today() + timedelta(days=120)
    note = "Supplier chased; sign-off booked (browser test)"
    seen = run_journey(
        "ownerUpdate", stack, {"delayReason": DELAY_REASON, "revisedDate": revised.isoformat(), "note": note}
    )
    ref = seen["ref"]
    action = _rows(
        db,
        """SELECT a.id, a.delay_reason, a.revised_due_date, a.last_update_note, p.email
                          FROM actions a JOIN people p ON p.id = a.owner_id WHERE a.ref = :ref""",
        ref=ref,
    )
    assert action, f"{ref} (the first action on Olivia's card) is not in the tracker"
    action_id, delay_reason, agreed, last_note, owner = action[0]
    assert owner == "olivia.owen@met.police.example"
    assert delay_reason == DELAY_REASON
    assert last_note == note
    assert agreed is None or str(agreed) != revised.isoformat(), "a proposal must not become the agreed date"
    proposals = _rows(
        db,
        """SELECT proposed_date, decision, delay_reason FROM due_date_proposals
                             WHERE action_id = :id AND decision = 'pending'""",
        id=action_id,
    )
    assert [(str(p.proposed_date), p.decision) for p in proposals] == [(revised.isoformat(), "pending")]
    history = {
        r.field: r
        for r in _rows(
            db,
            """SELECT field, new_value, actor, channel FROM history
                                                 WHERE entity = 'action' AND entity_ref = :ref AND channel = 'teams'""",
            ref=ref,
        )
    }
    assert history["delay_reason"].new_value == DELAY_REASON
    assert history["delay_reason"].actor == "olivia.owen@met.police.example"
    assert "last_update_note" in history
    assert "awaiting Strategy & Governance" in seen["saved"]
    _readme_screenshot("owner-update-saved")


def test_governance_cycle_reaches_the_owner(stack: PlaygroundStack, db: Engine) -> None:
    """Grace requests updates from Met Operations; Olivia's Playground receives one consolidated card."""
    seen = run_journey("updateCycle", stack, {"group": GROUP})
    cycles = _rows(db, "SELECT id, opened_by, scope FROM update_cycles ORDER BY id DESC")
    assert cycles, "no update cycle was opened"
    cycle_id, opened_by, scope = cycles[0]
    assert opened_by == "grace.gordon@met.police.example"
    assert GROUP in json.dumps(scope)
    olivia_items = _rows(
        db,
        """SELECT a.ref FROM cycle_items ci JOIN people p ON p.id = ci.owner_id
                                JOIN actions a ON a.id = ci.action_id
                                WHERE ci.cycle_id = :c AND p.email = 'olivia.owen@met.police.example'""",
        c=cycle_id,
    )
    assert olivia_items, "Olivia has no actions in the cycle"
    query = """SELECT o.status FROM outbox o JOIN people p ON p.id = o.person_id
               WHERE o.cycle_id = :c AND o.kind = 'request' AND p.email = 'olivia.owen@met.police.example'"""
    # The card can reach her page a moment before the sender records the send: allow a few seconds.
    deadline = time.monotonic() + 15
    while (statuses := [r.status for r in _rows(db, query, c=cycle_id)]) != ["sent"] and time.monotonic() < deadline:
        time.sleep(0.3)
    assert statuses == ["sent"], "Olivia's request should be recorded as sent, exactly once"
    assert f"{_monitored_outstanding(db, GROUP)} actions" in seen["preview"], seen["preview"]
    assert f"Hello Olivia, please update your {len(olivia_items)} items" in seen["request"], seen["request"]
    for (ref,) in olivia_items[:5]:
        assert ref in seen["request"], f"{ref} is in the cycle but not on Olivia's request card"


def test_the_bot_logged_no_errors(stack: PlaygroundStack) -> None:
    """Whatever the pages showed, every turn of every journey above must have gone through without an error."""
    log = stack.log_dir / "bot.log"
    errors = bot_errors(log)
    assert not errors, f"the bot logged errors during the browser journeys:{errors}"


def _readme_screenshot(name: str) -> None:
    """UPDATE_README_SCREENSHOT=1 copies this journey's screenshot to docs/img/ (the README's picture)."""
    if os.environ.get("UPDATE_README_SCREENSHOT") == "1":
        README_SHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ARTIFACTS / f"{name}.png", README_SHOT)
