"""What the store knows (groups, audits, people, key themes), passed in to the parser.

The parser never reads the database: the caller builds a :class:`Vocabulary` from the
store and hands it over.  Each vocabulary also holds the normalised aliases the
entity matcher compares words against.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from questions.text import normalise

__all__ = ["Alias", "DEFAULT_GROUP_SYNONYMS", "Vocabulary"]

log = logging.getLogger(__name__)

# synonym -> canonical group; each applies only when its canonical group is known.
DEFAULT_GROUP_SYNONYMS: Mapping[str, str] = MappingProxyType(
    {
        "met ops": "Met Operations",
        "met op": "Met Operations",
        "metops": "Met Operations",
        "mo": "Met Operations",
        "met operation": "Met Operations",
        "the met": "Met Operations",
        "metropolitan operations": "Met Operations",
        "metropolitan operation": "Met Operations",
        "metropolitan ops": "Met Operations",
        "metropolitan": "Met Operations",
        "flp": "Frontline Policing",
        "frontline and local policing": "Frontline Policing",
        "frontline": "Frontline Policing",
        "front line": "Frontline Policing",
        "front line policing": "Frontline Policing",
        "fp": "Frontline Policing",
        "frontline police": "Frontline Policing",
        "corp services": "Corporate Services",
        "corporate": "Corporate Services",
        "corp": "Corporate Services",
        "cs": "Corporate Services",
        "corporate service": "Corporate Services",
        "digital": "Digital Policing",
        "dp": "Digital Policing",
        "digital police": "Digital Policing",
        "professional standards": "Professionalism",
        "dps": "Professionalism",
        "prof": "Professionalism",
        "spec ops": "Specialist Operations",
        "specialist ops": "Specialist Operations",
    }
)

GROUP, AUDIT, PERSON, THEME = "group", "audit", "person", "theme"

# Words that may not open or close a partial name ("Inclusion and Diversity" is fine,
# "and Diversity" is not).
_EDGE_WORDS = frozenset({"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"})
# First or last names that are also everyday words: alone they name nobody ("what will be due"
# must not ask "Which Will do you mean?"); the full name still works.
_WORD_NAMES = frozenset(
    """will mark rob bill hope joy faith frank sue pat ray dawn rose don art guy lance
