"""Filters named in a question: keywords (risk, source, revised date, "my group") from
pattern tables, and known names (groups, audits, people, key themes) by fuzzy match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from questions.intents import question_words
from questions.text import View, runs
from questions.vocabulary import Alias, Vocabulary

__all__ = ["Keywords", "NameMatch", "find_keywords", "find_leftovers", "find_names", "find_unknown_group", "is_known"]

FUZZY_CUTOFF = 85.0

# (value, pattern); the first pattern that matches gives the value.
_RISK: tuple[tuple[str | None, str], ...] = (
    (None, r"(?P<v>high|medium|med|low)(?:\s+|-)?(?:risks?|priority|rated|rating)"),
    (None, r"(?:risk|rated|rating|priority)\s+(?:is\s+|of\s+|rated\s+)?(?P<v>high|medium|med|low)"),
    (None, r"(?P<v>high|medium|low)(?=\s+(?:actions?|recommendations?|ones|items))"),
)
_SOURCE: tuple[tuple[str | None, str], ...] = (
    ("hmicfrs", r"hmicfrs|hmic|hmi|inspectorate|inspections?|afis?|areas?\s+for\s+improvement"),
    ("dara", r"dara|internal\s+audits?|audit\s+(?:actions?|recommendations?)"),
)
_NEW_DATE = r"(?:accepted\s+|agreed\s+|approved\s+)?(?:revised|new)\s+(?:due\s+)?dates?"
_REVISED: tuple[tuple[bool | None, str], ...] = (
    (
        False,
        rf"(?:with\s+)?(?:no|without(?:\s+an?)?|not\s+having\s+an?|lacking\s+an?|"
        rf"missing\s+an?)\s+{_NEW_DATE}",
    ),
    (False, r"(?:not|never)\s+(?:been\s+)?revised|unrevised"),
    (True, rf"(?:with|has|have|having|had)\s+(?:an?\s+|the\s+|their\s+)?{_NEW_DATE}"),
    (
        True,
        r"been\s+revised|revised\s+dates?\s+(?:agreed|accepted|approved)|"
        r"(?:dates?|deadlines?)\s+(?:have\s+been\s+|has\s+been\s+|were\s+|was\s+)?revised",
    ),
)
_MY_GROUP: tuple[tuple[bool | None, str], ...] = (
    (
        True,
        r"(?:my|our)\s+(?:own\s+)?(?:business\s+)?(?:groups?|areas?|commands?|departments?|"
        r"dept|directorates?|units?|teams?|bgs?|patch|portfolio|divisions?)",
    ),
)
_RISK_NAMES = {"med": "medium"}


def _compile(table: Iterable[tuple[object, str]]) -> tuple[tuple[object, re.Pattern[str]], ...]:
    return tuple((value, re.compile(rf"\b(?:{pattern})\b")) for value, pattern in table)


_TABLES = {
    name: _compile(table)
    for name, table in (("risk", _RISK), ("source", _SOURCE), ("revised", _REVISED), ("my_group", _MY_GROUP))
}

# Words after "in"/"for"/... that are not a group name.
_COMMON = frozenset(
    """
a all an and any anyone anything are as at be been by each every everyone everything for force
from general group groups have how i in is it its me my of on or our overall particular please
risk show so some than that the their them there these they this those to total us we were what
when where which who whole why with you your high medium low dara date dates revised detail
detailed full short business area areas command organisation
implement deliver respond stable season seasons statue statues reporter
""".split()
)
_DATE_WORDS = frozenset(
    """january february march april may june july august september october
november december jan feb mar apr jun jul aug sep sept oct nov dec day week month quarter year
fy financial calendar end start next last previous coming following past current today tomorrow
between before after since until till within during one two three four five six seven eight nine
ten eleven twelve couple few several first second third fourth""".split()
)
# Words that say nothing a filter could use: never a group, never reported as not understood.
_FILLER = frozenset(
    """
moment present currently now right still just only also too very really exactly yet so far kindly please
thanks thank cheers list give tell see get got need needs needed want like know find let can could would
should will shall might must do does did done am was be being had has having much many number count
counts how breakdown break down split rank ranking ranked most least top bottom worst best highest lowest
compare comparison vs versus against side ones one them currently anything else left new came come
coming in into out up about any lot lots hi there here been which whose whom ok okay quick quickly brief
briefly again same still latest current state states kind kinds type types status statuses each per
falls fall falling whole entire total totals overall across rec recs because pls plz sorted sort order ordered
""".split()
)
# Ordinary words that follow "in", "for" or "at" but never name a business group: not understood, so
# said on the answer, never refused as an unknown group.
_NOT_GROUPS = frozenset(
    """
