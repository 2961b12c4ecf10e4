"""What the grid's filters offer a viewer: only groups, audits and owners inside their scope."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from domain.permissions import Viewer
from store.db.models import Action, Audit, BusinessGroup, InspectionItem, Person
from store.queries.scope import scope_clause, viewer_scope

__all__ = ["GridChoices", "grid_choices"]


@dataclass(frozen=True)
class GridChoices:
    groups: tuple[str, ...]
    audits: tuple[tuple[str, str], ...]  # (audit id, title)
    owners: tuple[tuple[int, str], ...]  # (person id, name)


def grid_choices(session: Session, viewer: Viewer) -> GridChoices:
    scope = viewer_scope(viewer)
    in_actions, in_items = scope_clause(scope, Action), scope_clause(scope, InspectionItem)
    group_ids = union(
        select(Action.business_group_id).where(in_actions),
        select(InspectionItem.business_group_id).where(in_items, InspectionItem.business_group_id.is_not(None)),
    ).subquery()
    owner_ids = union(
        select(Action.owner_id).where(in_actions),
        select(InspectionItem.owner_id).where(in_items, InspectionItem.owner_id.is_not(None)),
    ).subquery()
    groups = session.scalars(
        select(BusinessGroup.name).where(BusinessGroup.id.in_(select(group_ids.c[0]))).order_by(BusinessGroup.name)
    )
    audits = session.execute(
        select(Audit.audit_id, Audit.title)
        .where(Audit.id.in_(select(Action.audit_id).where(in_actions)))
        .order_by(Audit.audit_id)
    )
    owners = session.execute(
        select(Person.id, Person.name).where(Person.id.in_(select(owner_ids.c[0]))).order_by(Person.name, Person.id)
    )
    return GridChoices(
        groups=tuple(groups), audits=tuple((a, t) for a, t in audits), owners=tuple((int(i), n) for i, n in owners)
    )
