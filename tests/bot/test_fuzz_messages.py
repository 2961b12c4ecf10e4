"""Issue 10 point 8: generated activities against /api/messages of the real app, for a bounded time.

Hypothesis builds activities of every type with texts full of control and bidi characters, card data
of any shape (lists, strings, "inf", "1e30", 10**30, dates in year 9999), missing fields, real and
made-up refs, as the demo's users and as strangers. After each one:

* the HTTP status is never 500 (nor any 5xx: nothing here is the signing keys being unreachable);
* nothing the user is shown carries a traceback, an exception's name, or the failed-turn apology
  (a turn that failed was a crash, even when it was caught politely);
* no stored text breaks the input-cleaning rule (no control characters but newline and tab, no bidi
  overrides), no stored date lies past the ten-year bound, history is append-only (earlier rows
  unchanged), and the tables no activity may touch (groups, roles, audits, lists) are unchanged.

The activities come from fuzz_activities.py, the checks from fuzz_checks.py. The run is bounded by
FUZZ_EXAMPLES (default 30 on SQLite, 15 on PostgreSQL); set it higher to hunt locally.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import given

from config import Settings
from tests.bot.fuzz_activities import activities, refs_in
from tests.bot.fuzz_checks import LEAKS, Snapshot, shown
from tests.bot.properties import live_settings
from tests.conftest import NOW
from tests.fakes.bot_thread import BotThread
from tests.fakes.connector import make_activity
from tests.fakes.databases import fresh_database_url, pg_skip_reason
from tests.fakes.live_bot import DEMO_USERS

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))  # SQLite; PostgreSQL gets half


@pytest.fixture(scope="module", params=["sqlite-agents", "sqlite-botbuilder", "postgresql-agents"])
def fuzz_bot(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """One bot per backend and host for the module (PostgreSQL refuses a NUL that SQLite stores)."""
    backend, sdk = request.param.split("-")
    if backend == "postgresql" and (reason := pg_skip_reason()):
        pytest.skip(reason)
    with fresh_database_url(backend, tmp_path_factory.mktemp("fuzz")) as url:
        settings = Settings(database_url=url, schedules=False, bot_sdk=sdk)
        with BotThread(url, clock=lambda: NOW, settings=settings) as bot:
            for user in DEMO_USERS:
                bot.call(bot.live.install(bot.live.user(user)))
            snapshot = Snapshot(url)
            yield bot, url, refs_in(url), snapshot
            snapshot.engine.dispose()


def test_generated_activities_never_crash_leak_or_corrupt(fuzz_bot) -> None:
    bot, url, refs, snapshot = fuzz_bot
    examples = EXAMPLES if url.startswith("sqlite") else max(1, EXAMPLES // 2)

    @live_settings(examples)
    @given(activity=activities(bot.live.connector.service_url, refs))
    def one(activity: dict[str, Any]) -> None:
        reply = bot.post(activity)
        # Any 5xx is a crash: an invoke this bot does not implement gets a 400, never the SDKs' 501
        assert reply.status < 500, f"{reply.status} for {activity!r}: {reply.body!r}"
        seen = shown(reply)
        assert not LEAKS.search(seen), f"internals shown to the user: {seen[:400]!r}"
        snapshot.check()

    one()


def _shape(service_url: str, case: str) -> dict[str, Any]:
    olivia = DEMO_USERS["olivia"]
    activity = make_activity(
        service_url,
        user_id=olivia.user_id,
        aad_object_id=olivia.aad_object_id,
        conversation_id=olivia.conversation_id,
        text="my actions",
    )
    if case == "message without recipient":
        activity.pop("recipient")
    elif case == "message without from":
        activity.pop("from")
    elif case == "bot added, no recipient":
        activity.update(type="conversationUpdate", membersAdded=[{"id": "28:bot"}])
        activity.pop("recipient")
    elif case == "member added the roster does not know":
        activity.update(type="conversationUpdate", membersAdded=[{"id": "29:gone"}])
    elif case == "messaging extension with a list value":
        activity.update(type="invoke", name="composeExtension/query", value=[])
    elif case == "card action whose data is a string":
        activity.update(
            type="invoke",
            name="adaptiveCard/action",
            value={"action": {"type": "Action.Execute", "verb": "action.save", "data": "1537-11-30"}},
        )
    elif case == "page of inf":
        activity.update(
            type="invoke",
            name="adaptiveCard/action",
            value={"action": {"type": "Action.Execute", "verb": "decisions.show", "data": {"page": "inf"}}},
        )
    return activity


@pytest.mark.parametrize(
    "case",
    [
        "message without recipient",
        "message without from",
        "bot added, no recipient",
        "member added the roster does not know",
        "messaging extension with a list value",
        "card action whose data is a string",
        "page of inf",
    ],
)
def test_shapes_the_fuzzer_found_fail_no_turn(fuzz_bot, case: str) -> None:
    """Each of these once failed the turn (an apology, or a 500 for an invoke)."""
    bot, _url, _refs, snapshot = fuzz_bot
    activity = _shape(bot.live.connector.service_url, case)
    reply = bot.post(activity)
    assert reply.status < 500, reply.body
    assert not LEAKS.search(shown(reply)), shown(reply)
    snapshot.check()
