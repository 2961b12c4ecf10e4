"""The SQL shapes of the HMICFRS answers: a page of inspection items and their counts, built once per
shape like the actions' statements in sql.py (whose helpers they share)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session

from domain.answers import InspectionRow
from domain.rules import days_overdue
from store.db.models import BusinessGroup, InspectionItem, Person
from store.queries.sql import _PAGE, Params, Where, _cached, _rows

__all__ = ["inspection_rows", "inspection_count", "inspection_count_by_theme", "inspection_count_by_kind"]


@_cached
def _inspection_page(where: tuple[ColumnElement[bool], ...]) -> Select[Any]:
    return (
        select(
            InspectionItem.ref,
            InspectionItem.inspection,
            InspectionItem.kind,
            InspectionItem.theme,
            Person.name,
            BusinessGroup.name,
            InspectionItem.due_date,
            InspectionItem.status,
        )
        .select_from(InspectionItem)
        .outerjoin(Person, Person.id == InspectionItem.owner_id)
        .outerjoin(BusinessGroup, BusinessGroup.id == InspectionItem.business_group_id)
        .where(*where)
        .order_by(case((InspectionItem.due_date.is_(None), 1), else_=0), InspectionItem.due_date, InspectionItem.ref)
        .offset(_PAGE["offset"])
        .limit(_PAGE["limit"])
    )


def inspection_rows(
    session: Session, where: Where, today: date, *, offset: int, limit: int, params: Params = None
) -> list[InspectionRow]:
    """One page of inspection items: earliest due first (no date last), then ref."""
    paged = {**(params or {}), "page_offset": offset, "page_limit": limit}
    return [
        InspectionRow(
            ref=ref,
            title=title,
            item_kind=kind,
            theme=theme,
            owner=owner,
            group=group,
            due_date=due,
            status=status,
            days_overdue=days_overdue(due, today) if due else 0,
        )
        for ref, title, kind, theme, owner, group, due, status in _rows(session, _inspection_page(tuple(where)), paged)
    ]


@_cached
def _by_theme(where: tuple[ColumnElement[bool], ...]) -> Select[Any]:
    theme = func.coalesce(InspectionItem.theme, "(no theme)").label("theme")
    n = func.count(InspectionItem.id).label("n")
    return select(theme, n).select_from(InspectionItem).where(*where).group_by(theme).order_by(n.desc(), theme)


def inspection_count_by_theme(session: Session, where: Where, *, params: Params = None) -> list[tuple[str, int]]:
    return [(str(k), int(v)) for k, v in _rows(session, _by_theme(tuple(where)), params)]


@_cached
def _by_kind(where: tuple[ColumnElement[bool], ...]) -> Select[Any]:
    kind, status = InspectionItem.kind, InspectionItem.status
    n = func.count(InspectionItem.id).label("n")
    stmt = select(kind, status, n).select_from(InspectionItem).where(*where).group_by(kind, status)
    return stmt.order_by(n.desc(), kind, status)


def inspection_count_by_kind(session: Session, where: Where, *, params: Params = None) -> list[tuple[str, int]]:
    """Open items counted by kind and status ("rec · holding"), most first."""
    return [(f"{k} · {s}", int(v)) for k, s, v in _rows(session, _by_kind(tuple(where)), params)]


@_cached
def _inspection_count(where: tuple[ColumnElement[bool], ...]) -> Select[Any]:
    return select(func.count(InspectionItem.id)).where(*where)


def inspection_count(session: Session, where: Where, *, params: Params = None) -> int:
    return int(_rows(session, _inspection_count(tuple(where)), params).scalar() or 0)