penny sandy rusty sky amber holly ivy grant hunter chase may june april august summer autumn winter
new long short young black white green brown price lord king bishop read page hall rich""".split()
)
_MIN_PART_CHARS = 8
_MIN_FUZZY_CHARS = 5


@dataclass(frozen=True)
class Alias:
    """One normalised way of naming a known thing."""

    text: str  # normalised words, e.g. "met ops"
    kind: str  # group | audit | person | theme
    canonical: str  # the store's own spelling, e.g. "Met Operations"
    exact_only: bool = False  # part of a name ("Priya"): never matched loosely

    @property
    def words(self) -> int:
        return self.text.count(" ") + 1

    @property
    def fuzzy(self) -> bool:
        """Short aliases ("mo", "dp") must match exactly; longer ones may be misspelt."""
        return not self.exact_only and len(self.text) >= _MIN_FUZZY_CHARS


@dataclass(frozen=True)
class Vocabulary:
    groups: tuple[str, ...]
    group_synonyms: Mapping[str, str] = field(default_factory=dict)
    audits: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    key_themes: tuple[str, ...] = ()
    aliases: tuple[Alias, ...] = field(init=False, repr=False, compare=False)
    words: frozenset[str] = field(init=False, repr=False, compare=False)
    # a first or last name shared by several people ("olivia") -> those people, to ask which one
    shared_names: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    # the matching tables, built once per vocabulary (rebuilding them per question cost ~10 ms at force size):
    # every alias by its text; the fuzzy ones by word count, as (aliases, texts) within one word of that count
    exact: Mapping[str, Alias] = field(init=False, repr=False, compare=False)
    near_size: Mapping[int, tuple[tuple[Alias, ...], tuple[str, ...]]] = field(init=False, repr=False, compare=False)
    longest: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        aliases = _build_aliases(self)
        object.__setattr__(self, "aliases", aliases)
        object.__setattr__(self, "exact", MappingProxyType({alias.text: alias for alias in aliases}))
        longest = max((a.words for a in aliases), default=0)
        object.__setattr__(self, "longest", longest)
        fuzzy = [a for a in aliases if a.fuzzy]
        near: dict[int, tuple[tuple[Alias, ...], tuple[str, ...]]] = {}
        for size in range(1, longest + 1):
            chosen = tuple(a for n in (size - 1, size, size + 1) for a in fuzzy if a.words == n)
            near[size] = (chosen, tuple(a.text for a in chosen))
        object.__setattr__(self, "near_size", MappingProxyType(near))
        shared = _shared_names(self.people, {a.text for a in aliases})
        object.__setattr__(self, "shared_names", MappingProxyType(shared))
        object.__setattr__(self, "words", frozenset(w for a in aliases for w in a.text.split()) | set(shared))


def _build_aliases(vocabulary: Vocabulary) -> tuple[Alias, ...]:
    full: dict[str, Alias] = {}

    def add(text: str, kind: str, canonical: str) -> None:
        key = normalise(text)
        if key and key not in full:
            full[key] = Alias(key, kind, canonical)

    for group in vocabulary.groups:
        add(group, GROUP, group)
    for person in vocabulary.people:
        add(person, PERSON, person)
    for audit in vocabulary.audits:
        add(audit, AUDIT, audit)
    for theme in vocabulary.key_themes:
        add(theme, THEME, theme)
    by_lower = {normalise(group): group for group in vocabulary.groups}
    synonyms = {**DEFAULT_GROUP_SYNONYMS, **vocabulary.group_synonyms}
    for synonym, canonical in synonyms.items():
        known = by_lower.get(normalise(canonical))
        if known is None:
            if synonym in vocabulary.group_synonyms:
                log.warning("group synonym %r names unknown group %r; ignored", synonym, canonical)
            continue
        add(synonym, GROUP, known)
    parts = (
        _partial_names(vocabulary.audits, AUDIT)
        + _partial_names(vocabulary.key_themes, THEME)
        + _name_parts(vocabulary.people)
    )
    counts = Counter(alias.text for alias in parts)
    unique = [alias for alias in parts if counts[alias.text] == 1 and alias.text not in full]
    return tuple(full.values()) + tuple(unique)


def _partial_names(names: tuple[str, ...], kind: str) -> list[Alias]:
    """Distinctive runs of two or more words from long names ("smarter working")."""
    found: list[Alias] = []
    for name in names:
        words = normalise(name).split()
        seen: set[str] = set()
        for size in range(2, len(words)):
            for start in range(len(words) - size + 1):
                part = words[start : start + size]
                text = " ".join(part)
                if part[0] in _EDGE_WORDS or part[-1] in _EDGE_WORDS or len(text) < _MIN_PART_CHARS or text in seen:
                    continue
                seen.add(text)
                found.append(Alias(text, kind, name))
    return found


def _name_parts(people: tuple[str, ...]) -> list[Alias]:
    """First and last names ("Priya", "Chambers"); kept only where they name one person."""
    found: list[Alias] = []
    for person in people:
        words = normalise(person).split()
        for part in dict.fromkeys((words[0], words[-1])) if len(words) > 1 else ():
            if len(part) >= 3 and part not in _WORD_NAMES:
                found.append(Alias(part, PERSON, person, exact_only=True))
    return found


def _shared_names(people: tuple[str, ...], taken: set[str]) -> dict[str, tuple[str, ...]]:
    """Name parts that several people share and that name nothing else exactly."""
    by_part: dict[str, list[str]] = {}
    for alias in _name_parts(people):
        holders = by_part.setdefault(alias.text, [])
        if alias.canonical not in holders:
            holders.append(alias.canonical)
    return {part: tuple(sorted(holders)) for part, holders in by_part.items() if len(holders) > 1 and part not in taken}
