"""One action's (or inspection item's) full record and recent history, if the viewer may see it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from domain.answers import ActionDetail, HistoryLine, InspectionDetail
from domain.permissions import Viewer
from domain.rules import days_late, is_monitored
from store.db.models import Action, InspectionItem
from store.history import history_lines
from store.queries.scope import scope_clause, viewer_scope
from store.updates.proposals import pending_dates

__all__ = ["action_detail", "inspection_detail", "HISTORY_LINES"]

HISTORY_LINES = 8


def _history(session: Session, entity: str, ref: str) -> tuple[HistoryLine, ...]:
    return history_lines(session, entity=entity, ref=ref, limit=HISTORY_LINES)


def action_detail(session: Session, viewer: Viewer, ref: str, today: date) -> ActionDetail | None:
    """The action ``ref`` with its recent history; None when unknown or outside the viewer's scope."""
    action = session.scalar(select(Action).where(and_(Action.ref == ref, scope_clause(viewer_scope(viewer), Action))))
    if action is None:
        return None
    pending = pending_dates(session, [action.id]).get(action.id)
    return ActionDetail(
        ref=action.ref,
        description=action.description,
        audit=action.audit.title,
        audit_received=action.audit.received,
        audit_kind=action.audit.kind,
        assurance=action.audit.assurance,
        risk=action.risk,
        monitored=is_monitored(action.risk, action.audit.assurance),
        group=action.business_group.name,
        owner=action.owner.name,
        owner_email=action.owner.email,
        status=action.status,
        due_date=action.due_date,
        revised_due_date=action.revised_due_date,
        effective_due=action.effective_due_date,
        days_overdue=days_late(action.status, action.due_date, today),
        delay_reason=action.delay_reason,
        key_theme=action.key_theme,
        implemented_on=action.implemented_on,
        closed_on=action.closed_on,
        last_update_on=action.last_update_on,
        last_update_note=action.last_update_note,
        evidence_note=action.evidence_note,
        evidence_link=action.evidence_link,
        pending_revised_date=pending,
        history=_history(session, "action", action.ref),
    )


def inspection_detail(session: Session, viewer: Viewer, ref: str) -> InspectionDetail | None:
    """The inspection item ``ref``; None when unknown or outside the viewer's scope."""
    item = session.scalar(
        select(InspectionItem).where(
            and_(InspectionItem.ref == ref, scope_clause(viewer_scope(viewer), InspectionItem))
        )
    )
    if item is None:
        return None
    return InspectionDetail(
        ref=item.ref,
        inspection=item.inspection,
        inspection_year=item.inspection_year,
        scope=item.scope,
        item_kind=item.kind,
        theme=item.theme,
        group=item.business_group.name if item.business_group else None,
        owner=item.owner.name if item.owner else None,
        due_date=item.due_date,
        status=item.status,
        progress_note=item.progress_note,
        evidence_note=item.evidence_note,
        evidence_link=item.evidence_link,
        last_update_on=item.last_update_on,
        history=_history(session, "inspection", item.ref),
    )
