"""The filters people add in everyday words (issue 22), read before the older keyword tables.

Each table is (value, pattern) over the normalised words, first match wins. What a filter found is
hidden from the later stages (so "not counting HMICFRS" is never read as "HMICFRS", "at the moment"
never as a group), unless the words also say what is asked ("AFIs" still means an HMICFRS question).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from questions.periods import NUMBER, UNIT
from questions.text import View

__all__ = ["Everyday", "find_everyday"]

_CUE = (
    r"(?:delay(?:ed|s|ing)?|held\s+up|holding\s+(?:\w+\s+)?up|waiting|awaiting|blocked|stuck|because\s+of|"
    r"due\s+to|caused\s+by|dependent\s+on|depends\s+on|depending\s+on|reliant\s+on|relying\s+on|"
    r"hinge\s+on|hinges\s+on|pending)\s+(?:\w+\s+){0,4}?"
)
_SOURCE_WORDS = r"(?P<src>hmicfrs|hmic|inspectorate|inspections?|dara|internal\s+audits?)"

# Default delay reasons (domain.words.DEFAULT_DELAY_REASONS) in the words people use for them.
_DELAY: tuple[tuple[str, str], ...] = (
    (
        "Included in and superseded by a different project",
        r"superseded\s+by\s+(?:a\s+|another\s+|the\s+)?(?:different\s+|other\s+|new\s+|wider\s+)?"
        r"(?:project|programme|piece\s+of\s+work)|(?:part\s+of|folded\s+into|included\s+in)\s+"
        r"(?:a\s+|another\s+)?(?:different|other|another|separate)\s+project|a\s+different\s+project",
    ),
    ("COVID-19 related delay", r"covid(?:\s+19)?|coronavirus|pandemic|lockdowns?"),
    (
        "Dependent on another review (internal/external)",
        rf"{_CUE}(?:a\s+|an\s+|the\s+)?(?:another|other|separate|external|internal|wider|different)\s+"
        r"(?:reviews?|inspections?|audits?)|(?:dependent|depends|waiting)\s+on\s+(?:a\s+|the\s+)?reviews?",
    ),
    ("Updating policy and guidance", r"(?:updating|rewriting|refreshing|new)\s+(?:the\s+)?(?:polic(?:y|ies)|guidance)"),
    (
        "Awaiting Chief Officer decision/sign off",
        r"(?:chief\s+officers?|exec(?:utive)?|chiefs?)\s+(?:decisions?|sign\s*offs?|approvals?)",
    ),
    ("Included as part of a wider transformation programme", r"transformation(?:\s+programme)?|wider\s+programme"),
    ("Embedding new process, policy or governance", r"embedding|bedding\s+in"),
    ("Partnership/multi-agency challenges", r"partnerships?|partners|multi\s*agency"),
    ("Resource challenges", r"resourc(?:e|es|ing)(?:\s+challenges?|\s+issues?)?|capacity|staffing|short\s+staffed"),
    ("Recruitment", r"recruit(?:ment|ing)?|hiring|vacanc(?:y|ies)"),
    (
        "Requires a new IT solution",
        r"(?:a\s+)?(?:new\s+)?it\s+(?:solutions?|systems?|project|fix|upgrade)|"
        rf"{_CUE}(?:a\s+|the\s+|an?\s+new\s+|new\s+)?(?:systems?|software|technology|tech|digital\s+solution)",
    ),
    ("Dependent on Connect", r"connect"),
    ("Ambitious completion date", r"ambitious|unrealistic\s+(?:dates?|deadlines?|targets?)"),
    ("Effectiveness of solution under review", r"effectiveness|solution\s+under\s+review"),
    ("Project delay", rf"{_CUE}(?:a\s+|the\s+)?projects?(?:\s+delays?)?|project\s+delays?"),
)
_STATUS: tuple[tuple[str, str], ...] = (
    (
        "implemented",
        r"implemented\s+(?:but\s+|and\s+)?(?:not\s+(?:yet\s+)?|still\s+not\s+)?(?:closed|signed\s+off)|"
        r"implemented\s+(?:but\s+|and\s+)?(?:still\s+)?(?:awaiting|waiting\s+for|pending)\s+(?:dara|closure|sign\s+off)|"
        r"(?:awaiting|waiting\s+for|pending)\s+dara|implemented\s+(?:but\s+)?(?:still\s+)?open",
    ),
    ("submitted for closure", r"submitted\s+for\s+closure|awaiting\s+closure"),
    ("holding", r"(?:in\s+)?(?:a\s+)?holding(?!\s+(?:\w+\s+)?up)(?:\s+position)?|on\s+hold"),
    ("open", r"(?:open\s+and\s+)?not\s+(?:yet\s+)?(?:been\s+)?started|yet\s+to\s+start|not\s+begun"),
    ("in progress", r"(?:still\s+)?in\s+progress|under\s*way|being\s+worked\s+on|started"),
    ("closed", r"(?<!not\s)(?<!be\s)(?:confirmed\s+)?closed(?:\s+(?:off|down))?(?!\s+(?:yet|or))"),
)
_KIND: tuple[tuple[str | None, str], ...] = (
    (None, r"(?:recommendations?|recs?)\s+(?:and|or|vs|versus|&|against)\s+(?:afis?|areas?\s+for\s+improvement)"),
    ("rec", r"(?:not|excluding|except|without|other\s+than)\s+(?:the\s+)?(?:afis?|areas?\s+for\s+improvement)"),
    ("rec", r"(?:recommendations?|recs?)\s+only|only\s+(?:the\s+)?(?:recommendations?|recs?)"),
    ("afi", r"afis?|areas?\s+for\s+improvement"),
)
_NEGATED_SOURCE = (
    r"(?:not\s+counting|not\s+including|excluding|exclude|except(?:\s+for)?|other\s+than|apart\s+from|"
    rf"leaving\s+out|ignoring|without|but\s+not|minus|no)\s+(?:the\s+|any\s+)?{_SOURCE_WORDS}"
    r"(?:\s+(?:ones|items|actions|recommendations))?"
)
_ASSURANCE = (
    r"(?:from\s+|of\s+|in\s+)?(?:the\s+)?(?:(?:limited|poor)(?:\s+(?:or|and)\s+no)?\s+assurance|no\s+assurance|"
    r"limited)(?:\s+(?:audits?|reports?|ones))?"
)
_ORIGINAL = r"originally(?:\s+due)?|(?:original|initial|first)\s+(?:due\s+)?dates?(?=\s+(?:before|after|in|by|from|between|until|of))"
_BY: tuple[tuple[str, str], ...] = (
    (
        "source",
        r"(?:dara|internal\s+audit)\s+(?:vs|versus|v|against|and|compared\s+(?:to|with))\s+(?:hmicfrs|hmic)|"
        r"(?:hmicfrs|hmic)\s+(?:vs|versus|v|against|and|compared\s+(?:to|with))\s+dara|by\s+source",
    ),
    (
        "kind",
        r"by\s+(?:kind|type|state|status)(?:\s+and\s+(?:kind|type|state|status))?|"
        r"(?:recs?|recommendations)\s+(?:vs|versus|against)\s+(?:afis?|areas\s+for\s+improvement)",
    ),
    (
        "owner",
        r"(?:per|each|every|by)\s+(?:action\s+)?(?:owners?|person|people|individual)|who\s+(?:has|have|s|is)\s+"
        r"(?:got\s+)?(?:the\s+)?(?:most|highest|biggest)|which\s+owners?|owners?\s+with\s+(?:the\s+)?most|"
        r"(?:rank|league\s+table\s+of)\s+owners",
    ),
    (
        "group",
        r"(?:for\s+|in\s+)?(?:each|every|per)\s+(?:business\s+)?(?:groups?|areas?|commands?|directorates?)|"
        r"by\s+(?:business\s+)?(?:groups?|areas?|commands?|directorates?)|"
        r"which\s+(?:business\s+)?(?:group|area|command|directorate)s?|(?:across|for|in)\s+all\s+(?:the\s+)?groups|"
        r"group\s+by\s+group|(?:rank|league\s+table\s+of)\s+(?:the\s+)?groups",
    ),
)
_PERCENT = (
    r"percent(?:age)?s?|pct|proportion|(?<!response\s)rates?|(?:worst|best|highest|lowest)\s+(?:overdue\s+)?"
    r"(?:rate|percentage|record)"
)
_OVERDUE_RATE = (
    r"(?:worst|highest|lowest|best)\s+(?:overdue\s+)?(?:rate|percentage|record)|overdue\s+rates?|"
    r"(?:is|are)\s+(?:the\s+)?(?:worst|best)(?:\s+(?:performing|performer))?|(?:worst|best)\s+(?:performing|performer)|"
    r"perform(?:s|ing)?\s+(?:the\s+)?(?:worst|best)"
)
_BOTH = r"outstanding\s+(?:and|vs|versus|against)\s+overdue|overdue\s+(?:and|vs|versus)\s+outstanding|side\s+by\s+side"
_AGE = (
    rf"(?:(?:by\s+)?(?:more\s+than|over|at\s+least|upwards\s+of)\s+(?P<n>{NUMBER})\s+(?P<u>{UNIT})\s+"
    r"(?:overdue|late|past\s+(?:its\s+|their\s+)?due(?:\s+dates?)?|behind)|"
    r"(?:overdue|late|behind)\s+(?:for\s+|by\s+)?(?:more\s+than|over|at\s+least|upwards\s+of)\s+"
    rf"(?P<n2>{NUMBER})\s+(?P<u2>{UNIT}))"
)
_MINE = (
    r"(?:my|mine)(?:\s+own)?(?=\s+(?!(?:own\s+)?(?:business\s+)?(?:groups?|areas?|commands?|departments?|dept|"
    r"directorates?|units?|teams?|bgs?|patch|portfolio|divisions?)\b)(?:\w+\s+){0,4}?(?:actions?|tasks?|items?|"
    r"recommendations?|stuff|jobs?|list|work)\b)|"
    r"of\s+mine|on\s+my\s+plate|(?<!covering\s)(?<!cover\s)(?:for|to|from|by|with)\s+me|"
    r"(?:do|must|should|shall|have)\s+i\s+(?:still\s+)?(?:got\s+|need\s+|have\s+)?to\s+"
    r"(?:(?:do|complete|finish|deliver|implement|close|update)\b)?|"
    r"i\s+(?:still\s+)?(?:need|have|must)\s+(?:to\s+)?(?:do|complete|finish|deliver|implement|close|update)?|"
    r"(?:i\s+am|am\s+i)\s+(?:responsible|accountable)(?:\s+for)?|(?:i|we)\s+own|owned\s+by\s+me|what\s+(?:do|have)\s+i\s+"
    r"(?:own|got|have)"
)
_TODO = (
    r"(?:needs?|has|have|got)\s+to\s+be\s+(?:done|completed|delivered|implemented|finished|closed)|"
    r"(?:still\s+)?to\s+be\s+done|(?:still\s+)?to\s+do|yet\s+to\s+be\s+(?:done|completed|delivered|implemented)"
)
_NON_RESPONDERS = (
    r"who\s+(?:has|have|is|s)\s+not\s+(?:yet\s+)?(?:responded|replied|updated|answered)|non\s*responders?|"
    r"not\s+(?:yet\s+)?(?:responded|replied)|(?:still\s+|yet\s+)to\s+(?:respond|reply)|who\s+(?:still\s+)?owes"
)
_EXTENDED = (
    r"(?:deadlines?|due\s+dates?|dates?)\s+(?:have\s+been\s+|has\s+been\s+|were\s+|was\s+)?(?:extended|pushed\s+back|moved)|"
    r"(?:extended|extension|extensions|pushed\s+back)(?:\s+(?:deadlines?|due\s+dates?|dates?))?|"
    r"(?:revised|new)\s+(?:deadline|due\s+date)\s+agreed|revised\s+deadlines?"
)


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{pattern})(?![\w])")


# a cue before any reason ("because of covid", "held up by recruitment") is part of the filter's words
_T_DELAY = tuple((value, _compile(rf"(?:{_CUE})?(?:{p})")) for value, p in _DELAY)
_T_STATUS = tuple((value, _compile(p)) for value, p in _STATUS)
_T_KIND = tuple((value, _compile(p)) for value, p in _KIND)
_T_BY = tuple((value, _compile(p)) for value, p in _BY)
_P = {
    name: _compile(pattern)
    for name, pattern in (
        ("negated_source", _NEGATED_SOURCE),
        ("assurance", _ASSURANCE),
        ("original", _ORIGINAL),
        ("percent", _PERCENT),
        ("overdue_rate", _OVERDUE_RATE),
        ("both", _BOTH),
        ("age", _AGE),
        ("mine", _MINE),
        ("todo", _TODO),
        ("non_responders", _NON_RESPONDERS),
        ("extended", _EXTENDED),
    )
}


@dataclass
class Everyday:
    """What the everyday-word tables found, and the tokens they used."""

    source: str | None = None  # from a negation: "not counting HMICFRS" -> "dara"
    delay_reason: str | None = None
    status: str | None = None
    item_kind: str | None = None
    assurance: str | None = None
    original: bool = False
    by: str | None = None
    percent: bool = False
    mine: bool = False
    todo: bool = False  # "what needs to be done": outstanding work, not delivered work
    non_responders: bool = False
    revised: bool | None = None  # "deadline extended", "revised deadline agreed"
    age: tuple[int | str, str] | None = None  # (count words, unit): "more than a year overdue"
    intent_hint: str | None = None  # "overdue" (a rate, an age) | "outstanding" (side by side)
    tokens: set[int] = field(default_factory=set)  # hidden from every later stage


def find_everyday(words: tuple[str, ...], hidden: set[int]) -> Everyday:
    """Every everyday filter in the visible words (each at most once). One view of the words serves
    every table: a match overlapping words an earlier table took is skipped (parsing stays < 1 ms)."""
    found = Everyday()
    view = View.of(words, hidden)

    def free(pattern: re.Pattern[str]) -> list[tuple[re.Match[str], range]]:
        return [(m, tokens) for m, tokens in view.find(pattern) if found.tokens.isdisjoint(tokens)]

    def take(name: str, *, hide: bool = True) -> re.Match[str] | None:
        hits = free(_P[name])
        if not hits:
            return None
        if hide:  # every occurrence: "what have I got on my plate" says "mine" twice
            found.tokens.update(i for _, tokens in hits for i in tokens)
        return hits[0][0]

    def take_table(table: Iterable[tuple[object, re.Pattern[str]]], *, hide: bool = True) -> object:
        for value, pattern in table:
            hits = free(pattern)
            if hits:
                if hide:
                    found.tokens.update(hits[0][1])
                return value if value is not None else ""
        return None

    found.non_responders = take("non_responders", hide=False) is not None
    negated = take("negated_source")
    if negated is not None:
        found.source = "dara" if re.match(r"hmic|insp", negated["src"]) else "hmicfrs"
    age = take("age")
    if age is not None:
        found.age = (age["n"] or age["n2"], age["u"] or age["u2"])
        found.intent_hint = "overdue"
    kind = take_table(_T_KIND, hide=False)
    found.item_kind = kind if isinstance(kind, str) and kind else None
    found.delay_reason = _str(take_table(_T_DELAY))
    found.status = _str(take_table(_T_STATUS))
    found.by = _str(take_table(_T_BY))
    rate = take("overdue_rate") is not None
    if rate:
        found.intent_hint = "overdue"
    found.percent = take("percent") is not None or rate
    if take("both") is not None:
        found.intent_hint = "outstanding"
    found.assurance = "limited" if take("assurance") is not None else None
    found.original = take("original") is not None
    found.mine = take("mine") is not None
    found.todo = take("todo") is not None
    if take("extended") is not None:
        found.revised = True
    return found


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
