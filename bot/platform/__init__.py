"""The only package that imports a Teams SDK (botbuilder, msrest, microsoft_agents): see base.py.

`build_host(settings)` returns the host BOT_SDK names: the Microsoft 365 Agents SDK by default,
botbuilder 4.17.1 with BOT_SDK=botbuilder. Each SDK is imported only when its host is built.
"""

from __future__ import annotations

from typing import Any

from bot.platform.base import (
    ADAPTIVE_CARD,
    AuthenticationFailed,
    Host,
    InvokeAnswer,
    Logic,
    MalformedActivity,
    SendResult,
    SigningKeysUnavailable,
    TurnIO,
    card_message,
)
from bot.platform.facts import Facts, clean_reference, facts_of, tenant_of
from config import Settings

__all__ = [
    "ADAPTIVE_CARD",
    "AuthenticationFailed",
    "Facts",
    "Host",
    "HOSTS",
    "InvokeAnswer",
    "Logic",
    "MalformedActivity",
    "SendResult",
    "SigningKeysUnavailable",
    "TurnIO",
    "build_host",
    "card_message",
    "clean_reference",
    "facts_of",
    "tenant_of",
]

HOSTS = ("agents", "botbuilder")


def build_host(settings: Settings, *, fetch_keys: Any = None) -> Host:
    """The host for settings.bot_sdk. `fetch_keys(url) -> JSON` serves signing keys (tests)."""
    if settings.bot_sdk == "botbuilder":
        from bot.platform.botbuilder import BotbuilderHost

        return BotbuilderHost(settings, fetch_keys=fetch_keys)
    from bot.platform.agents import AgentsHost

    return AgentsHost(settings, fetch_keys=fetch_keys)
