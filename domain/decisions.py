"""Governance decisions on what owners propose (revised due dates, closures): the request and
its result, as plain data and outcome codes (cards/decisions.py words them)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "REVISED",
    "CLOSURE",
    "Decision",
    "DecisionResult",
    "DECIDED",
    "NO_SUCH_PROPOSAL",
    "ALREADY_DECIDED",
    "DATE_OUT_OF_RANGE",
    "NO_SUCH_ACTION",
    "NOT_PROPOSED",
    "REASON_NEEDED",
    "REASON_TOO_LONG",
    "UNKNOWN_KIND",
    "NOT_PERMITTED",
    "REPLACED_BY_NEWER",
    "OTHER_DATE_ACCEPTED",
]

REVISED, CLOSURE = "revised", "closure"

# DecisionResult.outcome values
DECIDED = "decided"  # detail: what was decided ('accepted' | 'rejected')
NO_SUCH_PROPOSAL = "no_such_proposal"
ALREADY_DECIDED = "already_decided"  # detail: the earlier decision
DATE_OUT_OF_RANGE = "date_out_of_range"  # accepting a stored date not after today and within ten years
NO_SUCH_ACTION = "no_such_action"
NOT_PROPOSED = "not_proposed"  # detail: the action's status
REASON_NEEDED = "reason_needed"
REASON_TOO_LONG = "reason_too_long"  # detail: the reason's length (characters)
UNKNOWN_KIND = "unknown_kind"  # detail: the kind asked for
NOT_PERMITTED = "not_permitted"  # the viewer may not decide (domain/permissions.py); nothing was decided

# A proposal's decision_reason when the store closed it, not a governance person (whose reason is
# kept as they typed it). Never typed by a person, so a stored reason is never mistaken for one.
# No card or command shows a proposal's decision_reason (the decision's own outcome card words it).
REPLACED_BY_NEWER = "replaced_by_newer_proposal"  # withdrawn: the owner proposed another date
OTHER_DATE_ACCEPTED = "other_date_accepted"  # rejected: another proposed date was accepted


@dataclass(frozen=True)
class Decision:
    kind: str  # revised | closure
    id: int  # the proposal id (revised) or the action id (closure)
    accept: bool
    reason: str | None = None


@dataclass(frozen=True)
class DecisionResult:
    decision: Decision
    ok: bool
    ref: str | None
    outcome: str
    detail: str | None = None  # see the outcome codes
    date: str | None = None  # on a revised date (decided or out of range): the proposed date (ISO)
