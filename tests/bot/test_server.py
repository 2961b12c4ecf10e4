"""End to end over real HTTP: activities posted to /api/messages, replies caught by a fake connector."""

from __future__ import annotations

import gc
import logging

import aiohttp
import pytest
from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter

from bot.adapter import TrackerAdapter, build_adapter
from bot.proactive import card_activity, invoke_card_response
from bot.server import build_web_app, start_site
from config import Settings
from tests.fakes.connector import FakeConnector, make_activity


def result_card(verb: str, data: dict) -> dict:
    return {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [{"type": "TextBlock", "text": f"Saved {verb}: {data.get('status', '')}", "wrap": True}],
    }


class EchoBot(ActivityHandler):
    """Echoes text, greets on install, answers Universal Actions with a card; "boom" raises."""

    def __init__(self) -> None:
        self.connector_clients: list[object] = []

    async def on_turn(self, turn_context: TurnContext) -> None:
        self.connector_clients.append(turn_context.turn_state.get(CloudAdapter.BOT_CONNECTOR_CLIENT_KEY))
        await super().on_turn(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        text = turn_context.activity.text or ""
        if text == "boom":
            raise RuntimeError("database password=hunter2 exploded at store/secret.py:42")
        if text == "card":
            await turn_context.send_activity(card_activity(result_card("card", {}), text="Here you are"))
            return
        await turn_context.send_activity(f"You said: {text}")

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity("Hello! Thanks for installing the tracker.")

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        activity = turn_context.activity
        if activity.name == "adaptiveCard/action":
            action = (activity.value or {}).get("action", {})
            if action.get("verb") == "boom":
                raise ValueError("secret internals")
            return invoke_card_response(result_card(action.get("verb", ""), action.get("data") or {}))
        return await super().on_invoke_activity(turn_context)


class Harness:
    def __init__(
        self, adapter: TrackerAdapter, bot: EchoBot, url: str, http: aiohttp.ClientSession, connector: FakeConnector
    ) -> None:
        self.adapter, self.bot, self.url, self.http, self.connector = adapter, bot, url, http, connector
        self.state = {"healthy": True}

    async def post(self, activity: dict, **kwargs) -> aiohttp.ClientResponse:
        async with self.http.post(f"{self.url}/api/messages", json=activity, **kwargs) as resp:
            await resp.read()
            return resp


@pytest.fixture
async def connector():
    async with FakeConnector() as fake:
        yield fake


@pytest.fixture
async def harness(connector):
    adapter = build_adapter(Settings())
    bot = EchoBot()
    holder: list[Harness] = []

    async def health_check() -> None:
        if not holder[0].state["healthy"]:
            raise ConnectionError("database is not reachable")

    app = build_web_app(adapter, bot, health_check)
    runner, url = await start_site(app)
    async with aiohttp.ClientSession() as http:
        holder.append(Harness(adapter, bot, url, http, connector))
        yield holder[0]
    await runner.cleanup()


async def test_message_is_answered_200_and_echo_reaches_the_connector(harness, connector):
    resp = await harness.post(make_activity(connector.service_url, text="hello", conversation_id="a:c1"))
    assert resp.status == 200
    [reply] = await connector.wait_for(1)
    assert reply["text"] == "You said: hello"
    assert reply["conversation"]["id"] == "a:c1"
    record = connector.records("a:c1")[0]
    assert record.kind == "reply" and record.method == "POST"


async def test_installation_update_then_message(harness, connector):
    install = make_activity(connector.service_url, type="installationUpdate", action="add")
    assert (await harness.post(install)).status == 200
    assert (await harness.post(make_activity(connector.service_url, text="hi"))).status == 200
    await connector.wait_for(2)
    assert connector.texts() == ["Hello! Thanks for installing the tracker.", "You said: hi"]


async def test_card_reply_reaches_the_connector_as_an_adaptive_card(harness, connector):
    await harness.post(make_activity(connector.service_url, text="card"))
    await connector.wait_for(1)
    [card] = connector.cards()
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"


async def test_universal_action_invoke_returns_the_card_in_the_http_body(harness, connector):
    # CloudAdapter.process() in 4.17.1 answers 500 here (it re-serializes the dict body).
    invoke = make_activity(
        connector.service_url,
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": "save", "data": {"status": "implemented"}}},
    )
    async with harness.http.post(f"{harness.url}/api/messages", json=invoke) as resp:
        assert resp.status == 200
        body = await resp.json()
    assert body == {
        "statusCode": 200,
        "type": "application/vnd.microsoft.card.adaptive",
        "value": result_card("save", {"status": "implemented"}),
    }


async def test_unhandled_invoke_gets_501_not_a_hang(harness, connector):
    invoke = make_activity(connector.service_url, type="invoke", name="some/unknown", value={})
    resp = await harness.post(invoke)
    assert resp.status == 501


async def test_healthz_ok_and_unavailable(harness):
    async with harness.http.get(f"{harness.url}/healthz") as resp:
        assert resp.status == 200
        assert await resp.json() == {"status": "ok"}
    harness.state["healthy"] = False
    async with harness.http.get(f"{harness.url}/healthz") as resp:
        assert resp.status == 503
        body = await resp.json()
    assert body == {"status": "unavailable"}  # the cause (host, user names) goes to the log, not to probes


async def test_failing_handler_gives_a_plain_apology_with_a_reference(harness, connector, caplog):
    caplog.set_level(logging.ERROR, logger="bot.adapter")
    resp = await harness.post(make_activity(connector.service_url, text="boom"))
    assert resp.status == 200
    [reply] = await connector.wait_for(1)
    text = reply["text"]
    assert text.startswith("Sorry, something went wrong on our side.")
    assert "Strategy & Governance team" in text
    reference = text.rsplit("reference ", 1)[1].rstrip(".")
    assert len(reference) == 8 and int(reference, 16) >= 0
    for internal in ("Traceback", "RuntimeError", "hunter2", "secret.py", "exploded"):
        assert internal not in text
    # The log has the reference and the real exception.
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and logged[0].exc_info and "exploded" in str(logged[0].exc_info[1])


async def test_failing_invoke_still_gets_an_invoke_response(harness, connector):
    invoke = make_activity(
        connector.service_url,
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": "boom", "data": {}}},
    )
    async with harness.http.post(f"{harness.url}/api/messages", json=invoke) as resp:
        assert resp.status == 500
        body = await resp.json()
    assert body["statusCode"] == 500
    assert body["value"]["message"].startswith("Sorry, something went wrong on our side.")
    assert "secret internals" not in str(body)
    [apology] = await connector.wait_for(1)
    assert apology["text"] == body["value"]["message"]


async def test_malformed_requests(harness, connector):
    url = f"{harness.url}/api/messages"
    async with harness.http.post(url, data=b"{not json", headers={"Content-Type": "application/json"}) as resp:
        assert resp.status == 400
        assert "Malformed JSON" in await resp.text()
    async with harness.http.post(url, data=b"hello", headers={"Content-Type": "text/plain"}) as resp:
        assert resp.status == 415
    async with harness.http.post(url, json=[1, 2]) as resp:
        assert resp.status == 400
    async with harness.http.post(url, json={"text": "no type"}) as resp:
        assert resp.status == 400
        assert "no type" in await resp.text()
    no_service_url = make_activity(connector.service_url, text="x")
    del no_service_url["serviceUrl"]
    async with harness.http.post(url, json=no_service_url) as resp:
        assert resp.status == 400
    assert connector.stats()["received"] == 0


async def test_two_turns_to_one_service_url_reuse_one_connector_client(harness, connector):
    await harness.post(make_activity(connector.service_url, text="one", conversation_id="a:x"))
    await harness.post(make_activity(connector.service_url, text="two", conversation_id="a:y"))
    await connector.wait_for(2)
    first, second = harness.bot.connector_clients
    assert first is second
    assert harness.adapter.connector_clients_created == 1


async def test_teams_style_conversation_ids_survive_the_round_trip(harness, connector):
    cid = "19:abc123@thread.tacv2;messageid=1700000000000"
    await harness.post(make_activity(connector.service_url, text="in a channel", conversation_id=cid))
    [reply] = await connector.wait_for(1, conversation_id=cid)
    assert reply["text"] == "You said: in a channel"


async def test_authenticated_mode_refuses_requests_without_a_token(connector):
    settings = Settings(app_id="00000000-0000-0000-0000-00000000abcd", app_password="secret")
    adapter = build_adapter(settings)
    app = build_web_app(adapter, EchoBot(), lambda: _ok())
    runner, url = await start_site(app)
    try:
        async with aiohttp.ClientSession() as http:
            activity = make_activity(connector.service_url, text="hello")
            async with http.post(f"{url}/api/messages", json=activity) as resp:
                assert resp.status == 401
    finally:
        await runner.cleanup()
    assert connector.stats()["received"] == 0


async def _ok() -> None:
    return None


async def test_authenticated_mode_replies_with_the_bot_token(connector, monkeypatch):
    """With a (stubbed) valid channel token the reply goes out signed with the bot's own token."""
    from botframework.connector.auth import ClaimsIdentity, JwtTokenValidation, MicrosoftAppCredentials

    app_id = "00000000-0000-0000-0000-00000000abcd"

    async def accept(activity, auth_header, *args, **kwargs):
        if auth_header != "Bearer channel-token":
            raise PermissionError("bad token")
        return ClaimsIdentity({"aud": app_id, "iss": "https://api.botframework.com"}, True)

    monkeypatch.setattr(JwtTokenValidation, "authenticate_request", staticmethod(accept))
    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", lambda self, force_refresh=False: "bot-token")
    adapter = build_adapter(Settings(app_id=app_id, app_password="secret"))
    app = build_web_app(adapter, EchoBot(), _ok)
    runner, url = await start_site(app)
    try:
        async with aiohttp.ClientSession() as http:
            activity = make_activity(connector.service_url, text="hello")
            headers = {"Authorization": "Bearer channel-token"}
            async with http.post(f"{url}/api/messages", json=activity, headers=headers) as resp:
                assert resp.status == 200
            async with http.post(f"{url}/api/messages", json=activity, headers={"Authorization": "Bearer x"}) as resp:
                assert resp.status == 401
    finally:
        await runner.cleanup()
    [reply] = await connector.wait_for(1)
    assert reply["text"] == "You said: hello"
    assert connector.records()[0].authorization == "Bearer bot-token"


async def test_cloud_adapter_process_is_still_broken_for_universal_actions(connector):
    """Documents why server.py writes invoke responses itself: if this starts failing,
    botbuilder fixed CloudAdapter.process() and server.py could use it again."""
    from aiohttp import web

    adapter = build_adapter(Settings())
    bot = EchoBot()

    async def messages(request: web.Request) -> web.Response:
        return await adapter.process(request, bot)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    runner, url = await start_site(app)
    try:
        invoke = make_activity(
            connector.service_url,
            type="invoke",
            name="adaptiveCard/action",
            value={"action": {"type": "Action.Execute", "verb": "save", "data": {}}},
        )
        async with aiohttp.ClientSession() as http:
            async with http.post(f"{url}/api/messages", json=invoke) as resp:
                assert resp.status == 500
    finally:
        await runner.cleanup()
        await adapter.close()


async def test_serving_freezes_what_start_up_built(monkeypatch) -> None:
    """`app.py serve` keeps start-up's long-lived objects out of full collections (each scanned them
    all, ~100 ms with every turn in flight waiting), after the app's own start-up hooks."""
    from aiohttp import web

    from bot import server

    served: list[web.Application] = []
    monkeypatch.setattr(server.web, "run_app", lambda app, **_: served.append(app))
    app = web.Application()

    async def hook(_app: web.Application) -> None:
        pass

    app.on_startup.append(hook)
    server.serve(app, "127.0.0.1", 0)
    assert served == [app] and list(app.on_startup)[-1] is server.freeze_startup_objects
    before = gc.get_freeze_count()
    try:
        await server.freeze_startup_objects(app)
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
