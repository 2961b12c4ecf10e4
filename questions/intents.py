"""Intent classifier: a weighted table of phrase patterns.

Each rule adds its weight to its intent when its pattern occurs in the normalised
question (once per rule, however often it occurs).  The intent with the highest
score wins; ties go to the intent that comes first in :data:`PRIORITY` (the more
specific one).  No rule matching means no intent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from rapidfuzz import fuzz, process

from domain.question import Intent
from questions.text import View

__all__ = ["PRIORITY", "RULES", "SPELLING", "classify", "correct_spelling", "classify_view", "question_words", "scores"]

I = Intent
# (intent, weight, pattern over the normalised text; word boundaries are added)
RULES: tuple[tuple[Intent, float, str], ...] = (
    (I.OVERDUE, 3, r"over\s*due"),
    (I.OVERDUE, 2, r"late|slipp(?:ed|ing)|lagging"),
    (I.OVERDUE, 3, r"past\s+(?:its\s+|their\s+|the\s+)?(?:original\s+)?due(?:\s+dates?)?"),
    (I.OVERDUE, 3, r"behind(?:\s+schedule|\s+time|\s+plan)?"),
    (I.OVERDUE, 3, r"missed\s+(?:the\s+|their\s+|its\s+)?(?:due\s+dates?|deadlines?)"),
    # deadline words: "blew the deadline", "gone past their target date", "the deadline has passed"
    (
        I.OVERDUE,
        3,
        r"(?:blew|blown|blowing|missing|broke|broken|overshot|overran|exceeded|passed|"
        r"(?:gone|went|run|ran|slipped|blew|blown|sailed)\s+(?:past|beyond|over|through))\s+"
        r"(?:the\s+|their\s+|its\s+|our\s+|a\s+)?(?:agreed\s+|original\s+)?"
        r"(?:due\s+dates?|deadlines?|target\s+dates?|completion\s+dates?)",
    ),
    (
        I.OVERDUE,
        3,
        r"(?:past|beyond|after|over)\s+(?:the\s+|their\s+|its\s+)?(?:deadlines?|target\s+dates?)|"
        r"(?:deadlines?|due\s+dates?|target\s+dates?)\s+(?:that\s+|which\s+)?"
        r"(?:has\s+|have\s+|had\s+|were\s+|was\s+)?(?:been\s+)?(?:passed|gone|expired|missed|blown)|"
        r"out\s+of\s+time",
    ),
    (I.OVERDUE, 5, r"not\s+(?:\w+\s+){0,2}(?:on|in)\s+time"),
    (I.OUTSTANDING, 2, r"outstanding|open|unresolved|incomplete|in\s+progress|live|remaining"),
    (
        I.OUTSTANDING,
        4,
        r"not\s+(?:yet\s+)?(?:been\s+)?(?:implemented|done|complete|completed|closed|"
        r"delivered|finished)",
    ),
    (I.OUTSTANDING, 0.5, r"actions?|recommendations?|items?"),
    (I.FORTHCOMING, 1.5, r"due|deadlines?"),
    (
        I.FORTHCOMING,
        3,
        r"coming\s+up|forthcoming|upcoming|due\s+(?:soon|shortly)|approaching|"
        r"falling\s+due|looming",
    ),
    (I.DELIVERED, 3, r"delivered|implemented|completed|closed|finished|signed\s+off|achieved"),
    (I.DELIVERED, 2, r"done|complete|close"),
    (I.DELIVERED, 3, r"(?:did|have|has)\s+(?:\w+\s+){0,3}?(?:deliver|implement|complete|close|finish|achieve)"),
    (I.DELAY_REASONS, 2, r"delay(?:s|ed)?|slow"),
    (
        I.DELAY_REASONS,
        4,
        r"delay\s+reasons?|reasons?\s+for\s+(?:the\s+)?(?:delays?|slippage)|"
        r"causes?\s+of\s+(?:the\s+)?delays?",
    ),
    (I.DELAY_REASONS, 1.5, r"why"),
    (I.DELAY_REASONS, 4, r"why\b.*\b(?:late|behind|overdue|slipp\w*|not\s+done)"),
    (
        I.DELAY_REASONS,
        3,
        r"holding\s+(?:\w+\s+)?up|held\s+up|block(?:ers?|ed|ing)|stopping|"
        r"obstacles?|barriers?",
    ),
    (I.STALE, 3, r"stale|long\s*standing|legacy|ancient|older\s+than|(?:years?|months?)\s+old"),
    (I.STALE, 2, r"old|oldest"),
    (
        I.SUMMARY,
        3,
        r"summary|summari[sz]e|overview|headlines?|dashboard|big\s+picture|snapshot|"
        r"at\s+a\s+glance",
    ),
    (I.SUMMARY, 2, r"figures|stats|statistics|numbers|totals?|position"),
    (I.SUMMARY, 3, r"how\s+(?:are|is)\s+.{0,40}?(?:doing|going|looking|getting\s+on)"),
    (I.INSPECTIONS, 3, r"hmicfrs|hmic|hmi|inspectorate|inspections?|afis?|areas?\s+for\s+improvement"),
    (I.HELP, 2.5, r"help"),
    (I.HELP, 1.5, r"hi|hello|hey"),  # a greeting before a question ("hi, what's outstanding") is not a help request
    (I.HELP, 5, r"what\s+(?:can|could|should)\s+(?:i|you|we)\s+(?:ask|do|say|type)"),
    (I.HELP, 4, r"how\s+(?:do|does|can)\s+(?:i|this|it|you)\s+(?:use|work|ask)"),
    (I.HELP, 3, r"commands?|instructions|menu|examples?"),
    (
        I.MY_ACTIONS,
        4,
        r"my\s+(?:own\s+)?(?:actions?|tasks?|items?|recommendations?|work|list|"
        r"stuff|jobs?|to\s+dos?)",
    ),
    (
        I.MY_ACTIONS,
        4,
        r"what\s+(?:do|does|have)\s+i\s+(?:own|got|have)|i\s+own|owned\s+by\s+me|"
        r"(?:assigned|allocated|given)\s+to\s+me|i\s+am\s+(?:responsible|accountable)",
    ),
    (I.REQUEST_UPDATES, 5, r"request(?:ing)?\s+(?:an?\s+|the\s+)?(?:status\s+)?updates?"),
    (
        I.REQUEST_UPDATES,
        5,
        r"(?:start|open|launch|begin|kick\s+off|run|new)\s+(?:a\s+|an\s+|the\s+)?"
        r"(?:new\s+)?(?:quarterly\s+)?(?:update\s+)?cycle",
    ),
    (
        I.REQUEST_UPDATES,
        5,
        r"send\s+(?:out\s+)?(?:the\s+)?(?:update\s+)?requests?|"
        r"ask\s+(?:\w+\s+){0,2}for\s+(?:an?\s+)?updates?",
    ),
    (I.REQUEST_UPDATES, 3, r"update\s+requests?"),
    (I.CYCLE_STATUS, 5, r"cycle\s+status|status\s+of\s+(?:the\s+)?(?:update\s+)?cycle|response\s+rates?"),
    (
        I.CYCLE_STATUS,
        5,
        r"who\s+(?:has|have)\s+not\s+(?:yet\s+)?(?:responded|replied|updated|answered)|"
        r"non\s*responders?|not\s+(?:yet\s+)?(?:responded|replied)",
    ),
    (I.CYCLE_STATUS, 2, r"cycle|responses?|responded|chase|chasing"),
    (
        I.SCHEDULE,
        6,
        r"what\s+(?:is\s+|s\s+|has\s+been\s+|are\s+)?(?:scheduled|planned\s+to\s+(?:go|be\s+sent))|"
        r"(?<!behind\s)(?<!on\s)schedules?|(?:next|upcoming|future)\s+(?:\w+\s+)?(?:reminders?|nudges?|digests?)|"
        r"when\s+(?:are|is|will)\s+(?:the\s+)?(?:next\s+)?(?:reminders?|nudges?|digests?)",
    ),
    (
        I.DECISIONS,
        3,
        r"decisions?|approv(?:e|als?|ing)|closures?|proposals?|proposed|"
        r"accept\s+or\s+reject",
    ),
    (I.DECISIONS, 2, r"(?:to|for)\s+review|revised\s+dates?\s+(?:to|for)"),
    (I.DECISIONS, 1, r"pending|awaiting|waiting"),
    (
        I.PANEL_REPORT,
        5,
        r"panel\s+(?:report|pack|papers?)|audit\s+panel|quarterly\s+(?:report|pack)|"
        r"committee\s+(?:report|pack)",
    ),
    (I.PANEL_REPORT, 2, r"pack|report|committee"),
    # issue 22: the unit is audits; actions new in a quarter; key themes
    (
        I.AUDITS,
        7,
        r"(?:which|what|how\s+many|list|show|number\s+of|count)\s+(?:(?:me|the|of|all|our)\s+){0,2}audits|"
        r"audits\s+(?:with|that\s+have|having|which\s+have|still\s+have|have|where)\s+(?:\w+\s+){0,3}?"
        r"(?:actions?|outstanding|open|overdue)|audits\s+with\s+the\s+most|(?:which|what)\s+audits?\s+(?:has|have|had)",
    ),
    (
        I.NEW_ACTIONS,
        6,
        r"new\s+(?:dara\s+)?(?:actions?|audits?|recommendations?|items?)|"
        r"(?:came|come|coming)\s+in|(?:been\s+)?(?:received|raised|added)\s+(?:this|last|in)",
    ),
    (
        I.KEY_THEMES,
        6,
        r"key\s+themes?|(?:main|common|recurring)\s+themes?|(?:by|per)\s+(?:key\s+)?themes?|what\s+themes?|themes",
    ),
    # issue 13: reassignment, cover, and the actions of people who have left
    (
        I.REASSIGN,
        6,
        r"re\s*-?\s*assign(?:s|ed|ing|ment)?|hand\s+(?:over|on)|transfer|"
        r"change\s+(?:the\s+)?owner(?:ship)?|new\s+owner|give\s+(?:\w+\s+){0,3}to\s+someone\s+else",
    ),
    (
        I.COVER,
        6,
        r"cover(?:ing)?\s+for|name\s+(?:a\s+|my\s+)?cover|my\s+cover|set\s+(?:up\s+)?(?:a\s+)?cover|"
        r"cover|on\s+(?:annual\s+)?leave|going\s+on\s+holiday|while\s+i\s*(?:am|m)\s+away|"
        r"stand\s+in\s+for|deputi[sz]e",
    ),
    (
        I.ORPHANED,
        8,
        r"orphan(?:ed|s)?|(?:owners?|people|person|someone)\s+(?:who\s+)?(?:has\s+|have\s+)?"
        r"(?:left|gone|moved\s+on|departed)|no\s+(?:longer\s+)?(?:an?\s+)?owner|ownerless|"
        r"without\s+(?:an?\s+)?owner|leavers?",
    ),
)
_COMPILED = tuple((intent, weight, re.compile(rf"\b(?:{pattern})\b")) for intent, weight, pattern in RULES)

# Ties go to the earlier (more specific) intent.
PRIORITY: tuple[Intent, ...] = (
    I.ORPHANED,
    I.REASSIGN,
    I.COVER,
    I.REQUEST_UPDATES,
    I.SCHEDULE,
    I.CYCLE_STATUS,
    I.DECISIONS,
    I.PANEL_REPORT,
    I.MY_ACTIONS,
    I.AUDITS,
    I.NEW_ACTIONS,
    I.KEY_THEMES,
    I.DELAY_REASONS,
    I.STALE,
    I.OVERDUE,
    I.DELIVERED,
    I.FORTHCOMING,
    I.INSPECTIONS,
    I.SUMMARY,
    I.OUTSTANDING,
    I.HELP,
)


def scores(text: str) -> dict[Intent, float]:
    """The score of every intent that some rule found in ``text`` (normalised)."""
    found: dict[Intent, float] = {}
    for intent, weight, pattern in _COMPILED:
        if pattern.search(text):
            found[intent] = found.get(intent, 0.0) + weight
    return found


def classify_view(view: View) -> tuple[Intent | None, set[int]]:
    """:func:`classify` over a view, with the tokens some rule read (words that said what is asked):
    one pass over the rules for both."""
    found: dict[Intent, float] = {}
    used: set[int] = set()
    for intent, weight, pattern in _COMPILED:
        hits = list(view.find(pattern))
        if hits:
            found[intent] = found.get(intent, 0.0) + weight
            used.update(i for _, tokens in hits for i in tokens)
    if not found:
        return None, used
    return max(found, key=lambda intent: (found[intent], -PRIORITY.index(intent))), used


def classify(text: str) -> Intent | None:
    """The best intent for ``text``, or None when no rule matches."""
    found: Mapping[Intent, float] = scores(text)
    if not found:
        return None
    return max(found, key=lambda intent: (found[intent], -PRIORITY.index(intent)))


def question_words() -> frozenset[str]:
    """Every literal word the rules use ("overdue", "delay", ...): the bot's own vocabulary."""
    words: set[str] = set()
    for _, _, pattern in RULES:
        literal = re.sub(r"\\[a-zA-Z]|\{[^}]*\}|\(\?[:!=]", " ", pattern)
        words.update(word for word in re.findall(r"[a-z]{2,}", literal))
        # "deadlines?" also knows "deadline": otherwise the singular is "corrected" to "headline"
        words.update(re.findall(r"([a-z]{2,})s\?", pattern))
    return frozenset(words)


