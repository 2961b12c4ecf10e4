"""Answer a parsed question for a viewer: scope, figures per the spec, one page of rows, charts.

Figures (docs/domain.md "Figures"), all over monitored actions in scope:
outstanding = open | in progress; overdue = outstanding with the ORIGINAL due date before
today; forthcoming = outstanding with the effective due date in [today, today + 1 year]
(or the question's window); delivered = implemented in the window (default: this
financial quarter); delay reasons = outstanding by current reason (none not counted);
stale = outstanding with the original due date before the cut-off; inspections = items
not closed, by theme.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import Session

from domain.question import Intent, Question
from domain.calendar import Quarter, stale_cutoff
from store.db.models import Action, Audit, InspectionItem
from store.queries import sql
from store.queries.codec import question_params
from store.queries.filters import Filters, action_where, inspection_where, outstanding, within
from domain.answer_notes import DARA_ONLY, FILTERS_NOT_APPLIED, LOW_RISK_UNMONITORED, MEDIUM_RISK_LIMITED, Note
from domain.answers import PAGE_SIZE, Answer, Figures, GroupFigures, Page
from domain.charts import BAR, DONUT, HBAR, STACKED, ChartData, ChartGroup, ChartMeasure, ChartSeries
from store.queries.scope import UNKNOWN_GROUP, Refusal, AnswerScope, resolve_answer_scope
from store.db.clauses import effective_due
from store.people.viewers import Viewer
from store.db.setup import business_groups

__all__ = ["answer_question", "ANSWERED_INTENTS"]

Where = list[ColumnElement[bool]]


@dataclass(frozen=True)
class _Ask:
    session: Session
    question: Question
    scope: AnswerScope
    filters: Filters
    today: date
    page: int
    size: int

    def answer(self, figures: Figures, page: Page, **extra) -> Answer:
        notes = tuple(n for n in (self.scope.note, *_risk_notes(self.filters), *extra.pop("notes", ())) if n)
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

    def paged(self, total: int, fetch: Callable[..., Sequence]) -> Page:
        last = max(0, (total - 1) // self.size)
        number = min(self.page, last)
        rows = tuple(fetch(self.session, offset=number * self.size, limit=self.size)) if total else ()
        return Page(rows=rows, number=number, size=self.size, total=total)

    def rows(self, where: Where, order: Sequence) -> Callable[..., Sequence]:
        return lambda s, offset, limit: sql.action_rows(s, where, order, self.today, offset=offset, limit=limit)

    def base(self) -> Where:
        return action_where(self.scope, self.filters)


def _risk_notes(filters: Filters) -> tuple[Note, ...]:
    if filters.risk == "low":
        return (Note(LOW_RISK_UNMONITORED),)
    if filters.risk == "medium":
        return (Note(MEDIUM_RISK_LIMITED),)
    return ()


def _counts(kind: str, measure: ChartMeasure, group: ChartGroup, points: Sequence[tuple[str, int]]) -> ChartData:
    """One series: a count per category (cards/charts.py words the chart)."""
    values = ((ChartSeries.COUNT, tuple(n for _, n in points)),)
    return ChartData(kind, measure, group, tuple(k for k, _ in points), values)


def _bar(measure: ChartMeasure, group: ChartGroup, points: Sequence[tuple[str, int]]) -> ChartData:
    return _counts(BAR, measure, group, points)


def _most_first(by_group: dict[str, dict[str, int]], key: str) -> list[tuple[str, int]]:
    return sorted(((g, f[key]) for g, f in by_group.items() if f[key]), key=lambda p: (-p[1], p[0]))


def _by_group_or_quarter(a: _Ask, where: Where, measure: ChartMeasure, column) -> ChartData:
    if a.scope.multi_group:
        by_group = _most_first(sql.sums_by_group(a.session, where), "total")
        return _bar(measure, ChartGroup.BUSINESS_GROUP, by_group)
    return _bar(measure, ChartGroup.QUARTER_DUE, sql.count_by_quarter(a.session, where, column))


def _group_figures(a: _Ask, by_group: dict[str, dict[str, int]]) -> tuple[GroupFigures, ...]:
    names = sorted(set(by_group) | set(a.scope.groups))
    return tuple(
        GroupFigures(n, by_group.get(n, {}).get("total", 0), by_group.get(n, {}).get("overdue", 0)) for n in names
    )


def _stacked(groups: tuple[GroupFigures, ...]) -> ChartData:
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


def _flags(a: _Ask, **more: ColumnElement[bool]) -> dict[str, ColumnElement[bool]]:
    """Overdue (original date passed) and overdue with an agreed revised date, plus ``more``."""
    late = Action.due_date < a.today
    return {"overdue": late, "revised": and_(late, Action.revised_due_date.is_not(None)), **more}


def _headline(a: _Ask, where: Where) -> dict[str, int]:
    return sql.sums(a.session, [*where, outstanding()], **_flags(a))


def _by_group(a: _Ask, where: Where, **more: ColumnElement[bool]) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Outstanding per group with the headline flags, and the headline summed from it (one statement)."""
    by_group = sql.sums_by_group(a.session, [*where, outstanding()], **_flags(a, **more))
    return by_group, sql.total(by_group, "total", "overdue", "revised", *more)


