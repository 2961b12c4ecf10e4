"""The routing tables: which feature answers which question intent and which card verb.

Features register with decorators (`@intent(...)`, `@verb(...)`, `@pre_route`), so the activity
handler stays a thin dispatcher and each journey lives in its own module under bot/features/.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable

from questions import Intent, Question

from bot.turn import Turn

__all__ = ["IntentHandler", "VerbHandler", "PreRoute", "INTENTS", "VERBS", "PRE_ROUTES",
           "intent", "verb", "pre_route"]

IntentHandler = Callable[[Turn, Question], Awaitable[None]]
# A verb handler returns the card that replaces the one clicked (or None when it replied itself).
VerbHandler = Callable[[Turn, dict[str, Any]], Awaitable[dict[str, Any] | None]]
# A pre-route gets the first look at a typed message (e.g. an active dialog); True = handled.
PreRoute = Callable[[Turn], Awaitable[bool]]

INTENTS: dict[Intent, IntentHandler] = {}
VERBS: dict[str, VerbHandler] = {}
PRE_ROUTES: list[PreRoute] = []


def intent(*intents: Intent) -> Callable[[IntentHandler], IntentHandler]:
    def register(fn: IntentHandler) -> IntentHandler:
        for item in intents:
            if item in INTENTS:
                raise RuntimeError(f"intent {item} registered twice")
            INTENTS[item] = fn
        return fn
    return register


def verb(*names: str) -> Callable[[VerbHandler], VerbHandler]:
    def register(fn: VerbHandler) -> VerbHandler:
        for name in names:
            if name in VERBS:
                raise RuntimeError(f"verb {name} registered twice")
            VERBS[name] = fn
        return fn
    return register


def pre_route(fn: PreRoute) -> PreRoute:
    PRE_ROUTES.append(fn)
    return fn
