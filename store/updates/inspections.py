"""The same owner journey for HMICFRS recommendations and areas for improvement.

Statuses an owner may set: open, submitted for closure (evidence required); closing is decided
by Strategy & Governance. Same guarantees as DARA actions: one transaction, history rows, the
cycle response, idempotent replays and stale-card refusal.
"""
from __future__ import annotations

import logging
from datetime import date
from typing import Any, Mapping

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from store.history import ChangeContext, apply_changes, record
from store.db.models import Action, InspectionItem
from store.people.viewers import Viewer
from domain.rules import days_overdue
from store.db.clauses import outstanding_clause
from domain.update_rules import InspectionFacts, normalise_inputs, submission_key, validate_inspection_update
from store.updates.support import (
    CycleColumn, already_processed, bump_version, last_changed_by, mark_cycle_response, remember, viewer_owners,
)
from domain.update_views import (
    FORM, INSPECTION, INSPECTION_INPUTS, INVALID, NOT_FOUND, REFUSED, SAVED, STALE, InspectionView, ItemPage,
    UpdateOutcome,
)

__all__ = ["inspection_view", "inspections_for", "find_inspection", "load_inspection_for_update",
           "apply_inspection_update"]

log = logging.getLogger(__name__)
DEFAULT_PAGE_SIZE = 8


def _overdue_days(item: InspectionItem, today: date) -> int:
    if item.status != "open" or item.due_date is None:
        return 0
    return days_overdue(item.due_date, today)


def inspection_view(item: InspectionItem, viewer: Viewer | None, today: date, position: int = 0) -> InspectionView:
    return InspectionView(
        ref=item.ref, inspection=item.inspection, inspection_year=item.inspection_year, scope=item.scope,
        kind=item.kind, theme=item.theme, business_group=item.business_group.name if item.business_group else None,
        owner_name=item.owner.name if item.owner else None, due_date=item.due_date, status=item.status,
        version=item.version, progress_note=item.progress_note, evidence_note=item.evidence_note,
        evidence_link=item.evidence_link, last_update_on=item.last_update_on,
        days_overdue=_overdue_days(item, today), position=position,
        on_behalf_of=(item.owner.name if item.owner and viewer and item.owner_id != viewer.person_id else None),
    )


