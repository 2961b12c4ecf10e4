"""A question's filters (risk, audit, owner, key theme, revised date, date window) as SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, literal_column, or_, select

from domain.question import Question
from domain.answer_notes import AUDIT, KEY_THEME, OWNER, REVISED, RISK, THEME, WINDOW, FilterTerm
from domain.words import LIMITED_ASSURANCES, OUTSTANDING_STATUSES
from store.db.models import Action, Audit, InspectionItem, Person
from store.queries.scope import AnswerScope, scope_clause

__all__ = ["Filters", "action_where", "inspection_where", "within", "outstanding", "monitored"]


def _literals(values: tuple[str, ...]) -> list[ColumnElement]:
    return [literal_column("'" + v.replace("'", "''") + "'") for v in values]


def outstanding() -> ColumnElement[bool]:
    """store.rules.outstanding_clause with the statuses written into the SQL, not bound.

    The partial indexes on outstanding actions (store/models.py) are only usable when the
    query's condition visibly implies the index's; SQLite and PostgreSQL's generic plans
    cannot see through bound parameters, so the statuses are literals here.
    """
    return Action.status.in_(_literals(OUTSTANDING_STATUSES))


def monitored() -> ColumnElement[bool]:
    """store.rules.monitored_clause without joining the audit: the limited-assurance audits'
    ids are one small subquery (hashed once per statement), so aggregates read only actions."""
    limited = (
        select(Audit.id).where(Audit.assurance.in_(_literals(LIMITED_ASSURANCES))).correlate(None).scalar_subquery()
    )  # never tied to a joined audit row
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
        )

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
        if window and self.has_window:
            terms.append(FilterTerm(WINDOW, start=self.due_from, end=self.due_to))
        return tuple(terms)

    def inspection_terms(self) -> tuple[FilterTerm, ...]:
        """The filters that apply to HMICFRS items: owner, theme and due window."""
        terms = [FilterTerm(OWNER, self.owner)] if self.owner else []
        if self.key_theme:
            terms.append(FilterTerm(THEME, self.key_theme))
        if self.has_window:
            terms.append(FilterTerm(WINDOW, start=self.due_from, end=self.due_to))
        return tuple(terms)

    @property
    def action_only(self) -> tuple[str, ...]:
        """Filters that mean nothing for HMICFRS items (FilterTerm kinds): the contract gives them
        no risk rating, no audit and no revised date (their theme is matched against the key theme)."""
        return tuple(
            kind
            for kind, value in ((RISK, self.risk), (AUDIT, self.audit), (REVISED, self.revised))
            if value is not None
        )


def within(column, start: date | None, end: date | None) -> list[ColumnElement[bool]]:
    """Inclusive bounds on ``column`` (none when both are None)."""
    out: list[ColumnElement[bool]] = []
    if start is not None:
        out.append(column >= start)
    if end is not None:
        out.append(column <= end)
    return out


def action_where(scope: AnswerScope, filters: Filters) -> list[ColumnElement[bool]]:
    """Monitored actions in ``scope`` matching ``filters`` (not the window: each question
    bounds its own date). An audit filter reads ``Audit``, which sql.py then joins."""
    where: list[ColumnElement[bool]] = [monitored(), scope_clause(scope, Action)]
    if filters.risk:
        where.append(Action.risk == filters.risk)
    if filters.audit:
        where.append(Audit.title == filters.audit)
    if filters.owner:
        where.append(Action.owner_id.in_(select(Person.id).where(Person.name == filters.owner).scalar_subquery()))
    if filters.key_theme:
        where.append(Action.key_theme == filters.key_theme)
    if filters.revised is True:
        where.append(Action.revised_due_date.is_not(None))
    elif filters.revised is False:
        where.append(Action.revised_due_date.is_(None))
    return where


def inspection_where(scope: AnswerScope, filters: Filters) -> list[ColumnElement[bool]]:
    """Inspection items not closed, in ``scope``, for the owner and theme named (if any)."""
    where: list[ColumnElement[bool]] = [InspectionItem.status != "closed", scope_clause(scope, InspectionItem)]
    if filters.owner:
        where.append(
            InspectionItem.owner_id.in_(select(Person.id).where(Person.name == filters.owner).scalar_subquery())
        )
    if filters.key_theme:
        where.append(InspectionItem.theme == filters.key_theme)
    return where
