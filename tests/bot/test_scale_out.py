"""Issue 11: two bot instances (own engines, own senders) on two ports share one PostgreSQL schema;
one person's turns alternate between them, and everything completes exactly as on one instance:
a dialog in progress, an update card (with its double-click protection), a cycle response."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from datetime import datetime

import aiohttp
import pytest
from sqlalchemy import select

from bot.app import build_app
from bot.server import start_site
from config import Settings
from store.db.engine import make_engine, make_sessionmaker
from store.db.migrate import upgrade
from store.db.models import Action, CycleItem
from store.db.setup import ensure_default_lists
from store.demo.builder import load_demo
from tests.bot.cycle_forms import cycle_form
from tests.bot.test_cycles_e2e import find_action
from tests.bot.test_owner_e2e import olivias_outstanding
from tests.conftest import NOW
from tests.fakes.connector import FakeConnector
from tests.fakes.live_bot import LiveBot, card_text


def clock() -> datetime:
    return NOW


async def two_instances(stack: AsyncExitStack, url: str) -> tuple[LiveBot, LiveBot]:
    engine = make_engine(url)
    upgrade(engine)
    with make_sessionmaker(engine).begin() as session:
        ensure_default_lists(session)
        load_demo(session, NOW.date(), NOW)
    engine.dispose()
    connector = await stack.enter_async_context(FakeConnector())
    http = await stack.enter_async_context(aiohttp.ClientSession())
    bots = []
    for _ in range(2):  # nothing shared but the database and the connector
        app, services = build_app(Settings(database_url=url), clock)
        runner, base = await start_site(app, "127.0.0.1", 0)
        stack.push_async_callback(runner.cleanup)
        bots.append(LiveBot(base, connector, http, services))
    return bots[0], bots[1]


async def delivered(live: LiveBot, key: str, words: str, timeout: float = 15.0) -> list[dict]:
    deadline = asyncio.get_running_loop().time() + timeout
    while not (found := [c for c in live.connector.cards(live.user(key).conversation_id) if words in card_text(c)]):
        assert asyncio.get_running_loop().time() < deadline, f"no card with {words!r} reached {key}"
        await asyncio.sleep(0.02)
    return found


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_one_persons_turns_alternate_between_two_instances(database_url: str) -> None:
    async with AsyncExitStack() as stack:
        a, b = await two_instances(stack, database_url)
        assert a.url != b.url and a.services is not b.services
        olivia, grace = a.user("olivia"), a.user("grace")
        await a.install(grace)
        await b.install(olivia)

        # a dialog in progress: started on A, answered on B, then a question on A is not swallowed
        chooser = await a.say(olivia, "update")
        assert "Which of your" in chooser.card_text()
        first = olivias_outstanding(database_url)[0]
        reply = await b.say(olivia, "1")
        assert f"Update {first}" in reply.card_text()
        question = await a.say(olivia, "what's overdue in my group")
        assert question.card_text() and "Which of your" not in question.card_text()

        # an update card: opened on A, saved on B, the same click again on A is not applied twice
        edit = await a.click(olivia, "action.edit", {"ref": first})
        save = find_action(edit.cards[0], "action.save")
        typed = {"status": "in progress", "progress_note": "Board paper drafted", "delay_reason": "Resource challenges"}
        saved = await b.click(olivia, "action.save", {**save, **typed})
        assert "Saved" in saved.card_text(), saved.card_text()
        again = await a.click(olivia, "action.save", {**save, **typed})
        assert "nothing was saved twice" in again.card_text()
        engine = make_engine(database_url)
        with make_sessionmaker(engine)() as s:
            action = s.scalar(select(Action).where(Action.ref == first))
            assert (action.version, action.last_update_note) == (save["version"] + 1, "Board paper drafted")

        # a cycle response: opened by grace across both, the request delivered by either sender,
        # answered by olivia across both, and counted once
        scope = await a.say(grace, "request updates")
        assert "Request updates" in scope.card_text()
        form = cycle_form("group", group="Met Operations", days="30", message="Before the panel, please.")
        preview = await b.click(grace, "cycle.preview", form)
        confirmed = await a.click(grace, "cycle.confirm", find_action(preview.cards[0], "cycle.confirm"), expect=1)
        assert "Update cycle 1 opened" in confirmed.card_text()
        [request] = await delivered(a, "olivia", "Update request")
        ref = find_action(request, "action.edit")["ref"]
        edit = await b.click(olivia, "action.edit", {"ref": ref})
        save = find_action(edit.cards[0], "action.save")
        saved = await a.click(
            olivia,
            "action.save",
            {**save, "status": "in progress", "progress_note": "Done in part", "delay_reason": "Resource challenges"},
        )
        assert "Saved" in saved.card_text(), saved.card_text()
        status = await b.say(grace, "cycle status")
        assert "Responded\n1 of " in status.card_text(), status.card_text()
        with make_sessionmaker(engine)() as s:
            answered = s.scalars(select(CycleItem).where(CycleItem.responded_at.is_not(None))).all()
            assert [i.responded_at for i in answered] == [NOW]  # one response, recorded once
        requests = [c for c in a.connector.cards(olivia.conversation_id) if "Update request" in card_text(c)]
        assert len(requests) == 1  # two senders, one card
        engine.dispose()
