"""A question's filters (risk, audit, owner, key theme, revised date, date window) as SQL.

The answers' conditions are built once per shape with named bound parameters (:func:`bound`,
:func:`action_where`, :func:`inspection_where`) and the question's values travel beside them
(:func:`filter_params`), so store/queries/sql.py can keep each statement built and compiled once:
building a statement and its cache key was ~45% of a first-time question's CPU (issue 19, bench/RESULTS.md).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, cast

from sqlalchemy import ColumnElement, ScalarSelect, and_, bindparam, literal_column, or_, select

from domain.answer_notes import (
    ASSURANCE,
    AUDIT,
    DELAY_REASON,
    ITEM_KIND,
    KEY_THEME,
    ORIGINAL_WINDOW,
    OWNER,
    REVISED,
    RISK,
    SOURCE,
    STATUS,
    THEME,
    WINDOW,
    FilterTerm,
)
from domain.question import Question
from domain.words import ACTION_STATUSES, INSPECTION_STATUSES, LIMITED_ASSURANCES, OUTSTANDING_STATUSES
from store.db.models import Action, Audit, InspectionItem, Person
from store.queries.scope import AnswerScope, bound_scope_clause

__all__ = [
    "Filters",
    "action_where",
    "bound",
    "bounds",
    "filter_params",
    "inspection_where",
    "is_set",
    "within",
    "outstanding",
    "monitored",
    "limited_audits",
]


def _literals(values: tuple[str, ...]) -> list[ColumnElement[Any]]:
    return [literal_column("'" + v.replace("'", "''") + "'") for v in values]


# outstanding(), limited_audits() and monitored() take no argument: built once per process, not per
# statement (SQL elements are immutable, so one may appear in any number of statements and threads);
# building them again was ~6% of a first-time question's CPU (bench/RESULTS.md, "a week's load").
@cache
def outstanding() -> ColumnElement[bool]:
    """store.db.clauses.outstanding_clause with the statuses written into the SQL, not bound.

    The partial indexes on outstanding actions (store/db/models/tracker.py) are only usable when the
    query's condition visibly implies the index's; SQLite and PostgreSQL's generic plans
    cannot see through bound parameters, so the statuses are literals here.
    """
    return Action.status.in_(_literals(OUTSTANDING_STATUSES))


@cache
def limited_audits() -> ScalarSelect[int]:
    """The ids of audits graded limited or no assurance: one small subquery, never tied to a joined audit row."""
    return select(Audit.id).where(Audit.assurance.in_(_literals(LIMITED_ASSURANCES))).correlate(None).scalar_subquery()


@cache
def monitored() -> ColumnElement[bool]:
    """store.db.clauses.monitored_clause without joining the audit: the limited-assurance audits'
    ids are one small subquery (hashed once per statement), so aggregates read only actions."""
    limited = limited_audits()
    return or_(
        Action.risk == literal_column("'high'"),
        and_(Action.risk == literal_column("'medium'"), Action.audit_id.in_(limited)),
    )


@dataclass(frozen=True)
class Filters:
    risk: str | None = None
    audit: str | None = None
    owner: str | None = None
    key_theme: str | None = None
    revised: bool | None = None
    due_from: date | None = None
    due_to: date | None = None
    status: str | None = None
    delay_reason: str | None = None
    assurance: str | None = None
    item_kind: str | None = None
    original: bool = False  # the window bounds the original due date
    dara_only: bool = False  # "not counting HMICFRS": said, since action answers are DARA's anyway

    @classmethod
    def of(cls, question: Question) -> "Filters":
        return cls(
            risk=question.risk,
            audit=question.audit,
            owner=question.owner,
            key_theme=question.key_theme,
            revised=question.revised,
            due_from=question.due_from,
            due_to=question.due_to,
            status=question.status,
            delay_reason=question.delay_reason,
            assurance=question.assurance,
            item_kind=question.item_kind,
            original=question.original,
            dara_only=question.source == "dara",
        )

    @property
    def action_status(self) -> str | None:
        """The status filter when it is an action's status (else it is not applied to actions)."""
        return self.status if self.status in ACTION_STATUSES else None

    @property
    def item_status(self) -> str | None:
        """The status filter when it is an HMICFRS item's status ("in progress" is not one)."""
        return self.status if self.status in INSPECTION_STATUSES else None

    @property
    def has_window(self) -> bool:
        return self.due_from is not None or self.due_to is not None

    def terms(self, *, window: bool = True) -> tuple[FilterTerm, ...]:
        """The filters applied to actions, as data (cards/answers.py words them)."""
        terms: list[FilterTerm] = []
        for kind, value in ((RISK, self.risk), (AUDIT, self.audit), (OWNER, self.owner), (KEY_THEME, self.key_theme)):
            if value:
                terms.append(FilterTerm(kind, value))
        if self.revised is not None:
            terms.append(FilterTerm(REVISED, flag=self.revised))
        for kind, value in (
            (STATUS, self.action_status),
            (DELAY_REASON, self.delay_reason),
            (ASSURANCE, self.assurance),
            (SOURCE, "dara" if self.dara_only else None),
        ):
            if value:
                terms.append(FilterTerm(kind, value))
        if window and self.has_window:
            terms.append(FilterTerm(ORIGINAL_WINDOW if self.original else WINDOW, start=self.due_from, end=self.due_to))
        return tuple(terms)

    def not_for_actions(self) -> tuple[str, ...]:
        """Filters named that mean nothing for actions (FilterTerm kinds): an HMICFRS kind or item status."""
        kinds = (ITEM_KIND,) if self.item_kind else ()
        return kinds + ((STATUS,) if self.status and not self.action_status else ())

    def inspection_terms(self) -> tuple[FilterTerm, ...]:
        """The filters that apply to HMICFRS items: owner, theme and due window."""
        terms = [FilterTerm(OWNER, self.owner)] if self.owner else []
        if self.key_theme:
            terms.append(FilterTerm(THEME, self.key_theme))
        if self.item_kind:
            terms.append(FilterTerm(ITEM_KIND, self.item_kind))
        if self.item_status:
            terms.append(FilterTerm(STATUS, self.item_status))
        if self.has_window:
            terms.append(FilterTerm(WINDOW, start=self.due_from, end=self.due_to))
        return tuple(terms)

    @property
    def action_only(self) -> tuple[str, ...]:
        """Filters that mean nothing for HMICFRS items (FilterTerm kinds): the contract gives them
        no risk rating, no audit and no revised date (their theme is matched against the key theme)."""
        return tuple(
            kind
            for kind, value in (
                (RISK, self.risk),
                (AUDIT, self.audit),
                (REVISED, self.revised),
                (DELAY_REASON, self.delay_reason),
                (ASSURANCE, self.assurance),
                (STATUS, self.status if self.status and not self.item_status else None),
            )
            if value is not None
        )


