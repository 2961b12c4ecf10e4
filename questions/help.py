"""Example questions for the help card; each is guaranteed (and tested) to parse."""

from __future__ import annotations

__all__ = ["EXAMPLES"]

EXAMPLES: tuple[str, ...] = (
    "What's overdue in my group?",
    "Outstanding high risk actions",
    "What is due before the end of March?",
    "Due in the next 3 months",
    "Overdue with no revised date",
    "Why are we delayed?",
    "What was delivered this quarter?",
    "Show stale actions",
    "Summary",
    "Overdue percentage by group",
    "How many audits have outstanding actions?",
    "Open HMICFRS recommendations",
    "My actions",
    "Request updates",
    "Cycle status",
    "Pending decisions",
    "Panel report",
)
