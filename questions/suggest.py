"""The two or three questions closest to one the parser could not read.

An unrecognised question ("who is behind on the vetting stuff?") gets a few buttons of
things the bot can answer, ranked by the words they share with it (spelling slips
allowed), rather than the whole help.  Each suggestion is a question that parses.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from questions.text import tokenise

__all__ = ["SUGGESTIONS", "suggest"]

# (question the bot answers, words people use when they mean it)
SUGGESTIONS: tuple[tuple[str, str], ...] = (
    ("Summary", "summary overview figures picture progress position doing everything all total"),
    ("What's overdue in my group?", "overdue late group area team department behind missed deadline"),
    ("What is due before Christmas?", "due deadline soon when date dates christmas coming"),
    ("Due in the next 3 months", "due next months future coming upcoming"),
    ("Outstanding high risk actions", "risk risks high serious priority important critical outstanding open"),
    ("Why are we delayed?", "why delay reasons problems issues stuck blocked"),
    ("What was delivered this quarter?", "delivered done finished complete completed achieved quarter closed"),
    ("Show stale actions", "stale old oldest ancient years legacy"),
    ("Open HMICFRS recommendations", "hmicfrs inspection inspectorate recommendations afi afis theme"),
    ("My actions", "my mine me own owner tasks jobs work assigned"),
    ("Overdue with no revised date", "revised new date extension extended extend"),
    ("Cycle status", "cycle responded responses replied chase chasing answered updated"),
    ("Request updates", "request updates ask send update"),
    ("Pending decisions", "decisions decide approve approvals closures proposals pending accept reject"),
    ("Panel report", "panel report pack committee paper papers quarterly"),
    ("How many audits have outstanding actions?", "audits audit most which count"),
    ("Overdue percentage by group", "percentage percent rate worst best each group compare ranking per"),
    ("Who has the most overdue in my group?", "who most owner owners person people per ranking"),
    ("What are the key themes?", "themes theme key topics areas"),
    ("New actions this quarter", "new came received raised added"),
)
# Used when nothing in the question is close to anything: the broadest answers.
DEFAULTS = ("Summary", "What's overdue in my group?", "My actions")

_NOISE = frozenset(
    """a about all am an and any are as at be can could do does for from get give have how
i in is it me of on or please show tell the there this to us we what when where which who why will with
would you your""".split()
)
_WORD_CUTOFF = 80.0


def _content(text: str) -> list[str]:
    return [word for word in tokenise(text) if word not in _NOISE and not word.isdigit()]


_INDEX = tuple((question, frozenset(_content(question) + hints.split())) for question, hints in SUGGESTIONS)


def _score(words: list[str], known: frozenset[str]) -> float:
    total = 0.0
    for word in words:
        best = max((fuzz.ratio(word, other) for other in known), default=0.0)
        if best >= _WORD_CUTOFF:
            total += best / 100
    return total


def suggest(text: str, *, limit: int = 3) -> tuple[str, ...]:
    """Two or three questions the bot answers, closest to ``text`` first."""
    words = _content(text)
    ranked = sorted(
        ((_score(words, known), -order, question) for order, (question, known) in enumerate(_INDEX)), reverse=True
    )
    found = [question for score, _, question in ranked if score > 0][:limit]
    if not found:
        return DEFAULTS[:limit]
    padding = [question for question in DEFAULTS if question not in found]
    return tuple(found + padding[: max(0, 2 - len(found))])
