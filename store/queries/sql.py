"""The few SQL shapes every answer is made of: a count, counts by key, counts by quarter, a page.

Each runs one statement in the database; nothing loads more than one page of rows into Python.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, Select, case, extract, func, select
from sqlalchemy.orm import Session

from store.dates import Quarter
from store.models import Action, Audit, BusinessGroup, InspectionItem, Person
from store.queries.model import InspectionRow, Row
from store.rules import days_overdue

__all__ = ["MAX_QUARTERS", "count", "sums", "count_by", "count_by_group", "count_by_quarter", "action_rows",
           "inspection_rows", "inspection_count", "inspection_count_by_theme"]

MAX_QUARTERS = 12
Where = Sequence[ColumnElement[bool]]


def _actions(*columns) -> Select:
    return select(*columns).select_from(Action).join(Audit, Audit.id == Action.audit_id)


def count(session: Session, where: Where) -> int:
    return int(session.scalar(_actions(func.count(Action.id)).where(*where)) or 0)


def sums(session: Session, where: Where, **flags: ColumnElement[bool]) -> dict[str, int]:
    """One pass: the number of rows, and of rows meeting each flag (``total`` + each name)."""
    columns = [func.count(Action.id).label("total")]
    columns += [func.coalesce(func.sum(case((flag, 1), else_=0)), 0).label(name) for name, flag in flags.items()]
    row = session.execute(_actions(*columns).where(*where)).one()
    return {key: int(value or 0) for key, value in row._mapping.items()}


def count_by(session: Session, where: Where, key, *, join_group: bool = False,
             limit: int | None = None) -> list[tuple[str, int]]:
    """Counts by ``key``, most first (ties by key)."""
    n = func.count(Action.id).label("n")
    stmt = _actions(key, n)
    if join_group:
        stmt = stmt.join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
    stmt = stmt.where(*where).group_by(key).order_by(n.desc(), key)
    if limit:
        stmt = stmt.limit(limit)
    return [(str(k), int(v)) for k, v in session.execute(stmt)]


def count_by_group(session: Session, where: Where, **flags: ColumnElement[bool]) -> list[dict[str, int | str]]:
    """Per business group: the number of rows and of rows meeting each flag, by group name."""
    columns = [BusinessGroup.name.label("group"), func.count(Action.id).label("total")]
    columns += [func.coalesce(func.sum(case((flag, 1), else_=0)), 0).label(name) for name, flag in flags.items()]
    stmt = (_actions(*columns).join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
            .where(*where).group_by(BusinessGroup.name).order_by(BusinessGroup.name))
    return [dict(row._mapping) for row in session.execute(stmt)]


def count_by_quarter(session: Session, where: Where, column) -> list[tuple[str, int]]:
    """Counts by financial quarter of ``column`` (grouped by month in SQL), in date order;
    beyond :data:`MAX_QUARTERS`, the earliest are folded into 'Earlier'."""
    year, month = extract("year", column).label("y"), extract("month", column).label("m")
    stmt = _actions(year, month, func.count(Action.id)).where(*where).group_by(year, month)
    by_quarter: Counter[Quarter] = Counter()
    for y, m, n in session.execute(stmt):
        by_quarter[Quarter.containing(date(int(y), int(m), 1))] += int(n)
    ordered = sorted(by_quarter.items())
    if len(ordered) > MAX_QUARTERS:
        cut = len(ordered) - (MAX_QUARTERS - 1)
        earlier = sum(n for _, n in ordered[:cut])
        return [("Earlier", earlier)] + [(q.label, n) for q, n in ordered[cut:]]
    return [(q.label, n) for q, n in ordered]


def action_rows(session: Session, where: Where, order: Sequence, today: date, *, offset: int,
                limit: int) -> list[Row]:
    """One page of actions, in ``order`` then ref (unique, so the order is stable)."""
    stmt = (_actions(Action.ref, Action.description, Person.name, BusinessGroup.name, Action.due_date,
                     Action.revised_due_date, Action.delay_reason, Action.status, Action.implemented_on)
            .join(Person, Person.id == Action.owner_id)
            .join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
            .where(*where).order_by(*order, Action.ref).offset(offset).limit(limit))
    rows = []
    for ref, title, owner, group, due, revised, reason, status, implemented in session.execute(stmt):
        late = days_overdue(due, today) if status in ("open", "in progress") else 0
        rows.append(Row(ref=ref, title=title, owner=owner, group=group, due_date=due, effective_due=revised or due,
                        days_overdue=late, delay_reason=reason, revised_date=revised, status=status,
                        implemented_on=implemented))
    return rows


def inspection_rows(session: Session, where: Where, today: date, *, offset: int, limit: int) -> list[InspectionRow]:
    """One page of inspection items: earliest due first (no date last), then ref."""
    stmt = (select(InspectionItem.ref, InspectionItem.inspection, InspectionItem.kind, InspectionItem.theme,
                   Person.name, BusinessGroup.name, InspectionItem.due_date, InspectionItem.status)
            .select_from(InspectionItem)
            .outerjoin(Person, Person.id == InspectionItem.owner_id)
            .outerjoin(BusinessGroup, BusinessGroup.id == InspectionItem.business_group_id)
            .where(*where)
            .order_by(case((InspectionItem.due_date.is_(None), 1), else_=0), InspectionItem.due_date,
                      InspectionItem.ref)
            .offset(offset).limit(limit))
    return [InspectionRow(ref=ref, title=title, item_kind=kind, theme=theme, owner=owner, group=group,
                          due_date=due, status=status, days_overdue=days_overdue(due, today) if due else 0)
            for ref, title, kind, theme, owner, group, due, status in session.execute(stmt)]


def inspection_count_by_theme(session: Session, where: Where) -> list[tuple[str, int]]:
    theme = func.coalesce(InspectionItem.theme, "(no theme)").label("theme")
    n = func.count(InspectionItem.id).label("n")
    stmt = select(theme, n).select_from(InspectionItem).where(*where).group_by(theme).order_by(n.desc(), theme)
    return [(str(k), int(v)) for k, v in session.execute(stmt)]


def inspection_count(session: Session, where: Where) -> int:
    return int(session.scalar(select(func.count(InspectionItem.id)).where(*where)) or 0)
