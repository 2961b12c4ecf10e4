"""The governance tab's grid: the whole tracker (DARA actions and HMICFRS items) as one filtered,
sorted, paged list, within the viewer's scope, and an item's full history.

Scope is the bot's: ``scope_clause(viewer_scope(viewer), ...)`` (store/queries/scope.py, built on
domain/permissions.py), so a filter can only narrow what the viewer may see, never widen it.
The overdue filter is the spec's overdue figure (monitored actions, outstanding, original due date
before today: store/db/clauses.py), so its count equals the bot's and the pack's; a row's own
``overdue`` flag is the action's lateness as the bot's detail card shows it (any outstanding action
past its original due date). HMICFRS items have no overdue rule, so the filter leaves them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, false, func, literal, null, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from domain.answers import HistoryLine
from domain.permissions import Viewer
from domain.rules import days_late
from store.db.clauses import effective_due, monitored_clause, overdue_clause
from store.db.models import Action, Audit, BusinessGroup, InspectionItem, Person
from store.history import history_lines
from store.queries.scope import scope_clause, viewer_scope

__all__ = [
    "DARA",
    "HMICFRS",
    "SORT_KEYS",
    "MAX_PAGE_SIZE",
    "GridQuery",
    "GridRow",
    "GridPage",
    "grid_page",
    "full_history",
]

DARA, HMICFRS = "dara", "hmicfrs"
SORT_KEYS = ("due", "ref", "title", "group", "owner", "status", "risk", "source")
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class GridQuery:
    """What the grid is asked for; every filter is optional and they all narrow together."""

    groups: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    source: str | None = None  # DARA or HMICFRS
    overdue: bool = False
    due_from: date | None = None
    due_to: date | None = None
    audit: str | None = None  # an audit's id (DARA only)
    owner_id: int | None = None
    text: str = ""
    sort: str = "due"
    descending: bool = False
    page: int = 0
    page_size: int = 25


@dataclass(frozen=True)
class GridRow:
    kind: str  # "action" | "inspection"
    ref: str
    title: str
    source: str
    audit: str
    group: str | None
    owner: str | None
    owner_id: int | None
    status: str
    risk: str | None
    due: date | None  # the effective due date (revised when accepted)
    overdue: bool
    days_overdue: int


@dataclass(frozen=True)
class GridPage:
    rows: tuple[GridRow, ...]
    total: int
    page: int
    page_size: int


def _text_match(text: str, *columns: Any) -> ColumnElement[bool]:
    """Any of ``columns`` (ORM attributes or SQL expressions) contains ``text``, ignoring case."""
    needle = text.strip().lower()
    return or_(*(func.lower(func.coalesce(c, "")).contains(needle, autoescape=True) for c in columns))


def _named(column: Any, text: str) -> Any:
    """The ids of the rows of ``column``'s table whose ``column`` contains ``text``: a small table
    searched once, instead of joining it to every action before filtering."""
    table = column.class_
    return select(table.id).where(_text_match(text, column)).scalar_subquery()


def _action_where(viewer: Viewer, query: GridQuery, today: date) -> list[ColumnElement[bool]]:
    scope = scope_clause(viewer_scope(viewer), Action)
    where: list[ColumnElement[bool]] = [scope]
    if query.groups:
        where.append(BusinessGroup.name.in_(query.groups))
    if query.statuses:
        where.append(Action.status.in_(query.statuses))
    if query.risks:
        where.append(Action.risk.in_(query.risks))
    if query.overdue:  # the spec's overdue figure: monitored, outstanding, original due date passed
        where.append(and_(overdue_clause(today), monitored_clause()))
    if query.due_from:
        where.append(effective_due() >= query.due_from)
    if query.due_to:
        where.append(effective_due() <= query.due_to)
    if query.audit:
        where.append(Audit.audit_id == query.audit)
    if query.owner_id is not None:
        where.append(Action.owner_id == query.owner_id)
    if query.text.strip():
        matched = or_(
            _text_match(query.text, Action.ref, Action.description),
            Action.owner_id.in_(_named(Person.name, query.text)),
            Action.audit_id.in_(_named(Audit.title, query.text)),
        )
        # the text is searched only in rows already in scope: PostgreSQL's plan otherwise matched every
        # action's text before a chief officer's group filter (CASE evaluates its branch lazily; the
        # scope is also applied above, so the rows are the same)
        where.append(case((scope, matched), else_=false()))
    return where


def _action_count(viewer: Viewer, query: GridQuery, today: date) -> Select[tuple[int]] | None:
    """How many actions the grid lists, joining only the tables a filter reads: the joins are on
    non-null foreign keys, so they never change the count, and counting 100,000 actions through three
    joins was half of a grid request (bench/bench_tab_api.py)."""
    if query.source == HMICFRS:
        return None
    stmt = select(func.count(Action.id)).select_from(Action)
    if query.audit or query.overdue:
        stmt = stmt.join(Audit, Audit.id == Action.audit_id)
    if query.groups:
        stmt = stmt.join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
    return stmt.where(and_(*_action_where(viewer, query, today)))


def _action_keys(viewer: Viewer, query: GridQuery, today: date, sort: str) -> Select[Any] | None:
    """The actions the grid lists, as (kind, id, ref, sort key): the page is chosen on these, joining
    only what a filter or the sort reads; the page's own rows are then read whole (:func:`_action_rows`)."""
    if query.source == HMICFRS:
        return None
    owner = aliased(Person)
    key = {
        "due": effective_due(),
        "ref": Action.ref,
        "title": Action.description,
        "group": BusinessGroup.name,
        "owner": owner.name,
        "status": Action.status,
        "risk": Action.risk,
        "source": literal(DARA),
    }[sort]
    stmt: Select[Any] = select(
        literal("action").label("kind"), Action.id.label("id"), Action.ref.label("ref"), key.label("sort")
    ).select_from(Action)
    if query.audit or query.overdue:
        stmt = stmt.join(Audit, Audit.id == Action.audit_id)
    if query.groups or sort == "group":
        stmt = stmt.join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
    if sort == "owner":
        stmt = stmt.join(owner, owner.id == Action.owner_id)
    return stmt.where(and_(*_action_where(viewer, query, today)))