def inspections_for(session: Session, viewer: Viewer, today: date, page: int = 0,
                    page_size: int = DEFAULT_PAGE_SIZE) -> ItemPage:
    """The viewer's (and their delegators') items not yet closed: overdue first, then by due date."""
    mine = (InspectionItem.owner_id.in_(viewer_owners(viewer)), InspectionItem.status != "closed")
    overdue = and_(InspectionItem.status == "open", InspectionItem.due_date < today)
    total, overdue_total = session.execute(
        select(func.count(InspectionItem.id), func.coalesce(func.sum(case((overdue, 1), else_=0)), 0)).where(*mine)
    ).one()
    pages = max(1, -(-total // page_size))
    page = min(max(0, page), pages - 1)
    items = list(session.scalars(
        select(InspectionItem).where(*mine)
        .order_by(case((overdue, 0), else_=1), case((InspectionItem.due_date.is_(None), 1), else_=0),
                  InspectionItem.due_date, InspectionItem.ref)
        .offset(page * page_size).limit(page_size)
    ))
    actions = session.scalar(
        select(func.count(Action.id)).where(Action.owner_id.in_(viewer_owners(viewer)), outstanding_clause())
    ) or 0
    return ItemPage(kind=INSPECTION, page=page, page_size=page_size, total=total, overdue_total=int(overdue_total),
                    other_total=actions, items=tuple(inspection_view(item, viewer, today, page * page_size + i + 1)
                                                     for i, item in enumerate(items)))


def find_inspection(session: Session, ref: str) -> InspectionItem | None:
    ref = (ref or "").strip()
    if not ref:
        return None
    return session.scalar(select(InspectionItem).where(func.upper(InspectionItem.ref) == ref.upper()))


def _gate(session: Session, viewer: Viewer, ref: str) -> tuple[InspectionItem | None, UpdateOutcome | None]:
    item = find_inspection(session, ref)
    if item is None:
        return None, UpdateOutcome(NOT_FOUND, INSPECTION, ref, message=(
            f"I can't find an HMICFRS item with the reference '{ref}'. Type **my actions** to see yours."))
    group = item.business_group.name if item.business_group else None
    # An item with no owner yet can only be updated by its group's SPOC or governance.
    if not viewer.may_act_for_owner(item.owner_id if item.owner_id is not None else -1, group):
        log.info("inspection update refused: person %s may not update %s", viewer.person_id, item.ref)
        # Never the owner's name, nor another group's name: refusals must not leak who owns what.
        spoc = f"the {group} SPOC" if group and viewer.may_see_group(group) else "its business group's SPOC"
        return item, UpdateOutcome(REFUSED, INSPECTION, item.ref, message=(
            f"You can't update {item.ref}: only its owner, a delegate they have named, "
            f"{spoc} or Strategy & Governance can."))
    return item, None


def _closed(item: InspectionItem) -> UpdateOutcome | None:
    if item.status != "closed":
        return None
    return UpdateOutcome(REFUSED, INSPECTION, item.ref, message=(
        f"{item.ref} is closed, so it is no longer updated here. If that is wrong, please contact "
        "Strategy & Governance."))


def load_inspection_for_update(session: Session, viewer: Viewer, ref: str, today: date) -> UpdateOutcome:
    item, refusal = _gate(session, viewer, ref)
    if refusal is not None:
        return refusal
    assert item is not None
    if (closed := _closed(item)) is not None:
        return closed
    return UpdateOutcome(FORM, INSPECTION, item.ref, inspection=inspection_view(item, viewer, today))


def apply_inspection_update(session: Session, viewer: Viewer, ref: str, submission: Mapping[str, Any],
                            expected_version: int | None, idempotency_key: str | None, ctx: ChangeContext,
                            today: date) -> UpdateOutcome:
    inputs = normalise_inputs(submission, INSPECTION_INPUTS)
    item, refusal = _gate(session, viewer, ref)
    if refusal is not None:
        return refusal
    assert item is not None
    key = idempotency_key or submission_key(viewer.person_id, INSPECTION, item.ref, expected_version, inputs)
    if (earlier := already_processed(session, key)) is not None:
        return earlier
    if (closed := _closed(item)) is not None:
        return closed
    if expected_version is None or expected_version != item.version:
        return _stale(session, viewer, item, today, inputs)
    change, errors = validate_inspection_update(
        InspectionFacts(item.status, item.evidence_note, item.evidence_link), inputs)
    if change is None:
        return UpdateOutcome(INVALID, INSPECTION, item.ref, inspection=inspection_view(item, viewer, today),
                             errors=errors, inputs=dict(inputs), message="Not saved yet: please fix the fields marked below.")
    if not bump_version(session, InspectionItem, item.id, expected_version):
        return already_processed(session, key) or _stale(session, viewer, item, today, inputs)

    values: dict[str, Any] = {"status": change.status, "last_update_on": today}
    for name in ("progress_note", "evidence_note", "evidence_link"):
        if getattr(change, name):
            values[name] = getattr(change, name)
    changes = apply_changes(item, values)
    record(session, ctx, INSPECTION, item.ref, changes)
    responded = mark_cycle_response(session, CycleColumn.INSPECTION, item.id, ctx.at)
    session.flush()
    message = "Saved."
    if any(c.field == "status" and c.new == "submitted for closure" for c in changes):
        message += " Submitted for closure — awaiting Strategy & Governance."
    outcome = UpdateOutcome(SAVED, INSPECTION, item.ref, inspection=inspection_view(item, viewer, today),
                            changed=tuple(c.field for c in changes), message=message)
    remember(session, key, outcome, ctx.at)
    log.info("inspection %s updated by %s: %s; cycle responses=%d", item.ref, ctx.actor,
             ",".join(outcome.changed) or "-", responded)
    return outcome


def _stale(session: Session, viewer: Viewer, item: InspectionItem, today: date, inputs: Mapping[str, str]) -> UpdateOutcome:
    return UpdateOutcome(
        STALE, INSPECTION, item.ref, inspection=inspection_view(item, viewer, today), inputs=dict(inputs),
        changed_by=last_changed_by(session, INSPECTION, item.ref),
        message=f"Not saved: {item.ref} was changed after this card was sent. Here is how it stands now.")
