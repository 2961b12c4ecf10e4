"""Both hosts of bot/platform, for tests that must hold whichever SDK runs the bot.

`HOSTS` parametrises a fixture; `serve_echo` serves a small echo bot (not the tracker) through a host,
with the server's real request pipeline; `stub_bot_token` makes either SDK hand out a fixed token
for outgoing calls, as msal would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.handler import answer_failure
from bot.platform import HOSTS, Host, InvokeAnswer, TurnIO, build_host, card_message
from bot.server import build_web_app, start_site
from config import Settings

__all__ = ["HOSTS", "EchoLogic", "Served", "serve_echo", "stub_bot_token", "result_card"]


def result_card(verb: str, data: dict) -> dict:
    return {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [{"type": "TextBlock", "text": f"Saved {verb}: {data.get('status', '')}", "wrap": True}],
    }


@dataclass
class EchoLogic:
    """Echoes text, greets on install, answers Universal Actions with a card; "boom" raises.
    Typing "update" updates the message sent before; "who" looks the sender up in the roster."""

    facts: list[Any] = field(default_factory=list)
    sent: list[str | None] = field(default_factory=list)

    async def __call__(self, io: TurnIO) -> InvokeAnswer | None:
        try:
            return await self._turn(io)
        except Exception as error:  # noqa: BLE001 - as bot/handler.py does
            return await answer_failure(io, error, "the Strategy & Governance team")

    async def _turn(self, io: TurnIO) -> InvokeAnswer | None:
        facts = io.facts
        self.facts.append(facts)
        if facts.type == "installationUpdate":
            self.sent.append(await io.send({"type": "message", "text": "Hello! Thanks for installing the tracker."}))
        elif facts.type == "message":
            if facts.text == "boom":
                raise RuntimeError("database password=hunter2 exploded at store/secret.py:42")
            if facts.text == "card":
                self.sent.append(await io.send(card_message(result_card("card", {}), "Here you are")))
            elif facts.text == "update":
                await io.update(self.sent[-1] or "", card_message(result_card("updated", {})))
            elif facts.text == "who":
                member = await io.member(facts.user_id or "")
                self.sent.append(await io.send({"type": "message", "text": f"You are {(member or {}).get('email')}"}))
            else:
                self.sent.append(await io.send({"type": "message", "text": f"You said: {facts.text}"}))
        elif facts.type == "invoke" and facts.name == "adaptiveCard/action":
            action = (facts.value or {}).get("action", {})
            if action.get("verb") == "boom":
                raise ValueError("secret internals")
            return InvokeAnswer.of_card(result_card(action.get("verb", ""), action.get("data") or {}))
        return None


@dataclass
class Served:
    host: Host
    logic: EchoLogic
    url: str
    http: aiohttp.ClientSession
    state: dict[str, Any] = field(default_factory=lambda: {"healthy": True})

    async def post(self, activity: Any, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        async with self.http.post(f"{self.url}/api/messages", json=activity, headers=headers or {}) as resp:
            raw = await resp.text()
            body = None
            if resp.content_type == "application/json" and raw:
                import json

                body = json.loads(raw)
            return resp.status, body if body is not None else raw


class serve_echo:  # noqa: N801 - used as `async with serve_echo(...)`
    def __init__(self, sdk: str, settings: Settings | None = None, *, fetch_keys: Any = None) -> None:
        base = settings or Settings()
        self.settings = Settings(**{**base.__dict__, "bot_sdk": sdk})
        self.fetch_keys = fetch_keys

    async def __aenter__(self) -> Served:
        host = build_host(self.settings, fetch_keys=self.fetch_keys)
        logic = EchoLogic()
        state: dict[str, Any] = {"healthy": True}

        async def health_check() -> None:
            if not state["healthy"]:
                raise ConnectionError("database is not reachable")

        app = build_web_app(host, logic, health_check, allowed_tenants=self.settings.allowed_tenant_ids)
        self._runner, url = await start_site(app)
        self._http = aiohttp.ClientSession()
        return Served(host, logic, url, self._http, state)

    async def __aexit__(self, *exc: Any) -> None:
        await self._http.close()
        await self._runner.cleanup()


def stub_bot_token(monkeypatch: Any, token: str = "bot-token", asked: list[str] | None = None) -> None:
    """Both SDKs' outgoing token (msal's, in real life) becomes `token`; `asked` records each request."""
    from botframework.connector.auth import MicrosoftAppCredentials
    from microsoft_agents.authentication.msal import MsalAuth

    def botbuilder_token(self: Any, force_refresh: bool = False) -> str:
        if asked is not None:
            asked.append(self.microsoft_app_id)
        return token

    async def agents_token(self: Any, resource_url: str, scopes: list[str], force_refresh: bool = False) -> str:
        if asked is not None:
            asked.append(self._msal_configuration.CLIENT_ID)
        return token

    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", botbuilder_token)
    monkeypatch.setattr(MsalAuth, "get_access_token", agents_token)
