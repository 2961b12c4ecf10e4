"""ProactiveSender against the fake Bot Connector, on both hosts (bot/platform): one attempt, failures
surfaced with their status."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.platform import HOSTS, InvokeAnswer, build_host, facts_of
from bot.proactive import ProactiveSender, SendResult, card_activity
from config import Settings
from tests.bot.hosts import stub_bot_token
from tests.fakes.connector import FakeConnector, make_activity

CARD = {
    "type": "AdaptiveCard",
    "version": "1.5",
    "body": [{"type": "TextBlock", "text": "Please update your actions by 31 March.", "wrap": True}],
}


def reference_for(service_url: str, conversation_id: str) -> dict:
    """A reference as the bot stores it (bot/platform/facts.py)."""
    return facts_of(make_activity(service_url, conversation_id=conversation_id, text="hi")).reference()


def botbuilder_reference(service_url: str, conversation_id: str) -> dict:
    """A reference as botbuilder 4.17 stored it: empty strings the Agents SDK's models refuse."""
    return {
        "activityId": "",
        "user": {
            "id": "29:user-1",
            "name": "Test User",
            "aadObjectId": "00000000-0000-0000-0000-000000000001",
            "role": "",
        },
        "bot": {"id": "28:bot", "name": "Tracker", "role": ""},
        "conversation": {"id": conversation_id, "conversationType": "personal", "tenantID": "tenant-1", "name": ""},
        "channelId": "msteams",
        "locale": "",
        "serviceUrl": service_url,
    }


@pytest.fixture
async def connector():
    async with FakeConnector() as fake:
        yield fake


@pytest.fixture(params=HOSTS)
async def host(request):
    host = build_host(Settings(bot_sdk=request.param))
    yield host
    await host.close()


@pytest.fixture
def sender(host):
    return ProactiveSender(host, timeout=0.5)


async def test_send_card_ok(sender, connector):
    result = await sender.send(reference_for(connector.service_url, "a:ok"), CARD)
    assert result.ok and result.status == 200
    assert result.activity_id and result.error is None and result.retry_after is None
    [activity] = connector.activities("a:ok")
    assert activity["id"] == result.activity_id
    assert activity["from"]["id"] == "28:bot" and activity["recipient"]["id"] == "29:user-1"
    assert connector.cards("a:ok") == [CARD]
    [record] = connector.records("a:ok")
    assert record.kind == "send" and record.reply_to_id is None
    assert record.authorization is None  # anonymous local mode


async def test_send_plain_activity_dict(sender, connector):
    result = await sender.send(reference_for(connector.service_url, "a:text"), {"type": "message", "text": "Hi"})
    assert result.ok
    assert connector.texts("a:text") == ["Hi"]


async def test_update_replaces_the_card(sender, connector):
    ref = reference_for(connector.service_url, "a:upd")
    sent = await sender.send(ref, CARD)
    new_card = {**CARD, "body": [{"type": "TextBlock", "text": "Thanks, all done."}]}
    updated = await sender.update(ref, sent.activity_id, new_card)
    assert updated == SendResult(ok=True, status=200, activity_id=sent.activity_id)
    records = connector.records("a:upd")
    assert [(r.kind, r.method) for r in records] == [("send", "POST"), ("update", "PUT")]
    assert records[1].activity_id == sent.activity_id
    assert connector.cards("a:upd") == [CARD, new_card]


async def test_429_surfaces_retry_after_and_is_not_retried(sender, connector):
    connector.fail("a:busy", [429], retry_after=7)
    result = await sender.send(reference_for(connector.service_url, "a:busy"), CARD)
    assert not result.ok and result.status == 429 and result.retry_after == 7.0
    assert "429" in result.error
    assert connector.stats()["received"] == 1  # exactly one attempt
    assert (await sender.send(reference_for(connector.service_url, "a:busy"), CARD)).ok


async def test_global_rate_limit_answers_429(host, connector):
    connector.set_rate_limit(2, burst=2)
    sender = ProactiveSender(host, timeout=2)
    results = [await sender.send(reference_for(connector.service_url, f"a:r{i}"), CARD) for i in range(4)]
    assert [r.status for r in results] == [200, 200, 429, 429]
    assert 0 < results[2].retry_after <= 1.0
    assert connector.stats() == {"received": 4, "accepted": 2, "rejected": 2, "rejected_by_status": {429: 2}}


@pytest.mark.parametrize(("fault", "status"), [("block", 403), ("missing", 404)])
async def test_final_failures(sender, connector, fault, status):
    getattr(connector, fault)("a:gone")
    result = await sender.send(reference_for(connector.service_url, "a:gone"), CARD)
    assert not result.ok and result.status == status and result.retry_after is None
    assert str(status) in result.error
    assert connector.activities("a:gone") == []
    assert connector.stats()["rejected_by_status"] == {status: 1}


