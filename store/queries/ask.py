"""The pieces every answer is built from: one question being answered (:class:`Ask`), its notes,
its headline figures and charts. Split from answers.py so the issue-22 answers (breakdowns.py) share them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import Session

from domain.answer_notes import LOW_RISK_UNMONITORED, MEDIUM_RISK_LIMITED, NOT_FOR_ACTIONS, NOT_UNDERSTOOD, Note
from domain.answers import Answer, Figures, GroupFigures, Page
from domain.charts import BAR, STACKED, ChartData, ChartGroup, ChartMeasure, ChartSeries
from domain.question import Question
from store.db.models import Action
from store.queries import sql
from store.queries.codec import question_params
from store.queries.filters import Filters, action_where, bound, bounds, filter_params, outstanding
from store.queries.scope import AnswerScope, scope_params

__all__ = [
    "Ask",
    "Where",
    "bar",
    "by_group",
    "counts",
    "figures",
    "flags",
    "group_figures",
    "headline",
    "most_first",
    "stacked",
]

Where = list[ColumnElement[bool]]


@dataclass(frozen=True)
class Ask:
    session: Session
    question: Question
    scope: AnswerScope
    filters: Filters
    today: date
    page: int
    size: int
    # the values of the bound parameters this question's statements read (filters.py, scope.py):
    # filled from the scope, filters and today, plus what a handler binds (its window, a cut-off)
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.params.update(scope_params(self.scope), **filter_params(self.filters), today=self.today)

    def bind(self, **values: Any) -> None:
        """Add values for this question's bound parameters; one name never carries two values."""
        for name, value in values.items():
            if name in self.params and self.params[name] != value:
                raise ValueError(f"parameter {name} bound twice ({self.params[name]!r}, {value!r})")
            self.params[name] = value

    def within(self, column: Any, start: date | None, end: date | None, name: str = "due") -> Where:
        """Inclusive bounds on ``column`` (none when both are None), bound as ``{name}_from``/``{name}_to``."""
        self.bind(**{f"{name}_from": start, f"{name}_to": end})
        return bounds(column, start, end, name)

    def answer(self, figures: Figures, page: Page, **extra: Any) -> Answer:
        """The answer, with every note it needs: the scope's, the risk rule's, what was not applied and
        the words no filter used (issue 22: never a filter dropped in silence)."""
        told = (self.scope.note, *_risk_notes(self.filters), *extra.pop("notes", ()), *self._unapplied())
        notes = tuple(dict.fromkeys(n for n in told if n))
        return Answer(
            intent=self.question.intent,
            text=self.question.text,
            scope=self.scope,
            figures=figures,
            page=page,
            filters=extra.pop("filters", self.filters.terms()),
            params=question_params(self.question),
            notes=notes,
            today=self.today,
            **extra,
        )

    def _unapplied(self) -> tuple[Note, ...]:
        notes = []
        if self.question.intent.value != "inspections" and self.question.source != "hmicfrs":
            ignored = self.filters.not_for_actions()
            if ignored:
                notes.append(Note(NOT_FOR_ACTIONS, ignored))
        if self.question.unapplied:
            notes.append(Note(NOT_UNDERSTOOD, self.question.unapplied))
        return tuple(notes)

    def paged(self, total: int, fetch: Callable[..., Sequence[Any]]) -> Page:
        last = max(0, (total - 1) // self.size)
        number = min(self.page, last)
        rows = tuple(fetch(self.session, offset=number * self.size, limit=self.size)) if total else ()
        return Page(rows=rows, number=number, size=self.size, total=total)

    def rows(self, where: Where, order: Sequence[Any]) -> Callable[..., Sequence[Any]]:
        return lambda s, offset, limit: sql.action_rows(
            s, where, order, self.today, offset=offset, limit=limit, params=self.params
        )

    def base(self) -> Where:
        return action_where(self.scope, self.filters)


def _risk_notes(filters: Filters) -> tuple[Note, ...]:
    if filters.risk == "low":
        return (Note(LOW_RISK_UNMONITORED),)
    if filters.risk == "medium":
        return (Note(MEDIUM_RISK_LIMITED),)
    return ()


def counts(kind: str, measure: ChartMeasure, group: ChartGroup, points: Sequence[tuple[str, int]]) -> ChartData:
    """One series: a count per category (cards/charts.py words the chart)."""
    values = ((ChartSeries.COUNT, tuple(n for _, n in points)),)
    return ChartData(kind, measure, group, tuple(k for k, _ in points), values)


def bar(measure: ChartMeasure, group: ChartGroup, points: Sequence[tuple[str, int]]) -> ChartData:
    return counts(BAR, measure, group, points)


def most_first(by_group: dict[str, dict[str, int]], key: str) -> list[tuple[str, int]]:
    return sorted(((g, f[key]) for g, f in by_group.items() if f[key]), key=lambda p: (-p[1], p[0]))


def group_figures(a: Ask, by_group: dict[str, dict[str, int]]) -> tuple[GroupFigures, ...]:
    names = sorted(set(by_group) | set(a.scope.groups))
    return tuple(
        GroupFigures(n, by_group.get(n, {}).get("total", 0), by_group.get(n, {}).get("overdue", 0)) for n in names
    )


def stacked(groups: tuple[GroupFigures, ...]) -> ChartData:
    return ChartData(
        STACKED,
        ChartMeasure.OUTSTANDING,
        ChartGroup.BUSINESS_GROUP,
        tuple(g.group for g in groups),
        (
            (ChartSeries.OVERDUE, tuple(g.overdue for g in groups)),
            (ChartSeries.NOT_YET_DUE, tuple(g.outstanding - g.overdue for g in groups)),
        ),
    )


@cache
def _late_revised() -> ColumnElement[bool]:
    return and_(bound(Action.due_date, "<", "today"), Action.revised_due_date.is_not(None))


def flags(a: Ask, **more: ColumnElement[bool]) -> dict[str, ColumnElement[bool]]:
    """Overdue (original date passed) and overdue with an agreed revised date, plus ``more``
    (``today`` is bound: a.params)."""
    return {"overdue": bound(Action.due_date, "<", "today"), "revised": _late_revised(), **more}


def headline(a: Ask, where: Where) -> dict[str, int]:
    return sql.sums(a.session, [*where, outstanding()], params=a.params, **flags(a))


def by_group(a: Ask, where: Where, **more: ColumnElement[bool]) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Outstanding per group with the headline flags, and the headline summed from it (one statement)."""
    groups = sql.sums_by_group(a.session, [*where, outstanding()], params=a.params, **flags(a, **more))
    return groups, sql.total(groups, "total", "overdue", "revised", *more)


def figures(head: dict[str, int], **more: Any) -> Figures:
    return Figures(outstanding=head["total"], overdue=head["overdue"], overdue_with_revised=head["revised"], **more)
