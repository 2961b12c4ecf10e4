"""Why an owner's update cannot be saved yet, as codes and facts (domain/update_rules.py finds them;
cards/update_wording.py words them). Keyed by the card input they belong beside.

Plain data that round-trips through JSON, like the UpdateOutcome that carries it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

__all__ = [
    "TOO_LONG",
    "TOO_MANY_LINKS",
    "NOT_HTTPS",
    "EVIDENCE_FOR_IMPLEMENTED",
    "EVIDENCE_FOR_CLOSURE",
    "ACTION_STATUS_NOT_OWNERS",
    "INSPECTION_STATUS_NOT_OWNERS",
    "DATE_UNREADABLE",
    "DATE_NOT_FUTURE",
    "DATE_TOO_FAR",
    "DATE_NOT_AFTER_DUE",
    "DATE_ALREADY_AGREED",
    "DATE_WITH_IMPLEMENTED",
    "KEEPS_DELAY_REASON",
    "REASON_FOR_PROPOSAL",
    "REASON_WHILE_PENDING",
    "REASON_NOT_LISTED",
    "REASON_NEEDED_OVERDUE",
    "REASON_NEEDED_PROPOSAL",
    "NOTHING_TO_SAVE",
    "UpdateProblem",
]

# text and links
TOO_LONG = "too_long"  # count: characters given, limit: the most allowed
TOO_MANY_LINKS = "too_many_links"  # count: links given, limit: the most allowed
NOT_HTTPS = "not_https"  # link: the first link that is not https, count: how many more are not
EVIDENCE_FOR_IMPLEMENTED = "evidence_for_implemented"  # marking an action implemented needs evidence
EVIDENCE_FOR_CLOSURE = "evidence_for_closure"  # submitting an HMICFRS item for closure needs evidence
# statuses an owner may not set
ACTION_STATUS_NOT_OWNERS = "action_status_not_owners"
INSPECTION_STATUS_NOT_OWNERS = "inspection_status_not_owners"
# a proposed revised date
DATE_UNREADABLE = "date_unreadable"
DATE_NOT_FUTURE = "date_not_future"  # on: today
DATE_TOO_FAR = "date_too_far"  # on: the last date allowed
DATE_NOT_AFTER_DUE = "date_not_after_due"  # on: the original due date
DATE_ALREADY_AGREED = "date_already_agreed"
DATE_WITH_IMPLEMENTED = "date_with_implemented"
# the delay reason
KEEPS_DELAY_REASON = "keeps_delay_reason"  # 'no delay' chosen for an action past its original due date
REASON_FOR_PROPOSAL = "reason_for_proposal"  # 'no delay' chosen while proposing a revised date
REASON_WHILE_PENDING = "reason_while_pending"  # 'no delay' while a proposal waits; on: the proposed date
REASON_NOT_LISTED = "reason_not_listed"
REASON_NEEDED_OVERDUE = "reason_needed_overdue"
REASON_NEEDED_PROPOSAL = "reason_needed_proposal"
# the submission as a whole
NOTHING_TO_SAVE = "nothing_to_save"


@dataclass(frozen=True)
class UpdateProblem:
    """One problem with one input: a code above and the facts its words need."""

    code: str
    count: int | None = None
    limit: int | None = None
    on: date | None = None
    link: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "count": self.count,
            "limit": self.limit,
            "on": self.on.isoformat() if self.on else None,
            "link": self.link,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "UpdateProblem":
        on = data.get("on")
        return cls(
            code=str(data["code"]),
            count=data.get("count"),
            limit=data.get("limit"),
            on=date.fromisoformat(on) if isinstance(on, str) and on else None,
            link=data.get("link"),
        )
