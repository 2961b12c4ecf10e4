"""Turn a free-text question into a :class:`Question`.

The stages, each hiding the words it used from the later ones:

1. tokenise and normalise (``questions.text``), correcting near misses of the bot's
   own words ("overdeu");
2. date phrases (``questions.dates``), resolved once the direction is known;
3. everyday filters: exclusions, statuses, HMICFRS kinds, delay reasons in plain words, assurance,
   original dates, breakdowns, percentages, age, "mine" (``questions.everyday``), then keywords:
   risk, source, revised date, "my group" (``questions.entities``);
4. known names: groups, audits, people, key themes, fuzzy (``questions.entities``);
5. the intent, from the weighted rule table (``questions.intents``), over the words
   that are neither names nor intent-neutral keywords; with no intent word, a date window means "forthcoming" and any
   other filter "outstanding";
6. a first or last name several people share ("Olivia") becomes ``owner_choices``, so the
   caller can ask which one is meant;
7. words in a group's place that matched nothing and could be a group become ``unknown_group``; every
   other word left over that says something becomes ``unapplied``, so the answer names it;
8. the filters settle the intent (``questions.choosing``): a status "implemented" asks what was
   delivered, "holding" an HMICFRS question, "my ..." with a filter the figures for one's own.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, timedelta

from domain.question import BACKWARD_INTENTS, Intent, Question
from questions.choosing import choose_intent, settle
from questions.dates import Window, find_dates
from questions.entities import find_keywords, find_leftovers, find_names, find_unknown_group, is_known
from questions.everyday import find_everyday
from questions.intents import classify_view, correct_spelling
from questions.periods import number, shift
from questions.text import View, tokenise
from questions.vocabulary import AUDIT, GROUP, PERSON, THEME, Vocabulary

__all__ = ["parse"]

log = logging.getLogger(__name__)


def parse(text: str, vocabulary: Vocabulary, today: date) -> Question:
    """What ``text`` asks, relative to ``today``, in the terms ``vocabulary`` knows."""
    words = correct_spelling(tokenise(text), lambda word: is_known(word) or word in vocabulary.words)
    if not words:
        return Question(Intent.HELP if "?" in text else Intent.UNKNOWN, text)
    phrases = find_dates(words)
    date_tokens = {i for phrase in phrases for i in phrase.tokens}
    everyday = find_everyday(words, date_tokens)
    keywords = find_keywords(words, date_tokens | everyday.tokens)
    used = date_tokens | everyday.tokens | keywords.tokens
    names = find_names(words, used, vocabulary)
    name_tokens = {i for name in names for i in name.tokens}
    shared = _shared_name(words, used | name_tokens, vocabulary)
    if shared is not None:
        name_tokens.add(shared)
    unknown, unknown_tokens = find_unknown_group(words, used | name_tokens)
    intent, read = classify_view(View.of(words, name_tokens | keywords.plain_tokens | everyday.tokens))
    unapplied = find_leftovers(words, used | name_tokens | unknown_tokens | read)
    intent = choose_intent(intent, everyday)
    backward = intent in BACKWARD_INTENTS or everyday.status in ("implemented", "closed")
    window = phrases[0].resolve(today, backward) if phrases else None
    if phrases and window is None:
        log.debug("date in %r names no real day; ignored", text)

    def first(kind: str) -> str | None:
        return next((name.canonical for name in names if name.kind == kind), None)

    question = Question(
        intent=intent or Intent.UNKNOWN,
        text=text,
        groups=tuple(dict.fromkeys(name.canonical for name in names if name.kind == GROUP)),
        my_group=keywords.my_group,
        unknown_group=unknown,
        risk=keywords.risk,
        source=everyday.source or keywords.source,
        audit=first(AUDIT),
        owner=first(PERSON),
        key_theme=first(THEME),
        revised=keywords.revised if keywords.revised is not None else everyday.revised,
        mine=everyday.mine,
        status=everyday.status,
        item_kind=everyday.item_kind,
        delay_reason=everyday.delay_reason,
        assurance=everyday.assurance,
        original=everyday.original,
        by=everyday.by,
        percent=everyday.percent or "%" in text,
        non_responders=everyday.non_responders,
        unapplied=unapplied,
    )
    if shared is not None and question.owner is None:
        question = replace(question, owner_choices=vocabulary.shared_names[words[shared]], owner_word=words[shared])
    question = _with_window(question, window)
    if everyday.age is not None:
        count, unit = everyday.age
        cutoff = shift(today, -number(str(count)), unit)
        question = replace(question, due_to=cutoff - timedelta(days=1), original=False)
    if intent is None:
        fallback = (
            Intent.FORTHCOMING
            if window and not window.cutoff_only
            else (Intent.OUTSTANDING if question.has_filters else Intent.UNKNOWN)
        )
        question = replace(question, intent=fallback)
    question = settle(question)
    log.debug("parsed %r as %r", text, question)
    return question


def _shared_name(words: tuple[str, ...], hidden: set[int], vocabulary: Vocabulary) -> int | None:
    """The first visible word that is a first or last name several people share."""
    return next((i for i, word in enumerate(words) if i not in hidden and word in vocabulary.shared_names), None)


def _with_window(question: Question, window: Window | None) -> Question:
    if window is None:
        return question
    if question.intent is Intent.STALE and window.cutoff:
        return replace(question, limit_stale_before=window.cutoff)
    return replace(question, due_from=window.start, due_to=window.end)
