"""Issue 21 point 8: a bulk decision, and a cycle started from the tab whose progress updates while an
owner answers through the bot, in headless chromium (tests/browser/tab_cycle.js).

The real bot app serves both the tab and /api/messages (tests/fakes/live_bot.py: the fake Bot
Connector receives what the bot's own outbox sender delivers). Grace decides two proposals at once;
opens a cycle for Met Operations in the tab; Olivia gets her request card from the sender and
updates an action from it through the bot, as in Teams; the tab's progress moves without a reload.
Then Colin, chief officer of Met Operations, sees his group's figures and nudges its non-responders.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from store.db.engine import make_engine, make_sessionmaker
from store.db.models import DueDateProposal, HistoryEntry, OutboxMessage
from tests.browser.harness import ROOT
from tests.browser.tab_harness import DRIVERS, tab_shots
from tests.conftest import NOW
from tests.fakes.bot_thread import BotThread
from tests.fakes.live_bot import LiveBot, card_buttons, card_text
from tests.web.test_decisions import propose

pytestmark = pytest.mark.browser
SCRIPT = DRIVERS / "tab_cycle.js"


async def _olivia_answers(live: LiveBot, timeout: float = 20.0) -> str:
    """Olivia's request card arrives from the bot's sender; she updates its first action through the
    bot's own update flow (the card's Update, then Save), as she would in Teams."""
    conversation = live.user("olivia").conversation_id
    deadline = asyncio.get_running_loop().time() + timeout
    while not (cards := [c for c in live.connector.cards(conversation) if "Update request" in card_text(c)]):
        assert asyncio.get_running_loop().time() < deadline, "Olivia's request card never arrived"
        await asyncio.sleep(0.05)
    edit = next(b for b in card_buttons(cards[0]) if b.get("verb") == "action.edit")
    opened = await live.click(live.user("olivia"), "action.edit", edit["data"])
    save = next(b for b in card_buttons(opened.cards[0]) if b.get("verb") == "action.save")
    saved = await live.click(
        live.user("olivia"),
        "action.save",
        {
            **save["data"],
            "status": "in progress",
            "progress_note": "Draft with the board",
            "delay_reason": "Resource challenges",
        },
    )
    assert "Saved" in saved.card_text(), saved.card_text()
    return str(edit["data"]["ref"])


def _lines(process: subprocess.Popen[str]) -> "queue.Queue[str]":
    found: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            found.put(line.rstrip("\n"))
        found.put("EOF")

    threading.Thread(target=read, daemon=True).start()
    return found


def _drive(
    bot: BotThread, args: dict[str, Any], timeout: float = 240, *, script: Path = SCRIPT
) -> tuple[dict[str, Any], str]:
    """Run a driver that pauses at `STARTED` for Olivia to answer through the bot (tab_quarter.js too)."""
    process = subprocess.Popen(
        ["node", str(script), json.dumps(args)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    lines, seen, answered = _lines(process), [], ""
    deadline = time.monotonic() + timeout
    try:
        while True:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            seen.append(line)
            if line.startswith("STARTED"):
                answered = bot.call(_olivia_answers(bot.live), timeout=60)
                assert process.stdin is not None
                process.stdin.write("ANSWERED\n")
                process.stdin.flush()
            elif line.startswith("RESULT "):
                process.wait(timeout=30)
                return json.loads(line[len("RESULT ") :]), answered
            elif line == "EOF":
                stderr = process.stderr.read() if process.stderr else ""
                pytest.fail(f"{script.name} failed; screenshots in {args['shots']}\n{stderr}\n" + "\n".join(seen))
    except queue.Empty:
        pytest.fail(f"{script.name} did not finish in {timeout:.0f} s\n" + "\n".join(seen))
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def test_bulk_decision_and_a_cycle_whose_progress_follows_an_owner_answering_in_the_bot(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/tracker.db"
    shots = tab_shots()
    with BotThread(url, clock=lambda: NOW) as bot:
        for key in ("grace", "olivia", "sam", "colin"):  # each has the bot installed: the sender reaches them
            bot.call(bot.live.install(bot.live.user(key)))
        made = propose(url, 2)
        result, answered = _drive(bot, {"base": bot.live.url, "shots": str(shots), "refs": [r for _i, r, _d in made]})

    assert result["errors"] == [], "no script error and no CSP violation"
    assert result["axe"] == [], "axe-core: no serious or critical violation"
    # the bulk decision: the bot's words for each, both gone from the list, the history naming Grace in the tab
    assert result["outcomes"] == [f"{ref}: revised due date {day} accepted" for _i, ref, day in made]
    assert result["stillListed"] == 0
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        assert set(s.scalars(select(DueDateProposal.decision))) == {"accepted"}
        actors = set(
            s.execute(
                select(HistoryEntry.actor, HistoryEntry.channel).where(
                    HistoryEntry.entity_ref.in_([r for _i, r, _d in made]), HistoryEntry.entity == "decision"
                )
            )
        )
        kinds = [k for (k,) in s.execute(select(OutboxMessage.kind))]
    engine.dispose()
    assert actors == {("grace.gordon@met.police.example", "tab")}
    # the cycle: the bot's preview, started from the tab; the page followed Olivia's answer by itself
    assert "7 owners will each get one card listing their items: 49 actions" in result["preview"]
    assert result["rateBefore"] == "Responded: 0 of 49 (0%)"
    assert result["rateAfter"] == "Responded: 1 of 49 (2%)" and result["sameDocument"], "no reload"
    assert answered and kinds.count("request") == 7 and "outcome" in kinds and "progress" in kinds
    # the chief officer: his group's figures and charts, the cycle in his group only, the nudge
    assert result["figureHeadings"][:3] == ["Summary", "Overdue actions", "Delay reasons"]
    assert "49 outstanding in Met Operations, 16 overdue (33%)" in result["summary"]
    assert result["chartTitles"] and result["cycleGroups"] == ["Met Operations"]
    assert "to owners" in result["nudged"]
