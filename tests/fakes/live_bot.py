"""The real bot (bot.app.build_app) served on a random port, talking to a fake Bot Connector.

    async with LiveBot.running(database_url, clock=lambda: NOW) as live:
        await live.install(live.user("olivia"))
        reply = await live.say(live.user("olivia"), "my actions")
        assert "Your outstanding actions" in reply.card_text()

The database is migrated (and, with demo=True, filled with the demo tracker as at the clock's date).
"""

from __future__ import annotations

import json
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, AsyncIterator, Callable, Iterator

import aiohttp

from bot.app import build_app
from bot.server import start_site
from config import Settings
from store.db.engine import make_sessionmaker
from store.demo.builder import load_demo
from store.demo.data import PLAYGROUND_PEOPLE
from tests.fakes.connector import FakeConnector, make_activity
from tests.fakes.migrated import ensure_migrated

__all__ = ["LiveBot", "TeamsUser", "Reply", "card_text", "card_buttons", "card_inputs", "DEMO_USERS"]


@dataclass(frozen=True)
class TeamsUser:
    name: str
    aad_object_id: str
    user_id: str
    conversation_id: str


DEMO_USERS = {
    key: TeamsUser(name, aad, f"29:{key}", f"a:personal-{key}")
    for key, (_email, name, _group, _roles, aad) in zip(("grace", "colin", "sam", "olivia"), PLAYGROUND_PEOPLE)
}


def _nodes(node: Any, *, skip: tuple[str, ...] = ()) -> Iterator[dict[str, Any]]:
    """Every JSON object in a card, depth first, not looking under the keys in ``skip``."""
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key not in skip:
                yield from _nodes(value, skip=skip)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value, skip=skip)


def card_text(card: dict[str, Any]) -> str:
    """Every piece of text a person would read on a card (for assertions)."""
    keys = ("text", "title", "value", "label", "placeholder")
    return "\n".join(node[key] for node in _nodes(card) for key in keys if isinstance(node.get(key), str))


def card_inputs(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every input on the card, by its id."""
    return {node["id"]: node for node in _nodes(card) if str(node.get("type", "")).startswith("Input.")}


def card_buttons(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every Action.Execute on the card, in order (body ActionSets and card actions; not fallbacks)."""
    return [node for node in _nodes(card, skip=("fallback",)) if node.get("type") == "Action.Execute"]


@dataclass
class Reply:
    """What the user saw after one turn: activities that reached the connector, and the invoke body."""

    status: int
    activities: list[dict[str, Any]]
    body: Any = None

    @property
    def cards(self) -> list[dict[str, Any]]:
        out = []
        for activity in self.activities:
            for att in activity.get("attachments") or []:
                if att.get("contentType") == "application/vnd.microsoft.card.adaptive":
                    out.append(att["content"])
        if isinstance(self.body, dict) and self.body.get("type") == "application/vnd.microsoft.card.adaptive":
            out.append(self.body["value"])
        return out

    def card_text(self) -> str:
        return "\n\n".join(card_text(c) for c in self.cards) + "\n".join(a.get("text") or "" for a in self.activities)


class LiveBot:
    def __init__(self, url: str, connector: FakeConnector, http: aiohttp.ClientSession, services: Any):
        self.url, self.connector, self.http, self.services = url, connector, http, services

    @classmethod
    @asynccontextmanager
    async def running(
        cls, database_url: str, *, clock: Callable[[], datetime], demo: bool = True, settings: Settings | None = None
    ) -> AsyncIterator["LiveBot"]:
        engine = ensure_migrated(database_url)
        with make_sessionmaker(engine).begin() as session:
            if demo:
                load_demo(session, clock().date(), clock())
        engine.dispose()
        # The bot's own schedules stay off unless a test asks for them: at the fixed test clock they
        # would queue nudges into journeys that count their messages (tests/store/test_schedules.py).
        settings = settings or Settings(database_url=database_url, schedules=False)
        app, services = build_app(settings, clock)
        async with FakeConnector() as connector:
            runner, url = await start_site(app, "127.0.0.1", 0)
            try:
                async with aiohttp.ClientSession() as http:
                    yield cls(url, connector, http, services)
            finally:
                await runner.cleanup()

    @staticmethod
    def user(key: str) -> TeamsUser:
        return DEMO_USERS[key]

    def _activity(self, user: TeamsUser, **fields: Any) -> dict[str, Any]:
        return make_activity(
            self.connector.service_url,
            conversation_id=user.conversation_id,
            user_id=user.user_id,
            user_name=user.name,
            aad_object_id=user.aad_object_id,
            **fields,
        )

    async def post(self, activity: dict[str, Any], expect: int | None = None, timeout: float = 5.0) -> Reply:
        before = len(self.connector.records())
        async with self.http.post(f"{self.url}/api/messages", json=activity) as response:
            raw = await response.text()
            status = response.status
        body = json.loads(raw) if raw and raw.lstrip().startswith(("{", "[")) else raw
        if expect:
            await self.connector.wait_for(before + expect, timeout=timeout)
        new = [r.activity for r in self.connector.records()[before:] if r.activity]
        return Reply(status, new, body)

    async def install(self, user: TeamsUser) -> Reply:
        return await self.post(self._activity(user, type="installationUpdate", action="add"), expect=1)

    async def say(self, user: TeamsUser, text: str, expect: int = 1) -> Reply:
        return await self.post(self._activity(user, text=text), expect=expect)

    async def submit(self, user: TeamsUser, value: dict[str, Any], expect: int = 1) -> Reply:
        """An Action.Submit (the fallback for clients without Universal Actions)."""
        return await self.post(self._activity(user, value=value), expect=expect)

    async def click(self, user: TeamsUser, verb: str, data: dict[str, Any] | None = None, expect: int = 0) -> Reply:
        """An Action.Execute: an `adaptiveCard/action` invoke; the new card is in the HTTP body."""
        value = {"action": {"type": "Action.Execute", "verb": verb, "data": data or {}}, "trigger": "manual"}
        return await self.post(
            self._activity(user, type="invoke", name="adaptiveCard/action", value=value), expect=expect
        )
