"""The few SQL shapes every answer is made of: a count, counts by key, counts by quarter, a page.

Each runs one statement in the database; nothing loads more than one page of rows into Python.

Each statement is built once per shape and kept (``_cached``): the conditions passed in are the shared
objects of filters.py and scope.py, whose values are bound parameters passed as ``params``, so asking a
question for the first time reuses a statement, its cache key and its compiled form instead of building
all three again (issue 19; bench/bench_question_cpu.py). Conditions built with their values in them still
work: their statements are simply not reused.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from functools import _lru_cache_wrapper, cache, lru_cache
from typing import Any, Callable, TypeVar

from sqlalchemy import ColumnElement, Integer, Result, Select, bindparam, case, extract, func, select
from sqlalchemy.orm import Session

from domain.answers import Row
from domain.calendar import Quarter
from domain.rules import days_overdue
from store.db.models import Action, Audit, BusinessGroup, Person

__all__ = [
    "MAX_QUARTERS",
    "count",
    "count_distinct",
    "sums",
    "count_by",
    "group_names",
    "sums_by_group",
    "sums_by_owner",
    "total",
    "count_by_quarter",
    "action_rows",
    "Where",
    "Params",
    "clear_statements",
]

MAX_QUARTERS = 12
_T = TypeVar("_T")
Where = Sequence[ColumnElement[bool]]
Params = Mapping[str, Any] | None
# statements kept per kind: the answers use a few dozen shapes; the bound keeps a caller that passes
# fresh conditions each time (values inside) from growing it without end
_SHAPES = 512
_KEPT: list[_lru_cache_wrapper[Any]] = []  # every statement builder below and in sql_items.py


def _cached(build: Callable[..., _T]) -> _lru_cache_wrapper[_T]:
    """Keep a statement builder's statements per shape, registered so clear_statements forgets them all."""
    kept = lru_cache(maxsize=_SHAPES)(build)
    _KEPT.append(kept)
    return kept


_PAGE = {"offset": bindparam("page_offset", type_=Integer), "limit": bindparam("page_limit", type_=Integer)}


def clear_statements() -> None:
    """Forget the kept statements (tests that watch statements being built)."""
    for kept in _KEPT:
        kept.cache_clear()


def _actions(*columns: Any, where: Where = ()) -> Select[Any]:
    """Actions, joined to their audit only when a column or condition reads the audit.

    The monitoring rule reads audits through a subquery (filters.monitored), so most figures
    read the actions' covering indexes alone. When joined, ``audit_id + 0`` keeps SQLite from
    driving the query through ix_actions_audit_id (it would visit every action via every
    audit); both backends then start from the actions' own indexes and look each audit up by key.
    """
    if reads_audit(*columns, *where):
        return select(*columns).select_from(Action).join(Audit, Audit.id == Action.audit_id + 0).where(*where)
    return select(*columns).select_from(Action).where(*where)


def reads_audit(*elements: ColumnElement[Any]) -> bool:
    """Whether any of these reads an audit column outside a subquery: what ``Audit.__table__ in
    select(...).get_final_froms()`` says, without that call's cost (it compiles the whole statement
    each time, a third of a question's CPU on a small tracker). Each element's surface FROM
    objects are what that FROM list is made of (tests/store/queries/test_sql.py checks they agree)."""
    audit = Audit.__table__
    return any(audit in element._from_objects for element in elements)


def _rows(session: Session, stmt: Select[Any], params: Params = None) -> Result[Any]:
    """Run a read of plain columns as Core on the session's connection: the ORM's per-execution
    set-up (compile state, loading options, identity map) does nothing for rows of values."""
    return session.connection().execute(stmt, dict(params or {}))


def _flag_columns(flags: tuple[tuple[str, ColumnElement[bool]], ...]) -> list[Any]:
    return [func.coalesce(func.sum(case((flag, 1), else_=0)), 0).label(name) for name, flag in flags]


@_cached
def _count(where: tuple[ColumnElement[bool], ...]) -> Select[Any]:
    return _actions(func.count(Action.id), where=where)


@_cached
def _count_distinct(where: tuple[ColumnElement[bool], ...], column: Any) -> Select[Any]:
    return _actions(func.count(func.distinct(column)), where=where)


@_cached
def _sums(where: tuple[ColumnElement[bool], ...], flags: tuple[tuple[str, ColumnElement[bool]], ...]) -> Select[Any]:
    return _actions(func.count(Action.id).label("total"), *_flag_columns(flags), where=where)


@_cached
def _count_by(where: tuple[ColumnElement[bool], ...], key: Any, limit: int | None) -> Select[Any]:
    n = func.count(Action.id).label("n")
    stmt = _actions(key, n, where=where).group_by(key).order_by(n.desc(), key)
    return stmt.limit(limit) if limit else stmt


@_cached
def _sums_by(
    where: tuple[ColumnElement[bool], ...], by: Any, flags: tuple[tuple[str, ColumnElement[bool]], ...]
) -> Select[Any]:
    columns = [by, func.count(Action.id).label("total"), *_flag_columns(flags)]
    return _actions(*columns, where=where).group_by(by)


def count(session: Session, where: Where, *, params: Params = None) -> int:
    return int(_rows(session, _count(tuple(where)), params).scalar() or 0)


def count_distinct(session: Session, where: Where, column: Any, *, params: Params = None) -> int:
    return int(_rows(session, _count_distinct(tuple(where), column), params).scalar() or 0)


def sums(session: Session, where: Where, *, params: Params = None, **flags: ColumnElement[bool]) -> dict[str, int]:
    """One pass: the number of rows, and of rows meeting each flag (``total`` + each name)."""
    row = _rows(session, _sums(tuple(where), tuple(flags.items())), params).one()
    return {key: int(value or 0) for key, value in row._mapping.items()}