def _action_rows(ids: list[int]) -> Select[Any]:
    owner = aliased(Person)
    return (
        select(
            Action.id.label("id"),
            literal("action").label("kind"),
            Action.ref.label("ref"),
            Action.description.label("title"),
            literal(DARA).label("source"),
            Audit.title.label("audit"),
            BusinessGroup.name.label("grp"),
            owner.name.label("owner"),
            Action.owner_id.label("owner_id"),
            Action.status.label("status"),
            Action.risk.label("risk"),
            effective_due().label("due"),
            Action.due_date.label("original_due"),
        )
        .join(Audit, Audit.id == Action.audit_id)
        .join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
        .join(owner, owner.id == Action.owner_id)
        .where(Action.id.in_(ids))
    )


def _item_keys(viewer: Viewer, query: GridQuery, sort: str) -> Select[Any] | None:
    """The inspection items the grid lists, as :func:`_action_keys` (items are a few thousand at most)."""
    if query.source == DARA or query.risks or query.overdue or query.audit:
        return None  # items have no risk, no overdue rule and no DARA audit
    owner = aliased(Person)
    where: list[ColumnElement[bool]] = [scope_clause(viewer_scope(viewer), InspectionItem)]
    if query.groups:
        where.append(BusinessGroup.name.in_(query.groups))
    if query.statuses:
        where.append(InspectionItem.status.in_(query.statuses))
    if query.due_from:
        where.append(InspectionItem.due_date >= query.due_from)
    if query.due_to:
        where.append(InspectionItem.due_date <= query.due_to)
    if query.owner_id is not None:
        where.append(InspectionItem.owner_id == query.owner_id)
    if query.text.strip():
        where.append(
            _text_match(query.text, InspectionItem.ref, InspectionItem.theme, InspectionItem.inspection, owner.name)
        )
    key = {
        "due": InspectionItem.due_date,
        "ref": InspectionItem.ref,
        "title": func.coalesce(InspectionItem.theme, InspectionItem.inspection),
        "group": BusinessGroup.name,
        "owner": owner.name,
        "status": InspectionItem.status,
        "risk": null(),
        "source": literal(HMICFRS),
    }[sort]
    return (
        select(
            literal("inspection").label("kind"),
            InspectionItem.id.label("id"),
            InspectionItem.ref.label("ref"),
            key.label("sort"),
        )
        .select_from(InspectionItem)
        .outerjoin(BusinessGroup, BusinessGroup.id == InspectionItem.business_group_id)
        .outerjoin(owner, owner.id == InspectionItem.owner_id)
        .where(and_(*where))
    )


