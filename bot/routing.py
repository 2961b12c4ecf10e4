"""The routing tables: which feature answers which question intent and which card verb.

A journey's module under bot/features/ marks its handlers (`@intent(...)`, `@verb(...)`,
`@pre_route`); marking registers nothing. bot/features/__init__.py lists the journeys, and
:func:`build_routes` (called once, in bot/app.py) reads the marks of the listed modules into the
tables the activity handler dispatches on, refusing any intent or verb claimed twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any, Awaitable, Callable, TypeVar

from questions import Intent, Question

if TYPE_CHECKING:
    from bot.turn import Turn

__all__ = ["IntentHandler", "VerbHandler", "PreRoute", "Routes", "build_routes", "intent", "verb", "pre_route"]

IntentHandler = Callable[["Turn", Question], Awaitable[None]]
# A verb handler returns the card that replaces the one clicked (or None when it replied itself).
VerbHandler = Callable[["Turn", dict[str, Any]], Awaitable[dict[str, Any] | None]]
# A pre-route gets the first look at a typed message (e.g. an active dialog); True = handled.
PreRoute = Callable[["Turn"], Awaitable[bool]]

F = TypeVar("F", bound=Callable[..., Any])
# Attributes the marks leave on a handler (read only by build_routes).
_INTENTS, _VERBS, _PRE_ROUTE = "_routes_intents", "_routes_verbs", "_routes_pre_route"


@dataclass(frozen=True)
class Routes:
    intents: Mapping[Intent, IntentHandler] = field(default_factory=dict)
    verbs: Mapping[str, VerbHandler] = field(default_factory=dict)
    pre_routes: tuple[PreRoute, ...] = ()


def intent(*intents: Intent) -> Callable[[F], F]:
    def mark(fn: F) -> F:
        setattr(fn, _INTENTS, (*getattr(fn, _INTENTS, ()), *intents))
        return fn

    return mark


def verb(*names: str) -> Callable[[F], F]:
    def mark(fn: F) -> F:
        setattr(fn, _VERBS, (*getattr(fn, _VERBS, ()), *names))
        return fn

    return mark


def pre_route(fn: F) -> F:
    setattr(fn, _PRE_ROUTE, True)
    return fn


def build_routes(features: Iterable[ModuleType]) -> Routes:
    """The tables for the listed journey modules; pre-routes run in list order, then definition order."""
    intents: dict[Intent, IntentHandler] = {}
    verbs: dict[str, VerbHandler] = {}
    pre_routes: list[PreRoute] = []
    for module in features:
        for handler in vars(module).values():
            if not callable(handler) or getattr(handler, "__module__", None) != module.__name__:
                continue  # a handler imported from another journey is routed by that journey
            for key in getattr(handler, _INTENTS, ()):
                if key in intents:
                    raise RuntimeError(f"intent {key} claimed twice (again by {module.__name__})")
                intents[key] = handler
            for name in getattr(handler, _VERBS, ()):
                if name in verbs:
                    raise RuntimeError(f"verb {name} claimed twice (again by {module.__name__})")
                verbs[name] = handler
            if getattr(handler, _PRE_ROUTE, False):
                pre_routes.append(handler)
    return Routes(intents=intents, verbs=verbs, pre_routes=tuple(pre_routes))
