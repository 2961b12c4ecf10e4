"""The journeys are listed once (bot/features/__init__.py) and the routes are built from that list:
a journey module left off the list would answer nothing, and a verb claimed twice must fail at start-up."""

from __future__ import annotations

import pkgutil
import types

import pytest

import bot.features
from bot.features import FEATURES
from bot.routing import build_routes, intent, pre_route, verb
from questions import Intent


def test_every_journey_module_is_listed() -> None:
    modules = {f"bot.features.{m.name}" for m in pkgutil.iter_modules(bot.features.__path__)}
    assert modules == {m.__name__ for m in FEATURES}


def test_the_routes_hold_every_journey() -> None:
    routes = build_routes(FEATURES)
    assert {"greet", "ask", "decisions.show", "cycle.close", "reassign.form", "action.save"} <= set(routes.verbs)
    assert Intent.DECISIONS in routes.intents and Intent.PANEL_REPORT in routes.intents
    assert [p.__name__ for p in routes.pre_routes] == ["continue_dialog"]


def _journey(name: str, verb_name: str) -> types.ModuleType:
    module = types.ModuleType(name)

    async def handler(turn, data):  # noqa: ANN001  (a stand-in; never called)
        return None

    handler.__module__ = name
    module.handler = verb(verb_name)(handler)
    return module


def test_a_verb_claimed_twice_fails() -> None:
    with pytest.raises(RuntimeError, match="verb same.verb claimed twice"):
        build_routes([_journey("one", "same.verb"), _journey("two", "same.verb")])


def test_marking_registers_nothing_and_imported_handlers_are_not_routed_twice() -> None:
    first = _journey("first", "first.verb")
    borrower = types.ModuleType("borrower")
    borrower.handler = first.handler  # imported from another journey: routed by that journey only
    assert set(build_routes([first, borrower]).verbs) == {"first.verb"}
    assert build_routes([]).verbs == {}

    @intent(Intent.HELP)
    @pre_route
    async def both(turn, question):  # noqa: ANN001
        return None

    both.__module__ = "marked"
    marked = types.ModuleType("marked")
    marked.both = both
    routes = build_routes([marked])
    assert routes.intents == {Intent.HELP: both} and routes.pre_routes == (both,)