def _item_rows(ids: list[int]) -> Select[Any]:
    owner = aliased(Person)
    return (
        select(
            InspectionItem.id.label("id"),
            literal("inspection").label("kind"),
            InspectionItem.ref.label("ref"),
            func.coalesce(InspectionItem.theme, InspectionItem.inspection).label("title"),
            literal(HMICFRS).label("source"),
            InspectionItem.inspection.label("audit"),
            BusinessGroup.name.label("grp"),
            owner.name.label("owner"),
            InspectionItem.owner_id.label("owner_id"),
            InspectionItem.status.label("status"),
            null().label("risk"),
            InspectionItem.due_date.label("due"),
            InspectionItem.due_date.label("original_due"),
        )
        .outerjoin(BusinessGroup, BusinessGroup.id == InspectionItem.business_group_id)
        .outerjoin(owner, owner.id == InspectionItem.owner_id)
        .where(InspectionItem.id.in_(ids))
    )


def _row(r: Any, today: date) -> GridRow:
    late = days_late(r["status"], r["original_due"], today) if r["kind"] == "action" else 0
    return GridRow(
        kind=r["kind"],
        ref=r["ref"],
        title=r["title"] or "",
        source=r["source"],
        audit=r["audit"] or "",
        group=r["grp"],
        owner=r["owner"],
        owner_id=r["owner_id"],
        status=r["status"],
        risk=r["risk"],
        due=r["due"],
        overdue=late > 0,
        days_overdue=late,
    )


def grid_page(session: Session, viewer: Viewer, query: GridQuery, *, today: date) -> GridPage:
    """One page of the tracker as ``viewer`` may see it, filtered and sorted as ``query`` asks.

    Three reads: the count; the page's (kind, id) chosen on the filtered rows' sort keys alone; then
    the page's rows whole. Joining owners, groups and audits to every filtered row before sorting
    them was most of a grid request at 100,000 actions (bench/bench_tab_api.py)."""
    sort = query.sort if query.sort in SORT_KEYS else "due"
    items = _item_keys(viewer, query, sort)
    parts = [p for p in (_action_keys(viewer, query, today, sort), items) if p is not None]
    size = max(1, min(query.page_size, MAX_PAGE_SIZE))
    if not parts:
        return GridPage((), 0, query.page, size)
    counts = [c.scalar_subquery() for c in (_action_count(viewer, query, today),) if c is not None]
    if items is not None:
        counts.append(select(func.count()).select_from(items.subquery("items")).scalar_subquery())
    total = session.scalar(select(sum(counts[1:], counts[0]))) or 0
    rows = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("grid")
    key = case({"high": 0, "medium": 1, "low": 2}, value=rows.c.sort, else_=3) if sort == "risk" else rows.c.sort
    first = key.desc().nulls_last() if query.descending else key.asc().nulls_last()
    page = session.execute(
        select(rows.c.kind, rows.c.id)
        .order_by(first, rows.c.ref, rows.c.kind)
        .limit(size)
        .offset(max(0, query.page) * size)
    ).all()
    found: dict[tuple[str, int], Any] = {}
    for kind, read in (("action", _action_rows), ("inspection", _item_rows)):
        ids = [i for k, i in page if k == kind]
        if ids:
            found.update(((kind, r["id"]), r) for r in session.execute(read(ids)).mappings())
    result = tuple(_row(found[(kind, i)], today) for kind, i in page)
    return GridPage(result, int(total), max(0, query.page), size)


def full_history(session: Session, *, entity: str, ref: str) -> tuple[HistoryLine, ...]:
    """Every history row of one action or item, newest first (the caller has checked its scope)."""
    return history_lines(session, entity=entity, ref=ref)
