"""Rows as the workbook sees them: one flat dict per stored row, keyed by column name.

Import, export and history all use these names, so a change recorded in Teams reads the same as
one made by re-importing the workbook.
"""

from __future__ import annotations

from typing import Any

from store.db.models import Action, Audit, InspectionItem, Person

__all__ = ["person_flat", "audit_flat", "action_flat", "inspection_flat"]


def person_flat(person: Person, led_groups: tuple[str, ...], delegates: tuple[str, ...]) -> dict[str, Any]:
    own = person.business_group.name if person.business_group else None
    groups = tuple(dict.fromkeys(([own] if own else []) + list(led_groups)))
    return {
        "email": person.email,
        "name": person.name,
        "business_group": groups,
        "roles": tuple(sorted(person.role_names)) or ("owner",),
        "aad_object_id": person.aad_object_id,
        "delegates": delegates,
        "active": person.active is not False,
    }


def audit_flat(audit: Audit) -> dict[str, Any]:
    return {
        "audit_id": audit.audit_id,
        "title": audit.title,
        "received": audit.received,
        "kind": audit.kind,
        "assurance": audit.assurance,
        "restricted": audit.restricted,
        "follows": audit.follows,
    }


def action_flat(action: Action) -> dict[str, Any]:
    return {
        "ref": action.ref,
        "audit_id": action.audit.audit_id,
        "description": action.description,
        "risk": action.risk,
        "business_group": action.business_group.name,
        "owner_email": action.owner.email,
        "due_date": action.due_date,
        "revised_due_date": action.revised_due_date,
        "status": action.status,
        "delay_reason": action.delay_reason,
        "key_theme": action.key_theme,
        "implemented_on": action.implemented_on,
        "closed_on": action.closed_on,
        "last_update_on": action.last_update_on,
        "last_update_note": action.last_update_note,
        "evidence_note": action.evidence_note,
        "evidence_link": action.evidence_link,
    }


def inspection_flat(item: InspectionItem) -> dict[str, Any]:
    return {
        "ref": item.ref,
        "inspection": item.inspection,
        "inspection_year": item.inspection_year,
        "scope": item.scope,
        "kind": item.kind,
        "theme": item.theme,
        "business_group": item.business_group.name if item.business_group else None,
        "owner_email": item.owner.email if item.owner else None,
        "due_date": item.due_date,
        "status": item.status,
        "progress_note": item.progress_note,
        "evidence_note": item.evidence_note,
        "evidence_link": item.evidence_link,
        "last_update_on": item.last_update_on,
        "submitted_on": item.submitted_on,
        "closed_on": item.closed_on,
    }
