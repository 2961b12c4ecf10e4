"""Normalising and tokenising question text, and views of tokens with some hidden.

Every later stage (dates, entities, intents) works on the same token list.  A stage
that recognises a phrase "hides" its tokens so that later stages neither read them
again nor join words across them: a hidden token shows as ``|`` in a :class:`View`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = ["HIDDEN", "View", "normalise", "runs", "tokenise"]

HIDDEN = "|"

_TRANSLATE = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u2013": "-", "\u2014": "-", "\u2212": "-", "&": " and "}
)

# (pattern, replacement), applied in order after lower-casing.
_CONTRACTIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\bcan't\b", "can not"),
        (r"\bwon't\b", "will not"),
        (r"\bshan't\b", "shall not"),
        (r"\b(\w+)n't\b", r"\1 not"),
        (r"\b(what|that|who|where|how|it|there|here|when|why|which|nothing|everything)'s\b", r"\1 is"),
        (r"\blet's\b", "let us"),
        (r"\bi'm\b", "i am"),
        (r"\b(\w+)'re\b", r"\1 are"),
        (r"\b(\w+)'ve\b", r"\1 have"),
        (r"\b(\w+)'ll\b", r"\1 will"),
        (r"\b(\w+)'d\b", r"\1 would"),
        (r"(\w)'s\b", r"\1"),  # possessive: "Olivia Owen's" -> "olivia owen"
        (r"(\w)s'(?!\w)", r"\1s"),  # plural possessive: "owners'" -> "owners"
    )
)

# Contractions typed without the apostrophe.
_BARE_CONTRACTIONS = {
    "whats": "what is",
    "thats": "that is",
    "whos": "who is",
    "hows": "how is",
    "wheres": "where is",
    "hasnt": "has not",
    "havent": "have not",
    "hadnt": "had not",
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "isnt": "is not",
    "arent": "are not",
    "wasnt": "was not",
    "werent": "were not",
    "cant": "can not",
    "im": "i am",
}

_TOKEN = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}"  # ISO date
    r"|\d{1,2}/\d{1,2}/\d{2,4}"  # day/month/year
    r"|\d{4}/\d{2,4}"  # financial year 2026/27
    r"|[a-z0-9]+"
)


def normalise(text: str) -> str:
    """Lower-case, expand contractions and drop punctuation; words joined by one space."""
    return " ".join(tokenise(text))


def tokenise(text: str) -> tuple[str, ...]:
    """The words of ``text`` after normalising (dates such as 2027-03-31 stay one token)."""
    lowered = text.translate(_TRANSLATE).lower()
    for pattern, replacement in _CONTRACTIONS:
        lowered = pattern.sub(replacement, lowered)
    words: list[str] = []
    for token in _TOKEN.findall(lowered):
        words.extend(_BARE_CONTRACTIONS.get(token, token).split())
    return tuple(words)


def runs(count: int, hidden: Iterable[int]) -> Iterator[range]:
    """Maximal ranges of token indices in ``range(count)`` that are not hidden."""
    hidden_set = set(hidden)
    start: int | None = None
    for index in range(count + 1):
        if index < count and index not in hidden_set:
            if start is None:
                start = index
        elif start is not None:
            yield range(start, index)
            start = None


@dataclass(frozen=True)
class View:
    """The tokens as one string, hidden tokens shown as ``|``, with a map back to tokens."""

    text: str
    spans: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, words: tuple[str, ...], hidden: Iterable[int] = ()) -> "View":
        hidden_set = set(hidden)
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        position = 0
        for index, word in enumerate(words):
            shown = HIDDEN if index in hidden_set else word
            spans.append((position, position + len(shown)))
            parts.append(shown)
            position += len(shown) + 1
        return cls(" ".join(parts), tuple(spans))

    def tokens(self, start: int, end: int) -> range:
        """Indices of the tokens that the characters ``start:end`` of :attr:`text` touch."""
        touched = [i for i, (s, e) in enumerate(self.spans) if s < end and e > start]
        return range(touched[0], touched[-1] + 1) if touched else range(0)

    def find(self, pattern: re.Pattern[str]) -> Iterator[tuple[re.Match[str], range]]:
        """Every match of ``pattern`` with the token indices it covers."""
        for match in pattern.finditer(self.text):
            if match.end() > match.start():
                yield match, self.tokens(match.start(), match.end())
