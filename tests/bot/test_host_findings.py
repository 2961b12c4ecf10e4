"""Issue 25's host-level findings (points 3, 4 and 10), on the real bot and on both hosts: whatever a
client sends gets a 4xx or a polite answer, with one WARNING line and no traceback."""

from __future__ import annotations

import logging
from datetime import datetime

import aiohttp
import pytest

from bot.platform import HOSTS
from config import Settings
from tests.conftest import NOW
from tests.fakes.connector import make_activity
from tests.fakes.live_bot import LiveBot

# Every invoke name Teams sends to a bot (the Bot Framework's and Teams' activity handlers list them).
INVOKE_NAMES = (
    "fileConsent/invoke",
    "composeExtension/submitAction",
    "composeExtension/query",
    "composeExtension/queryLink",
    "composeExtension/fetchTask",
    "composeExtension/selectItem",
    "composeExtension/setting",
    "composeExtension/querySettingUrl",
    "composeExtension/onCardButtonClicked",
    "composeExtension/anonymousQueryLink",
    "task/fetch",
    "task/submit",
    "tab/fetch",
    "tab/submit",
    "signin/verifyState",
    "signin/tokenExchange",
    "signin/failure",
    "actionableMessage/executeAction",
    "config/fetch",
    "config/submit",
    "message/submitAction",
    "handoff/action",
    "healthCheck",
    "adaptiveCard/search",
    "application/search",
    "",
)


def clock() -> datetime:
    return NOW


@pytest.fixture(params=HOSTS)
async def live(request, sqlite_url: str):
    settings = Settings(database_url=sqlite_url, schedules=False, bot_sdk=request.param)
    async with LiveBot.running(sqlite_url, clock=clock, settings=settings) as running:
        yield running


def _assert_quiet(caplog: pytest.LogCaptureFixture, what: str, *, most: int = 1) -> None:
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(loud) <= most, (what, [r.getMessage() for r in loud])
    assert all(r.levelno == logging.WARNING and r.exc_info is None for r in loud), what
    assert "Traceback" not in caplog.text, what


async def test_invokes_of_every_name_with_and_without_value_get_a_polite_refusal(live, caplog) -> None:
    olivia = live.user("olivia")
    await live.install(olivia)
    for name in INVOKE_NAMES:
        for value in (None, {}, [], "x", {"action": "accept", "context": {}}):
            caplog.clear()
            caplog.set_level(logging.WARNING)
            activity = live._activity(olivia, type="invoke", name=name)
            if value is not None:
                activity["value"] = value
            reply = await live.post(activity)
            assert 400 <= reply.status < 500, (name, value, reply.status)
            _assert_quiet(caplog, (name, value))
            assert reply.activities == []  # no apology either


@pytest.mark.parametrize(
    "change",
    [
        {"id": {"nested": "object"}},
        {"conversation": {"id": {"nested": "object"}}},
        {"conversation": {"id": 42}},
        {"from": {"id": ["29:a"], "aadObjectId": "x"}},
        {"from": {"id": "29:olivia", "aadObjectId": {"x": 1}}},
        {"recipient": {"id": 7}},
        {"replyToId": ["x"]},
        {"name": 3},
        {"from": "29:olivia"},
    ],
)
async def test_ids_of_the_wrong_type_are_a_400_not_an_apology(live, caplog, change) -> None:
    caplog.set_level(logging.WARNING)
    olivia = live.user("olivia")
    activity = live._activity(olivia, text="my actions")
    activity.update(change)
    reply = await live.post(activity)
    assert reply.status == 400, reply.body
    assert reply.activities == []
    _assert_quiet(caplog, change)


async def test_an_authorization_header_over_8_kb_is_refused_quietly(live, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    marker = "SECRETMARKER"
    header = "Bearer " + (marker * 800)
    activity = make_activity(live.connector.service_url, text="hello")
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{live.url}/api/messages", json=activity, headers={"Authorization": header}) as resp:
            status, body = resp.status, await resp.text()
    assert 400 <= status < 500
    assert "Traceback" not in body and len(body) < 200  # aiohttp's own 400 quotes a little of it back
    assert marker not in caplog.text and "Traceback" not in caplog.text
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(loud) == 1 and loud[0].exc_info is None, [r.getMessage() for r in loud]