# Words of the rules and of dates that are often misspelt; a word that is neither known nor a name
# and is close to one of these is read as it ("overdeu" -> "overdue").
SPELLING: tuple[str, ...] = (
    "overdue",
    "outstanding",
    "forthcoming",
    "upcoming",
    "delivered",
    "implemented",
    "completed",
    "received",
    "delayed",
    "delays",
    "reasons",
    "stale",
    "summary",
    "overview",
    "headline",
    "inspections",
    "inspection",
    "hmicfrs",
    "recommendations",
    "actions",
    "schedule",
    "decisions",
    "approvals",
    "closures",
    "proposals",
    "report",
    "quarterly",
    "panel",
    "request",
    "updates",
    "cycle",
    "status",
    "response",
    "responded",
    "quarter",
    "financial",
    "months",
    "weeks",
    "january",
    "february",
    "april",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_SPELLING_CUTOFF = 85.0
_MIN_SPELLING_CHARS = 5


def correct_spelling(words: tuple[str, ...], keep: Callable[[str], bool]) -> tuple[str, ...]:
    """``words`` with near misses of :data:`SPELLING` corrected; words ``keep`` accepts stay."""
    corrected: list[str] = []
    for word in words:
        best = None
        if len(word) >= _MIN_SPELLING_CHARS and word.isalpha() and not keep(word):
            best = process.extractOne(word, SPELLING, scorer=fuzz.ratio, score_cutoff=_SPELLING_CUTOFF)
        corrected.append(best[0] if best else word)
    return tuple(corrected)
