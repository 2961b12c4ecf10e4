"""Governance's new audit and its actions, as the creation tests send them: straight to the store
service (tests/store/test_creation.py) and through the tab's API (tests/web/test_create.py)."""

from __future__ import annotations

from typing import Any

GRACE = "grace.gordon@met.police.example"
OLIVIA = "olivia.owen@met.police.example"
AUDIT = {
    "audit_id": "DARA-2026-31",
    "title": "Custody healthcare",
    "received": "2026/27 Q3",
    "kind": "original",
    "assurance": "limited",
}


def new_action(**fields: Any) -> dict[str, Any]:
    """One valid action for AUDIT, owned by Olivia; `fields` change or add to it."""
    return {
        "description": "Agree a healthcare contract review",
        "risk": "high",
        "business_group": "Met Operations",
        "owner_email": OLIVIA,
        "due_date": "2027-03-31",
    } | fields
