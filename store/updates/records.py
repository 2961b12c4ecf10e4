"""The one place an ``Action`` row is read into its domain facts (domain/action_record.py).

The owner's card view (store/updates/actions.py) and the tab's detail (store/queries/detail.py)
are both built from this record, so a new or renamed column is mapped here once.
"""

from __future__ import annotations

from datetime import date

from domain.action_record import ActionRecord
from domain.rules import days_late, is_monitored
from store.db.models import Action

__all__ = ["action_record"]


def action_record(action: Action, today: date, *, pending: date | None) -> ActionRecord:
    """``pending``: the action's proposed revised date awaiting governance (store/updates/proposals.py)."""
    audit = action.audit
    return ActionRecord(
        ref=action.ref,
        description=action.description,
        audit_title=audit.title,
        audit_received=audit.received,
        audit_kind=audit.kind,
        assurance=audit.assurance,
        risk=action.risk,
        monitored=is_monitored(action.risk, audit.assurance),
        business_group=action.business_group.name,
        owner_id=action.owner_id,
        owner_name=action.owner.name,
        owner_email=action.owner.email,
        status=action.status,
        version=action.version,
        due_date=action.due_date,
        revised_due_date=action.revised_due_date,
        effective_due_date=action.effective_due_date,
        days_overdue=days_late(action.status, action.due_date, today),
        delay_reason=action.delay_reason,
        key_theme=action.key_theme,
        implemented_on=action.implemented_on,
        closed_on=action.closed_on,
        last_update_on=action.last_update_on,
        last_update_note=action.last_update_note,
        evidence_note=action.evidence_note,
        evidence_link=action.evidence_link,
        pending_date=pending,
    )