def _figures(head: dict[str, int], **more) -> Figures:
    return Figures(outstanding=head["total"], overdue=head["overdue"], overdue_with_revised=head["revised"], **more)


def _outstanding(a: _Ask) -> Answer:
    where = [*a.base(), *within(effective_due(), a.filters.due_from, a.filters.due_to)]
    listed = [*where, outstanding()]
    if a.scope.multi_group:
        by_group, head = _by_group(a, where)
        chart = _stacked(_group_figures(a, by_group))
    else:
        head = _headline(a, where)
        by_quarter = sql.count_by_quarter(a.session, listed, Action.due_date)
        chart = _bar(ChartMeasure.OUTSTANDING, ChartGroup.QUARTER_DUE, by_quarter)
    page = a.paged(head["total"], a.rows(listed, (Action.due_date,)))
    return a.answer(_figures(head), page, charts=(chart,))


def _overdue(a: _Ask) -> Answer:
    where = [*a.base(), *within(Action.due_date, a.filters.due_from, a.filters.due_to)]
    listed = [*where, outstanding(), Action.due_date < a.today]
    if a.scope.multi_group:
        by_group, head = _by_group(a, where)
        chart = _bar(ChartMeasure.OVERDUE, ChartGroup.BUSINESS_GROUP, _most_first(by_group, "overdue"))
    else:
        head = _headline(a, where)
        by_quarter = sql.count_by_quarter(a.session, listed, Action.due_date)
        chart = _bar(ChartMeasure.OVERDUE, ChartGroup.QUARTER_DUE, by_quarter)
    page = a.paged(head["overdue"], a.rows(listed, (Action.due_date,)))
    return a.answer(_figures(head), page, charts=(chart,))


def _forthcoming_window(a: _Ask) -> tuple[date | None, date | None]:
    if not a.filters.has_window:
        return a.today, a.today + relativedelta(years=1)
    return a.filters.due_from or a.today, a.filters.due_to


def _forthcoming(a: _Ask) -> Answer:
    start, end = _forthcoming_window(a)
    quarter_end = Quarter.containing(a.today).end
    listed = [*a.base(), outstanding(), *within(effective_due(), start, end)]
    found = sql.sums(a.session, listed, by_quarter_end=effective_due() <= quarter_end)
    by_quarter = sql.count_by_quarter(a.session, listed, effective_due())
    chart = _bar(ChartMeasure.FORTHCOMING, ChartGroup.QUARTER_DUE_EFFECTIVE, by_quarter)
    page = a.paged(found["total"], a.rows(listed, (effective_due(), Action.due_date)))
    figures = Figures(
        forthcoming=found["total"],
        due_by_quarter_end=found["by_quarter_end"],
        quarter_end=quarter_end,
        window_from=start,
        window_to=end,
    )
    return a.answer(figures, page, charts=(chart,), filters=a.filters.terms(window=False))


def _delivered(a: _Ask) -> Answer:
    quarter = Quarter.containing(a.today)
    start, end = (a.filters.due_from, a.filters.due_to) if a.filters.has_window else (quarter.start, quarter.end)
    listed = [*a.base(), Action.implemented_on.is_not(None), *within(Action.implemented_on, start, end)]
    found = sql.sums(a.session, listed, original=Audit.kind == "original", follow_up=Audit.kind == "follow-up")
    by_audit = sql.count_by(a.session, listed, Audit.title)
    if a.scope.multi_group:
        by_group = _most_first(sql.sums_by_group(a.session, listed), "total")
        chart = _bar(ChartMeasure.DELIVERED, ChartGroup.BUSINESS_GROUP, by_group)
    else:
        chart = _bar(ChartMeasure.DELIVERED, ChartGroup.AUDIT, by_audit[:10])
    page = a.paged(found["total"], a.rows(listed, (Action.implemented_on.desc(),)))
    figures = Figures(
        delivered=found["total"],
        delivered_original=found["original"],
        delivered_follow_up=found["follow_up"],
        window_from=start,
        window_to=end,
    )
    return a.answer(figures, page, charts=(chart,), breakdown=tuple(by_audit), filters=a.filters.terms(window=False))


def _delay_reasons(a: _Ask) -> Answer:
    where = [*a.base(), *within(effective_due(), a.filters.due_from, a.filters.due_to)]
    head = _headline(a, where)
    listed = [*where, outstanding(), Action.delay_reason.is_not(None)]
    reasons = tuple(sql.count_by(a.session, listed, Action.delay_reason))
    chart = _counts(DONUT, ChartMeasure.OUTSTANDING, ChartGroup.DELAY_REASON, reasons)
    total = sum(n for _, n in reasons)
    page = a.paged(total, a.rows(listed, (Action.delay_reason, Action.due_date)))
    return a.answer(_figures(head, with_delay_reason=total), page, charts=(chart,), breakdown=reasons)


