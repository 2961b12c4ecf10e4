"""One DARA action's facts as the store reads them, under one set of names.

The owner's card (``ActionView``, domain/update_views.py) and the tab's detail pane
(``ActionDetail``, domain/answers.py) both show these facts. Each keeps the field names its
readers already use (the cards, and the JSON the tab's API returns), so each is built from this
record by ``from_record`` instead of reading the database row a second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["ActionRecord"]


@dataclass(frozen=True)
class ActionRecord:
    """What the store knows about one action on a given day (store/updates/records.py builds it)."""

    ref: str
    description: str
    audit_title: str
    audit_received: str
    audit_kind: str
    assurance: str
    risk: str
    monitored: bool
    business_group: str
    owner_id: int | None
    owner_name: str
    owner_email: str
    status: str
    version: int
    due_date: date  # original, never changes
    revised_due_date: date | None  # accepted by governance
    effective_due_date: date
    days_overdue: int  # 0 when not overdue (spec: outstanding, original due date past)
    delay_reason: str | None
    key_theme: str | None
    implemented_on: date | None
    closed_on: date | None
    last_update_on: date | None
    last_update_note: str | None
    evidence_note: str | None
    evidence_link: str | None
    pending_date: date | None  # a proposed revised date awaiting governance
