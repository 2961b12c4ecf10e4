"""Greeting, help, and turning typed words (or an 'ask' button) into a routed question."""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import replace
from datetime import date
from typing import Any

from bot.routing import intent, verb
from bot.services import BotServices, CachedVocabulary
from bot.turn import Turn
from cards.greeting import GreetingData, greeting_card, not_on_tracker_card
from cards.help import help_card, question_too_long_card, suggestions_card, which_person_card
from domain.text import MAX_QUESTION, clean
from questions import EXAMPLES, Intent, Question, Vocabulary, parse, suggest
from store.queries.names import known_names

__all__ = ["greet", "ask", "show_help"]

log = logging.getLogger(__name__)
_GREETINGS = re.compile(r"^(hi|hello|hey|hiya|start|good (morning|afternoon|evening))\b[\s!.]*$", re.I)
_ROLE_EXAMPLES = {
    "owner": ("my actions",),
    "chief_officer": ("what's overdue in my group", "summary"),
    "spoc": ("cycle status", "what's overdue in my group"),
    "governance": ("request updates", "panel report", "pending decisions"),
}


def _role_examples(turn: Turn) -> tuple[str, ...]:
    roles = turn.viewer.roles if turn.viewer else frozenset()
    return tuple(
        e for role in ("governance", "chief_officer", "spoc", "owner") if role in roles for e in _ROLE_EXAMPLES[role]
    )


@verb("greet")
async def greet(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    if turn.viewer is None:
        name = turn.facts.user_name
        return not_on_tracker_card(name, turn.services.settings.governance_contact)
    v = turn.viewer
    return greeting_card(GreetingData(name=v.name, roles=v.roles, led_groups=v.led_groups, examples=EXAMPLES))


# Real questions are a line long; a longer text is refused before parsing, whose cost grows with it.
_PARSED_MAX = 2048  # distinct questions kept per vocabulary


async def _vocabulary(turn: Turn) -> CachedVocabulary:
    """The names questions may mention. They change rarely (imports), and building the vocabulary of
    a force-sized tracker costs ~200 ms: it is kept while the tracker's version stays the one it was
    read at (any writer, any instance, bumps it). A turn that sees a newer version starts one rebuild,
    in the background, and goes on with the vocabulary it has (a name added by that change is
    understood a few hundred ms later). Only the very first question waits for it."""
    services = turn.services
    version = await turn.tracker_version()
    cached = services.vocabulary.current
    if cached is not None:
        if version > cached.version:
            _rebuild(services, version)
        return cached
    return await asyncio.shield(_rebuild(services, version))


def _rebuild(services: BotServices, version: int) -> asyncio.Task[CachedVocabulary]:
    """One rebuild at a time, however many turns ask: twenty concurrent questions used to start
    twenty rebuilds and stall every turn for seconds."""
    held = services.vocabulary
    running = held.rebuild
    if running is None or running.done():
        running = held.rebuild = asyncio.ensure_future(_build(services, version))
        running.add_done_callback(_log_failure)
    return running


async def _build(services: BotServices, version: int) -> CachedVocabulary:
    """The names as of ``version`` or later (``version`` was read before them)."""
    held = services.vocabulary
    names = await services.run(known_names)
    previous = held.current
    if previous is not None and previous.names == names:
        # Nothing a question may name has changed (most changes are updates to actions): keep the
        # matching tables and the questions parsed with them. Building them again held the GIL for a
        # few hundred ms at 100,000 actions, slowing every turn in flight.
        held.current = replace(previous, version=max(version, previous.version))
        return held.current
    # the matching tables are pure CPU: built on a thread, so turns keep being served meanwhile
    vocabulary = await asyncio.to_thread(
        Vocabulary, groups=names.groups, audits=names.audits, people=names.people, key_themes=names.key_themes
    )
    held.current = CachedVocabulary(version=version, vocabulary=vocabulary, names=names)
    return held.current


def _log_failure(task: asyncio.Task[CachedVocabulary]) -> None:
    if not task.cancelled() and task.exception() is not None:  # the old names serve on; retried next turn
        log.warning("the question vocabulary could not be rebuilt", exc_info=task.exception())


def _parse(cached: CachedVocabulary, text: str, today: date) -> Question:
    key = (text, today)
    question = cached.parsed.get(key)
    if question is None:
        if len(cached.parsed) >= _PARSED_MAX:
            cached.parsed.clear()
        question = cached.parsed[key] = parse(text, cached.vocabulary, today)
    return question


@verb("ask")
async def ask(turn: Turn, data: dict[str, Any]) -> None:
    """Typed text and 'ask' buttons arrive here: parse, then hand to the intent's feature."""
    text = clean(data.get("text") if isinstance(data.get("text"), str) else "").strip()
    if turn.viewer is None:
        await turn.send_card(await greet(turn, {}))
        return None
    if len(text) > MAX_QUESTION:  # typed or an 'ask' button's data: refused before parsing, whose cost grows with it
        log.info("question refused: %d characters", len(text))
        await turn.send_card(question_too_long_card(MAX_QUESTION))
        return None
    if not text or _GREETINGS.match(text):
        await turn.send_card(await greet(turn, {}))
        return None
    question = _parse(await _vocabulary(turn), text, turn.today())
    if question.owner_choices:
        # "overdue for Olivia" with two Olivias: ask which one rather than guess or ignore the name
        log.info("question names one of %d people; asking which", len(question.owner_choices))
        await turn.send_card(
            which_person_card(
                question.owner_word or "", [(person, question.naming(person)) for person in question.owner_choices]
            )
        )
        return None
    handler = turn.services.routes.intents.get(question.intent)
    log.info("question intent=%s handled=%s", question.intent.value, handler is not None)
    if handler is None:
        await show_help(turn, question)
        return None
    await handler(turn, question)
    return None


@intent(Intent.HELP, Intent.UNKNOWN)
async def show_help(turn: Turn, question: Question) -> None:
    if question.intent is Intent.UNKNOWN and question.text.strip():
        await turn.send_card(suggestions_card(question.text, suggest(question.text)))
        return
    await turn.send_card(help_card(EXAMPLES, role_examples=_role_examples(turn)))
