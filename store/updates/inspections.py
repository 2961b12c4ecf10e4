"""An owner's HMICFRS recommendations and areas for improvement: their list, and what the update
pipeline (pipeline.py) does for an item.

Statuses an owner may set: open, submitted for closure (evidence required); closing is decided
by Strategy & Governance. The pipeline gives the same guarantees as for DARA actions: one
transaction, history rows, the cycle response, idempotent replays and stale-card refusal.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from domain.permissions import Viewer
from domain.rules import days_overdue
from domain.update_problems import UpdateProblem
from domain.update_rules import InspectionChange, InspectionFacts, validate_inspection_update
from domain.update_views import INSPECTION, INSPECTION_INPUTS, InspectionView, ItemPage
from domain.words import SUBMITTED_FOR_CLOSURE
from store.db.clauses import outstanding_clause
from store.db.models import Action, InspectionItem
from store.history import ChangeContext
from store.updates.support import CycleColumn, viewer_owners

__all__ = ["InspectionKind", "inspection_view", "inspections_for", "find_inspection"]

DEFAULT_PAGE_SIZE = 8


def _overdue_days(item: InspectionItem, today: date) -> int:
    if item.status != "open" or item.due_date is None:
        return 0
    return days_overdue(item.due_date, today)


def inspection_view(item: InspectionItem, viewer: Viewer | None, today: date, position: int = 0) -> InspectionView:
    return InspectionView(
        ref=item.ref,
        inspection=item.inspection,
        inspection_year=item.inspection_year,
        scope=item.scope,
        kind=item.kind,
        theme=item.theme,
        business_group=item.business_group.name if item.business_group else None,
        owner_name=item.owner.name if item.owner else None,
        due_date=item.due_date,
        status=item.status,
        version=item.version,
        progress_note=item.progress_note,
        evidence_note=item.evidence_note,
        evidence_link=item.evidence_link,
        last_update_on=item.last_update_on,
        days_overdue=_overdue_days(item, today),
        position=position,
        on_behalf_of=(item.owner.name if item.owner and viewer and item.owner_id != viewer.person_id else None),
    )


def inspections_for(
    session: Session, viewer: Viewer, *, today: date, page: int = 0, page_size: int = DEFAULT_PAGE_SIZE
) -> ItemPage:
    """The viewer's (and their delegators') items not yet closed: overdue first, then by due date."""
    mine = (InspectionItem.owner_id.in_(viewer_owners(viewer)), InspectionItem.status != "closed")
    overdue = and_(InspectionItem.status == "open", InspectionItem.due_date < today)
    total, overdue_total = session.execute(
        select(func.count(InspectionItem.id), func.coalesce(func.sum(case((overdue, 1), else_=0)), 0)).where(*mine)
    ).one()
    pages = max(1, -(-total // page_size))
    page = min(max(0, page), pages - 1)
    items = list(
        session.scalars(
            select(InspectionItem)
            .where(*mine)
            .order_by(
                case((overdue, 0), else_=1),
                case((InspectionItem.due_date.is_(None), 1), else_=0),
                InspectionItem.due_date,
                InspectionItem.ref,
            )
            .offset(page * page_size)
            .limit(page_size)
        )
    )
    actions = (
        session.scalar(
            select(func.count(Action.id)).where(Action.owner_id.in_(viewer_owners(viewer)), outstanding_clause())
        )
        or 0
    )
    return ItemPage(
        kind=INSPECTION,
        page=page,
        page_size=page_size,
        total=total,
        overdue_total=int(overdue_total),
        other_total=actions,
        items=tuple(inspection_view(item, viewer, today, page * page_size + i + 1) for i, item in enumerate(items)),
    )


def find_inspection(session: Session, ref: str) -> InspectionItem | None:
    ref = (ref or "").strip()
    if not ref:
        return None
    return session.scalar(select(InspectionItem).where(func.upper(InspectionItem.ref) == ref.upper()))


class InspectionKind:
    """The pipeline's strategy for HMICFRS items (store/updates/pipeline.py)."""

    kind, model, inputs, cycle_column = INSPECTION, InspectionItem, INSPECTION_INPUTS, CycleColumn.INSPECTION

    def find(self, session: Session, ref: str) -> InspectionItem | None:
        return find_inspection(session, ref)

    def owner(self, item: InspectionItem) -> tuple[int | None, str | None]:
        return item.owner_id, item.business_group.name if item.business_group else None

    def is_closed(self, item: InspectionItem) -> bool:
        return item.status == "closed"

    def closed_on(self, item: InspectionItem) -> date | None:
        return None  # items keep no closing date

    def view(self, session: Session, viewer: Viewer, item: InspectionItem, today: date) -> InspectionView:
        return inspection_view(item, viewer, today)

    def form_data(self, session: Session) -> dict[str, Any]:
        return {}

    def validate(
        self, session: Session, item: InspectionItem, inputs: Mapping[str, str], today: date
    ) -> tuple[InspectionChange | None, dict[str, UpdateProblem]]:
        return validate_inspection_update(InspectionFacts(item.status, item.evidence_note, item.evidence_link), inputs)

    def values(self, item: InspectionItem, change: InspectionChange, today: date) -> dict[str, Any]:
        values: dict[str, Any] = {"status": change.status, "last_update_on": today}
        if change.status == SUBMITTED_FOR_CLOSURE and item.status != change.status:
            values["submitted_on"] = today  # the pack counts this quarter's submissions by it (issue 23)
        for name in ("progress_note", "evidence_note", "evidence_link"):
            if getattr(change, name):
                values[name] = getattr(change, name)
        return values

    def after_save(
        self, session: Session, viewer: Viewer, item: InspectionItem, change: InspectionChange, ctx: ChangeContext
    ) -> None:
        return None

    def saved_data(self, change: InspectionChange) -> dict[str, Any]:
        return {}
