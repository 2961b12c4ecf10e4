"""One action's (or inspection item's) full record and recent history, if the viewer may see it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from domain.answers import ActionDetail, HistoryLine, InspectionDetail
from domain.permissions import Viewer
from store.db.models import Action, InspectionItem
from store.history import history_lines
from store.queries.scope import scope_clause, viewer_scope
from store.updates.proposals import pending_dates
from store.updates.records import action_record

__all__ = ["action_detail", "inspection_detail", "HISTORY_LINES"]

HISTORY_LINES = 8


def _history(session: Session, entity: str, ref: str) -> tuple[HistoryLine, ...]:
    return history_lines(session, entity=entity, ref=ref, limit=HISTORY_LINES)


def action_detail(session: Session, viewer: Viewer, ref: str, today: date) -> ActionDetail | None:
    """The action ``ref`` with its recent history; None when unknown or outside the viewer's scope."""
    action = session.scalar(select(Action).where(and_(Action.ref == ref, scope_clause(viewer_scope(viewer), Action))))
    if action is None:
        return None
    record = action_record(action, today, pending=pending_dates(session, [action.id]).get(action.id))
    return ActionDetail.from_record(record, history=_history(session, "action", action.ref))


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