def within(column: Any, start: date | None, end: date | None) -> list[ColumnElement[bool]]:
    """Inclusive bounds on ``column`` (none when both are None)."""
    out: list[ColumnElement[bool]] = []
    if start is not None:
        out.append(column >= start)
    if end is not None:
        out.append(column <= end)
    return out


_OPERATORS = {"<": operator.lt, "<=": operator.le, ">=": operator.ge, "==": operator.eq}


@cache
def bound(column: Any, op: str, name: str) -> ColumnElement[bool]:
    """``column <op> :name``, built once per (column, op, name): the value is passed when the statement runs.
    ``op`` "in" is an IN over a list (an expanding parameter)."""
    if op == "in":
        return cast(ColumnElement[bool], column.in_(bindparam(name, expanding=True)))
    return cast(ColumnElement[bool], _OPERATORS[op](column, bindparam(name)))


@cache
def is_set(column: Any) -> ColumnElement[bool]:
    return cast(ColumnElement[bool], column.is_not(None))


def bounds(column: Any, start: date | None, end: date | None, name: str) -> list[ColumnElement[bool]]:
    """:func:`within` as bound parameters ``{name}_from`` and ``{name}_to`` (the caller passes the dates)."""
    out: list[ColumnElement[bool]] = []
    if start is not None:
        out.append(bound(column, ">=", f"{name}_from"))
    if end is not None:
        out.append(bound(column, "<=", f"{name}_to"))
    return out


@cache
def _owner_named(entity: type) -> ColumnElement[bool]:
    named = select(Person.id).where(Person.name == bindparam("owner")).scalar_subquery()
    return entity.owner_id.in_(named)  # type: ignore[attr-defined, no-any-return]


@cache
def _limited_only() -> ColumnElement[bool]:
    return Action.audit_id.in_(limited_audits())


@cache
def _revised(flag: bool) -> ColumnElement[bool]:
    return Action.revised_due_date.is_not(None) if flag else Action.revised_due_date.is_(None)


def filter_params(filters: Filters) -> dict[str, Any]:
    """The values :func:`action_where` and :func:`inspection_where` bind (and the question's window, ``due_*``)."""
    return {
        "risk": filters.risk,
        "audit": filters.audit,
        "owner": filters.owner,
        "key_theme": filters.key_theme,
        "status": filters.action_status,
        "item_status": filters.item_status,
        "item_kind": filters.item_kind,
        "delay_reason": filters.delay_reason,
        "due_from": filters.due_from,
        "due_to": filters.due_to,
    }


def action_where(scope: AnswerScope, filters: Filters) -> list[ColumnElement[bool]]:
    """Monitored actions in ``scope`` matching ``filters`` (not the window: each question
    bounds its own date). An audit filter reads ``Audit``, which sql.py then joins.
    The values are bound: run with :func:`filter_params` and scope.scope_params."""
    where: list[ColumnElement[bool]] = [monitored(), bound_scope_clause(scope, Action)]
    if filters.risk:
        where.append(bound(Action.risk, "==", "risk"))
    if filters.audit:
        where.append(bound(Audit.title, "==", "audit"))
    if filters.owner:
        where.append(_owner_named(Action))
    if filters.key_theme:
        where.append(bound(Action.key_theme, "==", "key_theme"))
    if filters.revised is not None:
        where.append(_revised(filters.revised))
    if filters.action_status:
        where.append(bound(Action.status, "==", "status"))
    if filters.delay_reason:
        where.append(bound(Action.delay_reason, "==", "delay_reason"))
    if filters.assurance:
        where.append(_limited_only())
    return where


@cache
def _not_closed() -> ColumnElement[bool]:
    return InspectionItem.status != "closed"


def inspection_where(scope: AnswerScope, filters: Filters) -> list[ColumnElement[bool]]:
    """Inspection items not closed, in ``scope``, for the owner and theme named (if any); values bound as
    :func:`action_where`'s."""
    where: list[ColumnElement[bool]] = [_not_closed(), bound_scope_clause(scope, InspectionItem)]
    if filters.owner:
        where.append(_owner_named(InspectionItem))
    if filters.key_theme:
        where.append(bound(InspectionItem.theme, "==", "key_theme"))
    if filters.item_kind:
        where.append(bound(InspectionItem.kind, "==", "item_kind"))
    if filters.item_status:
        where.append(bound(InspectionItem.status, "==", "item_status"))
    return where