async def test_503_then_recovers_without_internal_retry(sender, connector):
    connector.fail("a:flaky", [503, 503])
    ref = reference_for(connector.service_url, "a:flaky")
    statuses = [(await sender.send(ref, CARD)).status for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert connector.stats()["received"] == 3
    assert connector.delivered_counts()["a:flaky"] == 1


async def test_timeout_has_no_status(sender, connector):
    connector.delay("a:slow", 2.0)
    started = time.monotonic()
    result = await sender.send(reference_for(connector.service_url, "a:slow"), CARD)
    assert time.monotonic() - started < 1.5
    assert result == SendResult(ok=False, status=None, error="timeout")


async def test_unreachable_connector_is_a_connection_error(sender):
    ref = reference_for("http://127.0.0.1:9/", "a:none")  # discard port: nothing listens
    result = await sender.send(ref, CARD)
    assert not result.ok and result.status is None and result.error


async def test_invalid_reference(sender):
    result = await sender.send({"conversation": {"id": "a:x"}}, CARD)
    assert not result.ok and result.status is None and "reference" in result.error


async def test_a_reference_botbuilder_stored_still_works(sender, connector):
    """Its empty strings (locale, role, activityId) would fail the Agents SDK's model."""
    result = await sender.send(botbuilder_reference(connector.service_url, "a:old"), CARD)
    assert result.ok, result.error
    assert connector.cards("a:old") == [CARD]


async def test_agents_sends_reuse_one_connector_client(connector):
    host = build_host(Settings())
    try:
        for i in range(5):
            assert (await ProactiveSender(host).send(reference_for(connector.service_url, f"a:c{i}"), CARD)).ok
        assert host.clients.created == 1
    finally:
        await host.close()


async def test_many_concurrent_sends(host, connector):
    sender = ProactiveSender(host, timeout=5)
    refs = [reference_for(connector.service_url, f"a:bulk{i}") for i in range(200)]
    results = await asyncio.gather(*(sender.send(ref, CARD) for ref in refs))
    assert all(r.ok for r in results)
    counts = connector.delivered_counts()
    assert len(counts) == 200 and set(counts.values()) == {1}


@pytest.mark.parametrize("sdk", HOSTS)
async def test_authenticated_mode_sends_a_bearer_token(connector, monkeypatch, sdk):
    asked: list[str] = []
    stub_bot_token(monkeypatch, "test-token", asked)
    host = build_host(Settings(app_id="app-1", app_password="pw", bot_sdk=sdk))
    try:
        sender = ProactiveSender(host)
        refs = [reference_for(connector.service_url, f"a:t{i}") for i in range(20)]
        results = await asyncio.gather(*(sender.send(ref, CARD) for ref in refs))
        assert all(r.ok for r in results)
    finally:
        await host.close()
    assert [r.authorization for r in connector.records()] == ["Bearer test-token"] * 20
    if sdk == "agents":
        assert asked == ["app-1"]  # one token for a burst of concurrent sends, then reused


@pytest.mark.parametrize("sdk", HOSTS)
async def test_token_failure_is_reported_not_raised(connector, monkeypatch, sdk):
    from botframework.connector.auth import MicrosoftAppCredentials
    from microsoft_agents.authentication.msal import MsalAuth

    def no_token(self, *args, **kwargs) -> str:
        raise PermissionError("Failed to get access token with error: invalid_client")

    async def no_agents_token(self, *args, **kwargs) -> str:
        raise ValueError("Failed to acquire token: invalid_client")

    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", no_token)
    monkeypatch.setattr(MsalAuth, "get_access_token", no_agents_token)
    host = build_host(Settings(app_id="app-1", app_password="wrong", bot_sdk=sdk))
    try:
        result = await ProactiveSender(host).send(reference_for(connector.service_url, "a:t"), CARD)
    finally:
        await host.close()
    assert not result.ok and result.status is None and result.error
    assert connector.stats()["received"] == 0


def test_background_connector_for_sync_code():
    with FakeConnector() as connector:

        async def go() -> SendResult:
            host = build_host(Settings())
            try:
                return await ProactiveSender(host).send(reference_for(connector.service_url, "a:sync"), CARD)
            finally:
                await host.close()

        loop = asyncio.new_event_loop()  # not asyncio.run: leave pytest-asyncio's loop alone
        try:
            assert loop.run_until_complete(go()).ok
        finally:
            loop.close()
        assert connector.wait_for_blocking(1, timeout=2)[0]["conversation"]["id"] == "a:sync"


def test_card_helpers():
    activity = card_activity(CARD, text="Your actions")
    assert activity["type"] == "message" and activity["text"] == "Your actions"
    [attachment] = activity["attachments"]
    assert attachment == {"contentType": "application/vnd.microsoft.card.adaptive", "content": CARD}
    response = InvokeAnswer.of_card(CARD)
    assert response.status == 200
    assert response.body == {"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": CARD}
    assert response.card == CARD and InvokeAnswer.of_message("Done").card is None


def test_invoke_answers_have_the_universal_actions_shapes():
    assert InvokeAnswer.of_message("Done").body == {
        "statusCode": 200,
        "type": "application/vnd.microsoft.activity.message",
        "value": "Done",
    }
    error = InvokeAnswer.of_error(400, "BadRequest", "This app does not support that action.")
    assert (error.status, error.body) == (
        400,
        {
            "statusCode": 400,
            "type": "application/vnd.microsoft.error",
            "value": {"code": "BadRequest", "message": "This app does not support that action."},
        },
    )