def _stale(a: _Ask) -> Answer:
    cutoff = a.question.limit_stale_before or stale_cutoff(a.today)
    where = [*a.base(), *within(Action.due_date, a.filters.due_from, a.filters.due_to)]
    head = _headline(a, where)
    listed = [*where, outstanding(), Action.due_date < cutoff]
    total = sql.count(a.session, listed)
    chart = _by_group_or_quarter(a, listed, ChartMeasure.STALE, Action.due_date)
    page = a.paged(total, a.rows(listed, (Action.due_date,)))
    return a.answer(_figures(head, stale=total, stale_before=cutoff), page, charts=(chart,))


def _summary(a: _Ask) -> Answer:
    base = a.base()
    quarter = Quarter.containing(a.today)
    year = a.today + relativedelta(years=1)
    ahead = and_(effective_due() >= a.today, effective_due() <= year)
    by_group, head = _by_group(a, base, forthcoming=ahead, by_quarter_end=and_(ahead, effective_due() <= quarter.end))
    audits = sql.count_distinct(a.session, [*base, outstanding()], Action.audit_id)
    done = sql.sums(
        a.session,
        [*base, *within(Action.implemented_on, quarter.start, quarter.end)],
        original=Audit.kind == "original",
        follow_up=Audit.kind == "follow-up",
    )
    open_items = sql.inspection_count(a.session, inspection_where(a.scope, a.filters))
    groups = _group_figures(a, by_group)
    figures = _figures(
        head,
        audits=audits,
        forthcoming=head["forthcoming"],
        due_by_quarter_end=head["by_quarter_end"],
        quarter_end=quarter.end,
        window_from=quarter.start,
        window_to=quarter.end,
        delivered=done["total"],
        delivered_original=done["original"],
        delivered_follow_up=done["follow_up"],
        inspections_open=open_items,
    )
    page = Page(rows=(), number=0, size=a.size, total=0)
    return a.answer(figures, page, charts=(_stacked(groups),), by_group=groups, filters=a.filters.terms(window=False))


def _inspections(a: _Ask) -> Answer:
    where = [
        *inspection_where(a.scope, a.filters),
        *within(InspectionItem.due_date, a.filters.due_from, a.filters.due_to),
    ]
    if a.question.intent is Intent.OVERDUE:
        where.append(InspectionItem.due_date < a.today)
    themes = tuple(sql.inspection_count_by_theme(a.session, where))
    total = sum(n for _, n in themes)
    chart = _counts(HBAR, ChartMeasure.INSPECTIONS_OPEN, ChartGroup.THEME, themes)
    page = a.paged(total, lambda s, offset, limit: sql.inspection_rows(s, where, a.today, offset=offset, limit=limit))
    ignored = a.filters.action_only
    notes = (Note(FILTERS_NOT_APPLIED, ignored),) if ignored else ()
    return a.answer(
        Figures(inspections_open=total),
        page,
        charts=(chart,),
        breakdown=themes,
        notes=notes,
        filters=a.filters.inspection_terms(),
    )


_HANDLERS: dict[Intent, Callable[[_Ask], Answer]] = {
    Intent.OUTSTANDING: _outstanding,
    Intent.OVERDUE: _overdue,
    Intent.FORTHCOMING: _forthcoming,
    Intent.DELIVERED: _delivered,
    Intent.DELAY_REASONS: _delay_reasons,
    Intent.STALE: _stale,
    Intent.SUMMARY: _summary,
    Intent.INSPECTIONS: _inspections,
}
ANSWERED_INTENTS = frozenset(_HANDLERS)
_INSPECTION_LISTS = frozenset({Intent.OUTSTANDING, Intent.OVERDUE, Intent.FORTHCOMING, Intent.INSPECTIONS})


def answer_question(
    session: Session, viewer: Viewer, question: Question, today: date, page: int = 0, page_size: int = PAGE_SIZE
) -> Answer | Refusal:
    """The answer to ``question`` as ``viewer`` may see it, as at ``today`` (or why not)."""
    if question.intent not in _HANDLERS:
        raise ValueError(f"{question.intent.value} is not a question about figures")
    scope = resolve_answer_scope(viewer, question)
    if isinstance(scope, Refusal):
        return replace(scope, known=tuple(business_groups(session))) if scope.kind == UNKNOWN_GROUP else scope
    ask = _Ask(session, question, scope, Filters.of(question), today, max(0, page), max(1, page_size))
    if question.source == "hmicfrs" and question.intent in _INSPECTION_LISTS:
        return _inspections(ask)
    answer = _HANDLERS[question.intent](ask)
    if question.source == "hmicfrs":
        answer = replace(answer, notes=(*answer.notes, Note(DARA_ONLY)))
    return answer
