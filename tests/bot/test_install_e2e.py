"""Issue 2 end to end over HTTP: install, greet by role, unknown users told who to ask, health."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from store.db.engine import make_engine, make_sessionmaker
from store.db.models import ConversationRef, Person
from tests.cardcheck import assert_valid_cards
from tests.conftest import NOW
from tests.fakes.live_bot import LiveBot, TeamsUser


def clock() -> datetime:
    return NOW


async def test_install_then_message_gets_the_role_greeting(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        olivia = live.user("olivia")
        installed = await live.install(olivia)
        assert installed.status == 200
        [card] = installed.cards
        text = installed.card_text()
        assert "Hello Olivia" in text and "Action owner" in text and "My actions" in text
        assert "Chief Officer" not in text and "Request updates" not in text
        # the reply went to the conversation's serviceUrl, in the user's conversation
        [record] = live.connector.records()
        assert record.conversation_id == olivia.conversation_id

        hello = await live.say(olivia, "hello")
        assert hello.status == 200 and "Hello Olivia" in hello.card_text()
        assert_valid_cards(card, *hello.cards)

    engine = make_engine(sqlite_url)
    with make_sessionmaker(engine)() as s:
        ref = s.scalar(select(ConversationRef).where(ConversationRef.user_id == olivia.user_id))
        person = s.get(Person, ref.person_id)
        assert person.email == "olivia.owen@met.police.example"
        assert ref.service_url == live.connector.service_url and ref.conversation_type == "personal"
    engine.dispose()


@pytest.mark.parametrize(
    "key, expected",
    [
        ("grace", ("Strategy & Governance", "Request updates")),
        ("colin", ("Chief Officer", "Met Operations", "Overdue in my group")),
        ("sam", ("Single point of contact", "Action owner")),
    ],
)
async def test_each_role_is_greeted_with_what_it_can_do(sqlite_url: str, key: str, expected: tuple[str, ...]) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        reply = await live.install(live.user(key))
        for words in expected:
            assert words in reply.card_text()


async def test_someone_not_on_the_tracker_is_told_who_to_ask(sqlite_url: str) -> None:
    stranger = TeamsUser("Pat Stranger", "ffffffff-0000-4000-8000-000000000000", "29:pat", "a:personal-pat")
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        reply = await live.install(stranger)
        text = reply.card_text()
        assert "couldn't find you on the audit action tracker" in text
        assert "Strategy & Governance" in text
        asked = await live.say(stranger, "what's overdue in my group")
        assert "couldn't find you" in asked.card_text() and "overdue" not in asked.card_text().lower()


async def test_person_matched_by_email_when_they_have_no_aad_id(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        with make_sessionmaker(engine).begin() as s:
            s.scalar(select(Person).where(Person.name == "Jack Turner")).aad_object_id = None
        jack = TeamsUser("Jack Turner", "aaaaaaaa-0000-4000-8000-00000000000a", "29:jack", "a:personal-jack")
        live.connector.set_members(
            None,
            [
                {
                    "id": "29:jack",
                    "name": "Jack Turner",
                    "aadObjectId": jack.aad_object_id,
                    "userPrincipalName": "JACK.TURNER@met.police.example",
                    "email": "jack.turner@met.police.example",
                }
            ],
        )
        reply = await live.install(jack)
        assert "Hello Jack" in reply.card_text()
    engine.dispose()


async def test_healthz_reports_the_database(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock, demo=False) as live:
        async with live.http.get(f"{live.url}/healthz") as response:
            assert response.status == 200
            assert (await response.json())["status"] == "ok"


async def test_healthz_is_503_when_the_database_is_down() -> None:
    import aiohttp

    from bot.app import build_app
    from bot.server import start_site
    from config import Settings

    app, _ = build_app(Settings(database_url="postgresql://nobody@127.0.0.1:1/none"), clock)
    runner, url = await start_site(app, "127.0.0.1", 0)
    try:
        async with aiohttp.ClientSession() as http, http.get(f"{url}/healthz") as response:
            assert response.status == 503
            assert (await response.json())["status"] == "unavailable"
    finally:
        await runner.cleanup()


async def test_mention_in_a_group_chat_is_ignored_when_reading_the_question(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        olivia = live.user("olivia")
        activity = live._activity(
            olivia,
            text="<at>Audit Tracker</at> hello",
            entities=[
                {
                    "type": "mention",
                    "text": "<at>Audit Tracker</at>",
                    "mentioned": {"id": "28:bot", "name": "Audit Tracker"},
                }
            ],
        )
        reply = await live.post(activity, expect=1)
        assert "Hello Olivia" in reply.card_text()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_install_announced_twice_at_once_greets_once_without_error(backend: str, tmp_path) -> None:
    """Teams sends installationUpdate and conversationUpdate(membersAdded) for one install, often together."""
    import asyncio

    from tests.fakes.databases import fresh_database_url, pg_skip_reason

    if backend == "postgresql" and (reason := pg_skip_reason()):
        pytest.skip(reason)
    from datetime import timedelta

    moment = [NOW]
    with fresh_database_url(backend, tmp_path) as url:
        async with LiveBot.running(url, clock=lambda: moment[0]) as live:
            olivia = live.user("olivia")
            install = live._activity(olivia, type="installationUpdate", action="add")
            added = live._activity(
                olivia, type="conversationUpdate", membersAdded=[{"id": "28:bot", "name": "Tracker"}]
            )
            replies = await asyncio.gather(live.post(install), live.post(added))
            assert [r.status for r in replies] == [200, 200]
            await asyncio.sleep(0.2)
            texts = [a.get("text") or "" for a in live.connector.activities()]
            assert not any("went wrong" in t for t in texts)
            assert len(live.connector.cards()) == 1 and "Hello Olivia" in str(live.connector.cards()[0])
            # a later re-install (bot removed and added again) greets again
            moment[0] = NOW + timedelta(minutes=5)
            later = await live.post(live._activity(olivia, type="installationUpdate", action="add"), expect=1)
            assert "Hello Olivia" in later.card_text()
