"""Which actions (and HMICFRS items) an update cycle asks about, and who owns them.

Scopes: every outstanding monitored action; one business group's; the overdue ones (original
due date before today, as the spec counts); the ones whose effective due date falls within N
days from today. Each may add the open HMICFRS items (status 'open': items in a holding
position are paused nationally and items submitted for closure await a decision). The scope is
plain data (domain/cycles.py); its words are the cards' (cards/cycle_wording.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from domain.cycles import (
    BAD_DAYS,
    MAX_DAYS,
    SCOPE_KINDS,
    UNKNOWN_GROUP,
    UNKNOWN_SCOPE_KIND,
    CycleProblem,
    CycleScope,
    ScopeError,
)
from domain.message_parts import RequestItem
from domain.rules import days_overdue
from store.db.clauses import effective_due, monitored_clause, outstanding_clause, overdue_clause
from store.db.models import Action, Audit, BusinessGroup, InspectionItem, Person
from store.db.setup import business_groups

__all__ = ["CycleScope", "ScopeError", "ScopeItem", "checked_scope", "resolve_cycle_scope"]


def checked_scope(session: Session, scope: CycleScope) -> CycleScope:
    """The scope with its group name as stored (case-insensitive), or a ScopeError."""
    if scope.kind not in SCOPE_KINDS:
        raise ScopeError(CycleProblem(UNKNOWN_SCOPE_KIND, given=scope.kind))
    if scope.kind == "group":
        names = business_groups(session)
        match = next((n for n in names if n.lower() == (scope.group or "").strip().lower()), None)
        if match is None:
            raise ScopeError(CycleProblem(UNKNOWN_GROUP, given=scope.group, choices=tuple(names)))
        return CycleScope("group", group=match, include_hmicfrs=scope.include_hmicfrs)
    if scope.kind == "due_within":
        if scope.days is None or not 1 <= int(scope.days) <= MAX_DAYS:
            raise ScopeError(CycleProblem(BAD_DAYS, limit=MAX_DAYS))
        return CycleScope("due_within", days=int(scope.days), include_hmicfrs=scope.include_hmicfrs)
    return CycleScope(scope.kind, include_hmicfrs=scope.include_hmicfrs)


@dataclass(frozen=True)
class ScopeItem:
    """One thing an owner is asked about (plain data: its `line` goes into the request message)."""

    kind: str  # action | inspection
    item_id: int
    ref: str
    title: str
    source: str  # the audit title, or the inspection's name
    group: str | None
    owner_id: int
    owner_name: str
    due: date | None
    effective_due: date | None
    status: str
    overdue_days: int

    def line(self) -> RequestItem:
        return RequestItem(
            kind=self.kind,
            ref=self.ref,
            title=self.title,
            source=self.source,
            group=self.group,
            due=self.due.isoformat() if self.due else None,
            effective_due=self.effective_due.isoformat() if self.effective_due else None,
            status=self.status,
            overdue_days=self.overdue_days,
        )


def _actions(session: Session, scope: CycleScope, today: date) -> list[ScopeItem]:
    query = (
        select(
            Action.id,
            Action.ref,
            Action.description,
            Action.due_date,
            Action.revised_due_date,
            Action.status,
            Action.owner_id,
            Person.name,
            BusinessGroup.name.label("group"),
            Audit.title,
        )
        .join(Audit, Audit.id == Action.audit_id)
        .join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
        .join(Person, Person.id == Action.owner_id)
        .where(monitored_clause(), outstanding_clause())
    )
    if scope.kind == "group":
        query = query.where(BusinessGroup.name == scope.group)
    elif scope.kind == "overdue":
        query = query.where(overdue_clause(today))
    elif scope.kind == "due_within":
        query = query.where(effective_due() >= today, effective_due() <= today + timedelta(days=scope.days or 0))
    items = []
    for r in session.execute(query.order_by(Action.ref)):
        effective = r.revised_due_date or r.due_date
        items.append(
            ScopeItem(
                "action",
                r.id,
                r.ref,
                " ".join(r.description.split()),
                r.title,
                r.group,
                r.owner_id,
                r.name,
                r.due_date,
                effective,
                r.status,
                days_overdue(r.due_date, today),
            )
        )
    return items


def _inspections(session: Session, scope: CycleScope, today: date) -> tuple[list[ScopeItem], int]:
    """Open items with an owner, and how many open items in scope have no owner to ask."""
    query = (
        select(
            InspectionItem.id,
            InspectionItem.ref,
            InspectionItem.kind,
            InspectionItem.inspection,
            InspectionItem.theme,
            InspectionItem.due_date,
            InspectionItem.status,
            InspectionItem.owner_id,
            Person.name,
            BusinessGroup.name.label("group"),
        )
        .outerjoin(Person, Person.id == InspectionItem.owner_id)
        .outerjoin(BusinessGroup, BusinessGroup.id == InspectionItem.business_group_id)
        .where(InspectionItem.status == "open")
    )
    if scope.kind == "group":
        query = query.where(BusinessGroup.name == scope.group)
    elif scope.kind == "overdue":
        query = query.where(InspectionItem.due_date < today)
    elif scope.kind == "due_within":
        query = query.where(
            and_(InspectionItem.due_date >= today, InspectionItem.due_date <= today + timedelta(days=scope.days or 0))
        )
    items, ownerless = [], 0
    for r in session.execute(query.order_by(InspectionItem.ref)):
        if r.owner_id is None:
            ownerless += 1
            continue
        title = f"{'Recommendation' if r.kind == 'rec' else 'Area for improvement'}: {r.theme or r.inspection}"
        items.append(
            ScopeItem(
                "inspection",
                r.id,
                r.ref,
                title,
                r.inspection,
                r.group,
                r.owner_id,
                r.name,
                r.due_date,
                r.due_date,
                r.status,
                days_overdue(r.due_date, today) if r.due_date else 0,
            )
        )
    return items, ownerless


def resolve_cycle_scope(session: Session, scope: CycleScope, today: date) -> tuple[list[ScopeItem], int]:
    """Every item in scope (actions first), and the number of open HMICFRS items with no owner."""
    scope = checked_scope(session, scope)
    items = _actions(session, scope, today)
    ownerless = 0
    if scope.include_hmicfrs:
        inspections, ownerless = _inspections(session, scope, today)
        items += inspections
    return items, ownerless