exec executive board boards panel committee chief chiefs officer officers team teams meeting
custody vetting training fleet estates estate finance payroll procurement firearms learning wellbeing
policy process governance data records record information security property cyber health safety
""".split()
)
_KNOWN = _COMMON | _DATE_WORDS | question_words()
_SLOT = re.compile(
    r"(?:\b(?:in|for|at|within|across|from|under)|\|\s+(?:and|or))\s+(?:the\s+)?"
    r"(?P<name>[a-z][a-z0-9]*(?:\s+[a-z][a-z0-9]*){0,2})"
)


@dataclass
class Keywords:
    risk: str | None = None
    source: str | None = None
    revised: bool | None = None
    my_group: bool = False
    tokens: set[int] = field(default_factory=set)  # every token a keyword used
    plain_tokens: set[int] = field(default_factory=set)  # those that say nothing of the intent


@dataclass(frozen=True)
class NameMatch:
    kind: str
    canonical: str
    tokens: range


def find_keywords(words: tuple[str, ...], hidden: set[int]) -> Keywords:
    """Risk, source, revised-date and "my group" filters, with the tokens they used."""
    found = Keywords()
    view = View.of(words, hidden)
    for name, table in _TABLES.items():
        for value, pattern in table:
            hit = next(view.find(pattern), None)
            if hit is None:
                continue
            match, tokens = hit
            if name == "risk":
                value = _RISK_NAMES.get(match["v"], match["v"])
            setattr(found, name, value)
            found.tokens.update(tokens)
            if name != "source":  # "HMICFRS", "inspections" also say what is asked
                found.plain_tokens.update(tokens)
            break
    return found


def is_known(word: str) -> bool:
    """True for the bot's own words ("overdue", "delays") and common ones ("the", "force")."""
    stems = (word, word[:-1] if word.endswith("s") else "", word[:-2] if word.endswith(("es", "ed")) else "")
    return any(stem in _KNOWN for stem in stems if stem)


Candidate = tuple[tuple[int, float, int], Alias, range]  # (rank, alias, tokens)


def _candidates(words: tuple[str, ...], hidden: set[int], vocabulary: Vocabulary) -> Iterator[Candidate]:
    """Every (window of visible words, alias) pair that matches, ranked longest alias first."""
    exact, near, longest = vocabulary.exact, vocabulary.near_size, vocabulary.longest
    for run in runs(len(words), hidden):
        for start in run:
            for size in range(1, min(longest + 1, run.stop - start) + 1):
                tokens = range(start, start + size)
                window = " ".join(words[i] for i in tokens)
                if window in exact:
                    alias = exact[window]
                    if not (alias.exact_only and is_known(window)):
                        yield (len(alias.text), 100.0, -size), alias, tokens
                    continue
                if is_known(words[start]) or is_known(words[tokens[-1]]):
                    continue
                choices, texts = near.get(size, ((), ()))
                for _, score, index in process.extract(
                    window, texts, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
                ):
                    alias = choices[index]
                    yield (len(alias.text), score, -size), alias, tokens


def find_names(words: tuple[str, ...], hidden: set[int], vocabulary: Vocabulary) -> list[NameMatch]:
    """Known groups, audits, people and key themes named in the visible words, in order.

    The longest alias wins where matches overlap; among windows matching the same alias,
    the closest.  Misspellings are allowed for aliases of five letters or more.
    """
    ranked = sorted(_candidates(words, hidden, vocabulary), key=lambda c: c[0], reverse=True)
    taken: set[int] = set()
    chosen: list[NameMatch] = []
    for _, alias, tokens in ranked:
        if taken.isdisjoint(tokens):
            taken.update(tokens)
            chosen.append(NameMatch(alias.kind, alias.canonical, tokens))
    return sorted(chosen, key=lambda m: m.tokens.start)


def _plain(word: str) -> bool:
    return is_known(word) or word.isdigit() or word in _FILLER


def find_unknown_group(words: tuple[str, ...], hidden: set[int]) -> tuple[str | None, set[int]]:
    """Words in a group's place ("overdue in Narnia") that are not a known name or word, with their
    tokens. Ordinary words ("at the moment", "for the exec board", "in custody") are never one."""
    view = View.of(words, hidden)
    for match in _SLOT.finditer(view.text):
        name: list[str] = []
        for word in match["name"].split():
            if _plain(word) or word in _NOT_GROUPS:
                break
            name.append(word)
        if name:
            start = view.tokens(match.start("name"), match.end("name")).start
            return " ".join(name), set(range(start, start + len(name)))
    return None, set()


def find_leftovers(words: tuple[str, ...], hidden: set[int]) -> tuple[str, ...]:
    """Runs of visible words that no stage used and that say something ("about custody", "exec
    board"): the answer names them as not applied, rather than dropping them in silence."""
    runs_found: list[str] = []
    current: list[str] = []
    for index, word in enumerate(words):
        if index not in hidden and not _plain(word):
            current.append(word)
            continue
        if current:
            runs_found.append(" ".join(current))
            current = []
    if current:
        runs_found.append(" ".join(current))
    return tuple(dict.fromkeys(runs_found))
