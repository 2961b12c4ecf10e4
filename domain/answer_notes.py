"""What qualifies an answer: the filters it applied and the notes said under its count, as facts
and codes (the store decides them, cards/answers.py words them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = [
    "RISK",
    "AUDIT",
    "OWNER",
    "KEY_THEME",
    "THEME",
    "REVISED",
    "WINDOW",
    "STATUS",
    "DELAY_REASON",
    "ASSURANCE",
    "ITEM_KIND",
    "ORIGINAL_WINDOW",
    "SOURCE",
    "FilterTerm",
    "NOT_UNDERSTOOD",
    "NOT_FOR_ACTIONS",
    "OWN_ONLY",
    "LOW_RISK_UNMONITORED",
    "MEDIUM_RISK_LIMITED",
    "DARA_ONLY",
    "FILTERS_NOT_APPLIED",
    "Note",
]

# FilterTerm.kind values: the filters a question can apply
RISK, AUDIT, OWNER, KEY_THEME, THEME, REVISED, WINDOW = (
    "risk",
    "audit",
    "owner",
    "key_theme",
    "theme",  # the key theme, matched against an HMICFRS item's theme
    "revised",
    "window",
)
# issue 22: the filters people add in everyday words
STATUS, DELAY_REASON, ASSURANCE, ITEM_KIND = "status", "delay_reason", "assurance", "item_kind"
ORIGINAL_WINDOW = "original_window"  # a window on the ORIGINAL due date (start, end)
SOURCE = "source"  # DARA only ("not counting HMICFRS")
# Note.code values: what qualifies an answer
OWN_ONLY = "own_only"  # an owner asked about a group: they see their own actions (and delegated ones)
LOW_RISK_UNMONITORED = "low_risk_unmonitored"  # low-risk actions are never counted
MEDIUM_RISK_LIMITED = "medium_risk_limited"  # medium-risk ones only from limited / no-assurance audits
DARA_ONLY = "dara_only"  # an HMICFRS question answered with DARA figures
FILTERS_NOT_APPLIED = "filters_not_applied"  # filters that mean nothing for what is listed (FilterTerm kinds)
NOT_FOR_ACTIONS = "not_for_actions"  # filters of HMICFRS items (kind, holding ...) asked of DARA actions
NOT_UNDERSTOOD = "not_understood"  # words of the question no filter used, as typed (``filters``)


@dataclass(frozen=True)
class FilterTerm:
    """One filter an answer applied, as data."""

    kind: str  # RISK | AUDIT | OWNER | KEY_THEME | THEME | REVISED | WINDOW | STATUS | DELAY_REASON | ...
    value: str | None = None  # risk, audit, owner, theme, status, delay reason, assurance or kind named
    flag: bool | None = None  # REVISED: with (True) or with no (False) revised date
    start: date | None = None  # WINDOW: due from ...
    end: date | None = None  # ... up to


@dataclass(frozen=True)
class Note:
    """Something the answer's reader should know about it."""

    code: str  # OWN_ONLY | LOW_RISK_UNMONITORED | MEDIUM_RISK_LIMITED | DARA_ONLY | FILTERS_NOT_APPLIED
    filters: tuple[str, ...] = ()  # FILTERS_NOT_APPLIED: the FilterTerm kinds left out; NOT_UNDERSTOOD: the words
