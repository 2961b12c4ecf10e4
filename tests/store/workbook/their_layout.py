"""A force's own spreadsheet as a test reader has it: their sheets, headings, words and UK dates
(`their_sheets`), and the TOML mapping that reads it as our layout (`MAPPING_TOML`). Shared by the
mapping tests and the docs' examples (tests/cli/test_doc_commands.py: the reader's `their-tracker.xlsx`
and `mapping.toml`)."""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

__all__ = ["THEIRS", "STATUS", "GROUP", "MAPPING_TOML", "their_sheets"]

# our sheet -> (their title, our column -> their heading)
THEIRS = {
    "People": ("Staff", {"email": "E-mail", "name": "Full Name", "business_group": "Directorate", "roles": "Role"}),
    "Audits": ("Audit Log", {"audit_id": "Audit No", "title": "Audit Title", "received": "Qtr Received"}),
    "Actions": (
        "Action Tracker",
        {
            "ref": "Rec No",
            "audit_id": "Audit No",
            "description": "Recommendation",
            "business_group": "Directorate",
            "owner_email": "Action Owner",
            "due_date": "Original Due Date",
            "revised_due_date": "Agreed Revised Date",
            "status": "Progress",
        },
    ),
    "Inspections": ("HMIC Tracker", {"inspection": "Inspection Name", "business_group": "Directorate"}),
}
STATUS = {"open": "Not Started", "in progress": "Ongoing"}
GROUP = {"Met Operations": "MetOps"}

MAPPING_TOML = """
[people]
sheet = "Staff"
[people.columns]
email = "E-mail"
name = "Full Name"
business_group = "Directorate"
roles = "Role"
[people.values.business_group]
MetOps = "Met Operations"

[audits]
sheet = "Audit Log"
[audits.columns]
audit_id = "Audit No"
title = "Audit Title"
received = "Qtr Received"

[actions]
sheet = "Action Tracker"
[actions.columns]
ref = "Rec No"
audit_id = "Audit No"
description = "Recommendation"
business_group = "Directorate"
owner_email = "Action Owner"
due_date = "Original Due Date"
revised_due_date = "Agreed Revised Date"
status = "Progress"
[actions.values.status]
"not started" = "open"
"ONGOING" = "in progress"
[actions.values.business_group]
MetOps = "Met Operations"
[actions.dates]
due_date = "%d/%m/%Y"
revised_due_date = "%d/%m/%Y"

[inspections]
sheet = "HMIC Tracker"
[inspections.columns]
inspection = "Inspection Name"
business_group = "Directorate"
[inspections.values.business_group]
MetOps = "Met Operations"
"""


def _uk(value: Any) -> Any:
    return date.fromisoformat(value).strftime("%d/%m/%Y") if isinstance(value, str) else value


def their_sheets(ours: dict[str, list[list[Any]]]) -> dict[str, list[list[Any]]]:
    """Our sheets as the force keeps them: their titles, headings, words and UK dates, one extra column."""
    out: dict[str, list[list[Any]]] = {}
    changes: dict[str, Callable[[Any], Any]] = {
        "status": lambda v: STATUS.get(v, v),
        "business_group": lambda v: GROUP.get(v, v),
        "due_date": _uk,
        "revised_due_date": _uk,
    }
    for title, rows in ours.items():
        new_title, headings = THEIRS.get(title, (title, {}))
        header = rows[0]
        body = []
        for row in rows[1:]:
            cells = [
                changes[h](v) if h in changes and (title == "Actions" or h == "business_group") else v
                for h, v in zip(header, row)
            ]
            body.append(cells + ["their own notes"])
        out[new_title] = [[headings.get(h, h) for h in header] + ["Comments"], *body]
    return out
