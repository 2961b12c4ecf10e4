"""Typed commands that start the update dialog, and reading the answers typed during it (pure).

    update                         -> list my outstanding actions to choose from
    update 2 / update DARA-2011-004 / update disclosure policy
    mark DARA-2011-004 implemented -> confirm, ask for evidence, save

'update requests' / 'update cycle' are governance's words (issue 5), so they are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from rapidfuzz import fuzz, utils

from domain.matching import clear_winner
from store.updates.search import Candidate

__all__ = ["StartRequest", "parse_command", "is_cancel", "yes_or_no", "pick", "split_evidence"]

_UPDATE = re.compile(
    r"^(?:please\s+)?(?:update|edit)(?:\s+(?:my\s+)?(?:action|item|recommendation|afi)s?\b)?(?:\s+(?P<q>.+?))?"
    r"\s*[.!]?$",
    re.I,
)
_NOT_OURS = re.compile(r"^(?:requests?|cycles?|the\s+cycle|status\s+of)\b", re.I)
_IMPLEMENTED = re.compile(
    r"^(?:please\s+)?(?:mark|set)\s+(?P<q>.+?)\s+(?:as\s+)?(?:implemented|done|complete(?:d)?|finished)\s*[.!]?$", re.I
)
_CANCEL = re.compile(r"^(?:cancel|stop|quit|exit|never\s*mind|forget\s+it)[.!]?$", re.I)
# The words botbuilder's English ConfirmPrompt took (recognizers-text), so answers read as before;
# with no yes/no word, 1 and 2 were its numbered choices Yes and No.
_YES = re.compile(r"\b(?:true|yes|yep|yup|yeah|y|sure|ok|agree)\b", re.I)
_NO = re.compile(r"\b(?:false|nope|nop|no|not\s+ok|disagree)\b", re.I)
# Any scheme, so an http:// or file:// link is taken as a link and refused (https only), not kept in the note.
_LINK = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.I)


@dataclass(frozen=True)
class StartRequest:
    query: str  # what identifies the item ('' = show my list)
    implemented: bool = False  # 'mark ... implemented': confirm, then ask for evidence

    def options(self) -> dict[str, object]:
        return {"query": self.query, "implemented": self.implemented}


def parse_command(text: str) -> StartRequest | None:
    text = " ".join((text or "").split())
    if m := _IMPLEMENTED.match(text):
        return StartRequest(m.group("q").strip(" \"'“”"), implemented=True)
    if m := _UPDATE.match(text):
        query = (m.group("q") or "").strip(" \"'“”")
        if _NOT_OURS.match(query):
            return None
        return StartRequest(query)
    return None


def is_cancel(text: str) -> bool:
    return bool(_CANCEL.match((text or "").strip()))


def yes_or_no(text: str) -> bool | None:
    """The answer to a yes/no question; None when it is neither (the question is asked again)."""
    text = text or ""
    found = [(m.start(), True) for m in _YES.finditer(text)] + [(m.start(), False) for m in _NO.finditer(text)]
    if found:
        return min(found)[1]  # the first word said, as the recogniser took it
    return {"1": True, "2": False}.get(text.strip().strip("."))


def pick(candidates: Sequence[Candidate], answer: str) -> Candidate | None:
    """The listed candidate the answer names: its number, its ref, or clearly its title."""
    answer = " ".join((answer or "").split()).strip(" .")
    if not answer:
        return None
    if answer.isdigit():
        return next((c for c in candidates if c.number == int(answer)), None)
    for c in candidates:
        if c.ref.upper() == answer.upper():
            return c
    return clear_winner((fuzz.WRatio(answer, c.title, processor=utils.default_process), c) for c in candidates)


def split_evidence(text: str) -> tuple[str | None, str | None]:
    """'Policy published https://a.test/x and https://a.test/y' -> ('Policy published and', links one per line)."""
    text = (text or "").strip()
    links = [m.group(0).rstrip(".,;)") for m in _LINK.finditer(text)]
    note = " ".join(_LINK.sub(" ", text).split()).strip(" -–:,;") if links else text
    return (note or None), ("\n".join(links) or None)
