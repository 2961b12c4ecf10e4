"""GET /metrics after a journey over HTTP, who may read it, and JSON logs without personal text."""

from __future__ import annotations

import io
import json
import logging

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.observe import may_read_metrics, turn_kind
from config import Settings
from domain.messages import Request
from observability.logs import JsonFormatter
from observability.metrics import send_outcome
from store.db.engine import make_engine, make_sessionmaker
from store.outbox.queue import NOT_INSTALLED, NewMessage, enqueue, status_counts
from tests.conftest import NOW
from tests.fakes.live_bot import LiveBot


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def _scrape(live: LiveBot, **headers: str) -> tuple[int, str]:
    async with live.http.get(f"{live.url}/metrics", headers=headers) as response:
        return response.status, await response.text()


async def test_metrics_show_turns_sql_and_the_outbox_after_a_journey(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=lambda: NOW) as live:
        status, before_text = await _scrape(live)
        assert status == 200
        before = _samples(before_text)
        olivia = live.user("olivia")
        await live.install(olivia)
        reply = await live.say(olivia, "my actions")
        assert reply.cards, "the journey itself worked"
        # Two messages to someone who never installed the bot: they wait in the outbox as not_installed.
        engine = make_engine(sqlite_url)
        with make_sessionmaker(engine).begin() as session:
            enqueue(
                session,
                [NewMessage(Request("", None, ()), f"metrics-test-{i}", status=NOT_INSTALLED) for i in (1, 2)],
                NOW,
            )
        with make_sessionmaker(engine)() as session:
            in_db = status_counts(session)
        engine.dispose()

        status, text = await _scrape(live)
        after = _samples(text)

    def delta(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert status == 200
    assert delta("tracker_turns_total", kind="message", outcome="ok") == 1
    assert delta("tracker_turns_total", kind="install", outcome="ok") >= 1
    assert delta("tracker_turn_duration_seconds_count", kind="message") == 1
    assert delta("tracker_sql_duration_seconds_count", statement="select") > 0
    assert after[("tracker_outbox_messages", (("status", "not_installed"),))] == in_db[NOT_INSTALLED] == 2
    assert after[("tracker_outbox_messages", (("status", "queued"),))] == in_db["queued"]
    assert ("tracker_sends_total", (("outcome", "throttled"),)) in after


async def test_metrics_token_lets_a_caller_in_and_a_wrong_one_does_not(sqlite_url: str) -> None:
    settings = Settings(database_url=sqlite_url, metrics_token="s3cret-token")
    async with LiveBot.running(sqlite_url, clock=lambda: NOW, demo=False, settings=settings) as live:
        status, _ = await _scrape(live, Authorization="Bearer s3cret-token")
        assert status == 200


@pytest.mark.parametrize(
    "remote, header, token, allowed",
    [
        ("127.0.0.1", "", "", True),
        ("::1", "", "", True),
        ("10.1.2.3", "", "", False),  # remote, no token configured
        ("10.1.2.3", "", "tok", False),  # remote, token configured, none sent
        ("10.1.2.3", "Bearer wrong", "tok", False),
        ("10.1.2.3", "Bearer tok", "tok", True),
        ("10.1.2.3", "Bearer ", "", False),  # an empty configured token never matches
        (None, "", "", False),
    ],
)
def test_who_may_read_metrics(remote, header, token, allowed) -> None:
    assert may_read_metrics(remote, header, token) is allowed


def test_labels_for_turns_and_sends() -> None:
    assert turn_kind("invoke", "adaptiveCard/action") == "card_action"
    assert turn_kind("installationUpdate", None) == "install"
    assert send_outcome("retry", 429) == "throttled"
    assert send_outcome("retry", 503) == "retry"


async def test_json_logs_name_the_turn_and_never_what_people_typed(sqlite_url: str) -> None:
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    secret = "zebra-quartz-personal-words"
    try:
        async with LiveBot.running(sqlite_url, clock=lambda: NOW) as live:
            olivia = live.user("olivia")
            await live.install(olivia)
            logging.getLogger("tests.ops").info("marker outside any turn")
            await live.say(olivia, f"what about {secret}")
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    lines = [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]
    assert lines, "the journey logged something"
    assert all(
        {"ts", "level", "logger", "message", "correlation_id", "turn_id", "conversation_id"} <= set(e) for e in lines
    )
    assert secret not in buffer.getvalue()
    in_turns = [e for e in lines if e["turn_id"]]
    assert in_turns and all(e["conversation_id"] == olivia.conversation_id and e["correlation_id"] for e in in_turns)


async def test_metrics_route_refuses_a_remote_client_without_the_token() -> None:
    from types import SimpleNamespace
    from unittest.mock import MagicMock

    from aiohttp import web
    from aiohttp.test_utils import make_mocked_request

    from bot.observe import add_metrics_route

    async def no_database(*_args, **_kwargs):
        raise AssertionError("a refused caller must not cost a database query")

    services = SimpleNamespace(settings=Settings(metrics_token="tok"), run=no_database)
    app = web.Application()
    add_metrics_route(app, services)  # type: ignore[arg-type]
    transport = MagicMock()
    transport.get_extra_info.side_effect = lambda name, default=None: (
        ("10.1.2.3", 40000) if name == "peername" else default
    )
    request = make_mocked_request(
        "GET", "/metrics", headers={"Authorization": "Bearer nope"}, app=app, transport=transport
    )
    match = await app.router.resolve(request)
    response = await match.handler(request)
    assert response.status == 403
    assert "METRICS_TOKEN" in response.text