def count_by(
    session: Session, where: Where, key: Any, *, limit: int | None = None, params: Params = None
) -> list[tuple[str, int]]:
    """Counts by ``key`` (an action or audit column), most first (ties by key)."""
    return [(str(k), int(v)) for k, v in _rows(session, _count_by(tuple(where), key, limit), params)]


@cache
def _group_names() -> Select[Any]:
    return select(BusinessGroup.id, BusinessGroup.name)


def group_names(session: Session) -> dict[int, str]:
    return {int(i): str(n) for i, n in _rows(session, _group_names()).all()}


def sums_by_group(
    session: Session, where: Where, *, params: Params = None, **flags: ColumnElement[bool]
) -> dict[str, dict[str, int]]:
    """Per business group name: the number of rows (``total``) and of rows meeting each flag.

    Grouped by the group's id on the actions themselves (no join on the big side); names are
    looked up afterwards from the handful of groups.
    """
    stmt = _sums_by(tuple(where), Action.business_group_id, tuple(flags.items()))
    rows = _rows(session, stmt, params).all()
    names = group_names(session) if rows else {}
    return {
        names[row[0]]: {k: int(v or 0) for k, v in row._mapping.items() if k != "business_group_id"} for row in rows
    }


@cache
def _people_named() -> Select[Any]:
    return select(Person.id, Person.name, Person.email).where(Person.id.in_(bindparam("found_ids", expanding=True)))


def sums_by_owner(
    session: Session, where: Where, *, params: Params = None, **flags: ColumnElement[bool]
) -> dict[str, dict[str, int]]:
    """Per owner's name, as :func:`sums_by_group`: grouped on the actions, names looked up for the ids found
    (two people of one name are told apart by their e-mail's local part)."""
    rows = _rows(session, _sums_by(tuple(where), Action.owner_id, tuple(flags.items())), params).all()
    ids = [row[0] for row in rows]
    people = {i: (n, e) for i, n, e in _rows(session, _people_named(), {"found_ids": ids})}
    names = [people[i][0] for i in ids]
    found: dict[str, dict[str, int]] = {}
    for row in rows:
        name, email = people[row[0]]
        label = f"{name} ({email.split('@')[0]})" if names.count(name) > 1 else name
        found[label] = {k: int(v or 0) for k, v in row._mapping.items() if k != "owner_id"}
    return found


def total(by_group: dict[str, dict[str, int]], *names: str) -> dict[str, int]:
    """Sum per-group figures back to one set (``total`` and each flag)."""
    keys = names or ("total",)
    return {k: sum(figures.get(k, 0) for figures in by_group.values()) for k in keys}


@_cached
def _by_quarter(where: tuple[ColumnElement[bool], ...], column: Any) -> Select[Any]:
    year, month = extract("year", column).label("y"), extract("month", column).label("m")
    return _actions(year, month, func.count(Action.id), where=where).group_by(year, month)


def count_by_quarter(session: Session, where: Where, column: Any, *, params: Params = None) -> list[tuple[str, int]]:
    """Counts by financial quarter of ``column`` (grouped by month in SQL), in date order;
    beyond :data:`MAX_QUARTERS`, the earliest are folded into 'Earlier'."""
    by_quarter: Counter[Quarter] = Counter()
    for y, m, n in _rows(session, _by_quarter(tuple(where), column), params):
        by_quarter[Quarter.containing(date(int(y), int(m), 1))] += int(n)
    ordered = sorted(by_quarter.items())
    if len(ordered) > MAX_QUARTERS:
        cut = len(ordered) - (MAX_QUARTERS - 1)
        earlier = sum(n for _, n in ordered[:cut])
        return [("Earlier", earlier)] + [(q.label, n) for q, n in ordered[cut:]]
    return [(q.label, n) for q, n in ordered]


@_cached
def _action_page(where: tuple[ColumnElement[bool], ...], order: tuple[Any, ...]) -> Select[Any]:
    page = _actions(Action.id, where=where).order_by(*order, Action.ref)
    page_ids = page.offset(_PAGE["offset"]).limit(_PAGE["limit"]).subquery("page")
    return (
        select(
            Action.ref,
            Action.description,
            Person.name,
            BusinessGroup.name,
            Action.due_date,
            Action.revised_due_date,
            Action.delay_reason,
            Action.status,
            Action.implemented_on,
        )
        .select_from(page_ids)
        .join(Action, Action.id == page_ids.c.id)
        .join(Person, Person.id == Action.owner_id)
        .join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
        .order_by(*order, Action.ref)
    )


def action_rows(
    session: Session, where: Where, order: Sequence[Any], today: date, *, offset: int, limit: int, params: Params = None
) -> list[Row]:
    """One page of actions, in ``order`` then ref (unique, so the order is stable).

    The page is chosen on the actions alone (a subquery with LIMIT/OFFSET); only its rows are
    then joined to their owner and group.
    """
    stmt = _action_page(tuple(where), tuple(order))
    rows = []
    paged = {**(params or {}), "page_offset": offset, "page_limit": limit}
    for ref, title, owner, group, due, revised, reason, status, implemented in _rows(session, stmt, paged):
        late = days_overdue(due, today) if status in ("open", "in progress") else 0
        rows.append(
            Row(
                ref=ref,
                title=title,
                owner=owner,
                group=group,
                due_date=due,
                effective_due=revised or due,
                days_overdue=late,
                delay_reason=reason,
                revised_date=revised,
                status=status,
                implemented_on=implemented,
            )
        )
    return rows
