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
    "FilterTerm",
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
# Note.code values: what qualifies an answer
OWN_ONLY = "own_only"  # an owner asked about a group: they see their own actions (and delegated ones)
LOW_RISK_UNMONITORED = "low_risk_unmonitored"  # low-risk actions are never counted
MEDIUM_RISK_LIMITED = "medium_risk_limited"  # medium-risk ones only from limited / no-assurance audits
DARA_ONLY = "dara_only"  # an HMICFRS question answered with DARA figures
FILTERS_NOT_APPLIED = "filters_not_applied"  # HMICFRS items have no risk, audit or revised date


@dataclass(frozen=True)
class FilterTerm:
    """One filter an answer applied, as data."""

    kind: str  # RISK | AUDIT | OWNER | KEY_THEME | THEME | REVISED | WINDOW
    value: str | None = None  # risk, audit, owner or theme named
    flag: bool | None = None  # REVISED: with (True) or with no (False) revised date
    start: date | None = None  # WINDOW: due from ...
    end: date | None = None  # ... up to


@dataclass(frozen=True)
class Note:
    """Something the answer's reader should know about it."""

    code: str  # OWN_ONLY | LOW_RISK_UNMONITORED | MEDIUM_RISK_LIMITED | DARA_ONLY | FILTERS_NOT_APPLIED
    filters: tuple[str, ...] = ()  # FILTERS_NOT_APPLIED: the FilterTerm kinds left out
