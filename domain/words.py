"""The words of the tracker (docs/domain.md) as constants, in one place."""

from __future__ import annotations

__all__ = [
    "ROLES",
    "OWNER",
    "SPOC",
    "CHIEF_OFFICER",
    "GOVERNANCE",
    "RISKS",
    "ASSURANCES",
    "LIMITED_ASSURANCES",
    "AUDIT_KINDS",
    "ACTION_STATUSES",
    "OUTSTANDING_STATUSES",
    "INSPECTION_STATUSES",
    "SUBMITTED_FOR_CLOSURE",
    "INSPECTION_SCOPES",
    "INSPECTION_KINDS",
    "DEFAULT_BUSINESS_GROUPS",
    "DEFAULT_DELAY_REASONS",
    "CHANNELS",
]

OWNER, SPOC, CHIEF_OFFICER, GOVERNANCE = "owner", "spoc", "chief_officer", "governance"
ROLES = (OWNER, SPOC, CHIEF_OFFICER, GOVERNANCE)

RISKS = ("high", "medium", "low")
ASSURANCES = ("substantial", "adequate", "limited", "no assurance", "not graded")
# Medium-risk actions of these audits are monitored centrally, as are all high-risk actions.
LIMITED_ASSURANCES = ("limited", "no assurance")
AUDIT_KINDS = ("original", "follow-up")

ACTION_STATUSES = ("open", "in progress", "implemented", "closed", "superseded")
OUTSTANDING_STATUSES = ("open", "in progress")
SUBMITTED_FOR_CLOSURE = "submitted for closure"
INSPECTION_STATUSES = ("open", "holding", SUBMITTED_FOR_CLOSURE, "closed")
INSPECTION_SCOPES = ("force", "nationwide")
# An item both a recommendation and an area for improvement is one row: "afi & rec" (the seed's "AFI & Rec").
INSPECTION_KINDS = ("rec", "afi", "afi & rec")

CHANNELS = ("import", "teams", "cli")

DEFAULT_BUSINESS_GROUPS = (
    "Corporate Services",
    "Frontline Policing",
    "Met Operations",
    "Professionalism",
    "Digital Policing",
)

DEFAULT_DELAY_REASONS = (
    "COVID-19 related delay",
    "Dependent on another review (internal/external)",
    "Updating policy and guidance",
    "Awaiting Chief Officer decision/sign off",
    "Included as part of a wider transformation programme",
    "Embedding new process, policy or governance",
    "Partnership/multi-agency challenges",
    "Resource challenges",
    "Recruitment",
    "Requires a new IT solution",
    "Dependent on Connect",
    "Ambitious completion date",
    "Effectiveness of solution under review",
    "Included in and superseded by a different project",
    "Project delay",
)
