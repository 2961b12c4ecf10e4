"""Which actions (and HMICFRS items) an update cycle asks about, and who owns them.

Scopes: every outstanding monitored action; one business group's; the overdue ones (original
due date before today, as the spec counts); the ones whose effective due date falls within N
days from today. Each may add the open HMICFRS items (status 'open': items in a holding
position are paused nationally and items submitted for closure await a decision).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from store.db.models import Action, Audit, BusinessGroup, InspectionItem, Person
from domain.rules import days_overdue
from store.db.clauses import effective_due, monitored_clause, outstanding_clause, overdue_clause
from store.db.setup import business_groups

__all__ = ["CycleScope", "ScopeError", "ScopeItem", "resolve_cycle_scope", "SCOPE_KINDS", "MAX_DAYS"]

SCOPE_KINDS = ("all", "group", "overdue", "due_within")
MAX_DAYS = 730


class ScopeError(ValueError):
    """The scope cannot be used as given; the message says what to fix."""


@dataclass(frozen=True)
class CycleScope:
    kind: str = "all"
    group: str | None = None
    days: int | None = None
    include_hmicfrs: bool = False

    @classmethod
    def parse(cls, text: str, *, include_hmicfrs: bool = False) -> "CycleScope":
        """'all' | 'group:NAME' | 'overdue' | 'due-within:DAYS' (the command line's form)."""
        raw = (text or "").strip()
        kind, _, arg = raw.partition(":")
        kind = kind.strip().lower().replace("-", "_").replace(" ", "_")
        if kind == "all" and not arg:
            return cls("all", include_hmicfrs=include_hmicfrs)
        if kind == "overdue" and not arg:
            return cls("overdue", include_hmicfrs=include_hmicfrs)
        if kind == "group" and arg.strip():
            return cls("group", group=arg.strip(), include_hmicfrs=include_hmicfrs)
        if kind == "due_within" and re.fullmatch(r"\s*\d{1,4}\s*", arg):
            return cls("due_within", days=int(arg), include_hmicfrs=include_hmicfrs)
        raise ScopeError(f"unknown scope {raw!r}: use all, group:NAME, overdue or due-within:DAYS")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "CycleScope":
        return cls(
            kind=data.get("kind", "all"),
            group=data.get("group"),
            days=data.get("days"),
            include_hmicfrs=bool(data.get("include_hmicfrs")),
        )

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        base = {
            "all": "all outstanding monitored actions",
            "group": f"outstanding monitored actions in {self.group}",
            "overdue": "overdue actions",
            "due_within": f"actions due within {self.days} days",
        }.get(self.kind, self.kind)
        return base + (" and open HMICFRS items" if self.include_hmicfrs else "")

    def checked(self, session: Session) -> "CycleScope":
        """The scope with its group name as stored (case-insensitive), or a ScopeError."""
        if self.kind not in SCOPE_KINDS:
            raise ScopeError(f"unknown scope {self.kind!r}: use all, group, overdue or due within N days")
        if self.kind == "group":
            names = business_groups(session)
            match = next((n for n in names if n.lower() == (self.group or "").strip().lower()), None)
            if match is None:
                raise ScopeError(f"unknown business group {self.group!r}: choose one of {', '.join(names)}")
            return CycleScope("group", group=match, include_hmicfrs=self.include_hmicfrs)
        if self.kind == "due_within":
            if self.days is None or not 1 <= int(self.days) <= MAX_DAYS:
                raise ScopeError(f"'due within' needs a number of days from 1 to {MAX_DAYS}")
            return CycleScope("due_within", days=int(self.days), include_hmicfrs=self.include_hmicfrs)
        return CycleScope(self.kind, include_hmicfrs=self.include_hmicfrs)


@dataclass(frozen=True)
class ScopeItem:
    """One thing an owner is asked about (plain data: it goes into the outbox payload)."""

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

    def payload(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "ref": self.ref,
            "title": self.title,
            "source": self.source,
            "group": self.group,
            "due": self.due.isoformat() if self.due else None,
            "effective_due": self.effective_due.isoformat() if self.effective_due else None,
            "status": self.status,
            "overdue_days": self.overdue_days,
        }


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
    scope = scope.checked(session)
    items = _actions(session, scope, today)
    ownerless = 0
    if scope.include_hmicfrs:
        inspections, ownerless = _inspections(session, scope, today)
        items += inspections
    return items, ownerless
