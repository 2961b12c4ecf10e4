"""Answer a parsed question for a viewer: scope, figures per the spec, one page of rows, charts.

Figures (docs/domain.md "Figures"), all over monitored actions in scope:
outstanding = open | in progress; overdue = outstanding with the ORIGINAL due date before
today; forthcoming = outstanding with the effective due date in [today, today + 1 year]
(or the question's window); delivered = implemented in the window (default: this
financial quarter); delay reasons = outstanding by current reason (none not counted);
stale = outstanding with the original due date before the cut-off; inspections = items
not closed, by theme. The issue-22 answers (audits, new actions, key themes, breakdowns by
group, owner, source or kind) are in breakdowns.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import cache
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, and_, desc
from sqlalchemy.orm import Session

from domain.answer_notes import DARA_ONLY, FILTERS_NOT_APPLIED, Note
from domain.answers import PAGE_SIZE, Answer, Figures, InspectionRow, Page
from domain.calendar import Quarter, stale_cutoff
from domain.charts import DONUT, HBAR, ChartData, ChartGroup, ChartMeasure
from domain.question import ANSWERED_INTENTS, Intent, Question
from store.db.clauses import effective_due
from store.db.models import Action, Audit, InspectionItem
from store.db.setup import business_groups
from store.people.viewers import Viewer
from store.queries import breakdowns as B
from store.queries import sql, sql_items
from store.queries.ask import Ask, Where, bar, by_group, counts, figures, group_figures, headline, most_first, stacked
from store.queries.filters import Filters, bound, inspection_where, is_set, outstanding
from store.queries.scope import UNKNOWN_GROUP, Refusal, resolve_answer_scope

__all__ = ["answer_question", "ANSWERED_INTENTS"]


def _due(a: Ask) -> Any:
    """The date a window bounds: the effective due date, or the original when asked ("originally due")."""
    return Action.due_date if a.filters.original else effective_due()


@cache
def _audit_kinds() -> dict[str, ColumnElement[bool]]:
    """The delivered figures' split by the audit's kind (the same objects each time: sql.py keeps the statement)."""
    return {"original": Audit.kind == "original", "follow_up": Audit.kind == "follow-up"}


@cache
def _latest(column: Any) -> Any:
    return desc(column)


@cache
def _ahead() -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """Due (effective date) from today to a year ahead, and of those by this quarter's end (values bound)."""
    ahead = and_(bound(effective_due(), ">=", "today"), bound(effective_due(), "<=", "year_ahead"))
    return ahead, and_(ahead, bound(effective_due(), "<=", "quarter_end"))


def _by_group_or_quarter(a: Ask, where: Where, measure: ChartMeasure, column: Any) -> ChartData:
    if a.scope.multi_group:
        by_group = sql.sums_by_group(a.session, where, params=a.params)
        return bar(measure, ChartGroup.BUSINESS_GROUP, most_first(by_group, "total"))
    return bar(measure, ChartGroup.QUARTER_DUE, sql.count_by_quarter(a.session, where, column, params=a.params))


def _outstanding(a: Ask) -> Answer:
    where = [*a.base(), *a.within(_due(a), a.filters.due_from, a.filters.due_to)]
    listed = [*where, outstanding()]
    table = B.table(a, where)
    if a.scope.multi_group:
        groups, head = by_group(a, where)
        chart = stacked(group_figures(a, groups))
    else:
        head = headline(a, where)
        by_quarter = sql.count_by_quarter(a.session, listed, Action.due_date, params=a.params)
        chart = bar(ChartMeasure.OUTSTANDING, ChartGroup.QUARTER_DUE, by_quarter)
    page = a.paged(head["total"], a.rows(listed, (Action.due_date,)))
    return a.answer(figures(head), page, charts=(chart,), **table)


def _overdue(a: Ask) -> Answer:
    where = [*a.base(), *a.within(Action.due_date, a.filters.due_from, a.filters.due_to)]
    listed = [*where, outstanding(), bound(Action.due_date, "<", "today")]
    table = B.table(a, where)
    if a.scope.multi_group:
        groups, head = by_group(a, where)
        chart = bar(ChartMeasure.OVERDUE, ChartGroup.BUSINESS_GROUP, most_first(groups, "overdue"))
    else:
        head = headline(a, where)
        by_quarter = sql.count_by_quarter(a.session, listed, Action.due_date, params=a.params)
        chart = bar(ChartMeasure.OVERDUE, ChartGroup.QUARTER_DUE, by_quarter)
    page = a.paged(head["overdue"], a.rows(listed, (Action.due_date,)))
    filters = replace(a.filters, original=True).terms()  # overdue windows bound the original due date
    return a.answer(figures(head), page, charts=(chart,), filters=filters, **table)


def _forthcoming_window(a: Ask) -> tuple[date | None, date | None]:
    if not a.filters.has_window:
        return a.today, a.today + relativedelta(years=1)
    return a.filters.due_from or a.today, a.filters.due_to


def _forthcoming(a: Ask) -> Answer:
    start, end = _forthcoming_window(a)
    quarter_end = Quarter.containing(a.today).end
    listed = [*a.base(), outstanding(), *a.within(_due(a), start, end, "window")]
    a.bind(quarter_end=quarter_end)
    found = sql.sums(a.session, listed, params=a.params, by_quarter_end=bound(_due(a), "<=", "quarter_end"))
    by_quarter = sql.count_by_quarter(a.session, listed, _due(a), params=a.params)
    chart = bar(ChartMeasure.FORTHCOMING, ChartGroup.QUARTER_DUE_EFFECTIVE, by_quarter)
    page = a.paged(found["total"], a.rows(listed, (_due(a), Action.due_date)))
    shown = Figures(
        forthcoming=found["total"],
        due_by_quarter_end=found["by_quarter_end"],
        quarter_end=quarter_end,
        window_from=start,
        window_to=end,
    )
    return a.answer(shown, page, charts=(chart,), filters=a.filters.terms(window=False))


def _delivered_window(a: Ask) -> tuple[Any, date | None, date | None]:
    """The column and window of a delivered question: implemented (default this quarter); closed,
    on the closure date; "implemented but not closed": every one waiting for DARA, whenever."""
    quarter = Quarter.containing(a.today)
    start, end = (a.filters.due_from, a.filters.due_to) if a.filters.has_window else (quarter.start, quarter.end)
    if a.filters.status == "closed":
        return Action.closed_on, start, end
    if a.filters.status == "implemented" and not a.filters.has_window:
        return Action.implemented_on, None, None
    return Action.implemented_on, start, end


def _delivered(a: Ask) -> Answer:
    column, start, end = _delivered_window(a)
    listed = [*a.base(), is_set(Action.implemented_on), is_set(column), *a.within(column, start, end, "window")]
    found = sql.sums(a.session, listed, params=a.params, **_audit_kinds())
    by_audit = sql.count_by(a.session, listed, Audit.title, params=a.params)
    if a.scope.multi_group:
        by_group = sql.sums_by_group(a.session, listed, params=a.params)
        chart = bar(ChartMeasure.DELIVERED, ChartGroup.BUSINESS_GROUP, most_first(by_group, "total"))
    else:
        chart = bar(ChartMeasure.DELIVERED, ChartGroup.AUDIT, by_audit[:10])
    page = a.paged(found["total"], a.rows(listed, (_latest(column), _latest(Action.implemented_on))))
    shown = Figures(
        delivered=found["total"],
        delivered_original=found["original"],
        delivered_follow_up=found["follow_up"],
        window_from=start,
        window_to=end,
    )
    return a.answer(shown, page, charts=(chart,), breakdown=tuple(by_audit), filters=a.filters.terms(window=False))


def _delay_reasons(a: Ask) -> Answer:
    where = [*a.base(), *a.within(_due(a), a.filters.due_from, a.filters.due_to)]
    head = headline(a, where)
    listed = [*where, outstanding(), is_set(Action.delay_reason)]
    reasons = tuple(sql.count_by(a.session, listed, Action.delay_reason, params=a.params))
    chart = counts(DONUT, ChartMeasure.OUTSTANDING, ChartGroup.DELAY_REASON, reasons)
    total = sum(n for _, n in reasons)
    page = a.paged(total, a.rows(listed, (Action.delay_reason, Action.due_date)))
    return a.answer(figures(head, with_delay_reason=total), page, charts=(chart,), breakdown=reasons)


def _stale(a: Ask) -> Answer:
    cutoff = a.question.limit_stale_before or stale_cutoff(a.today)
    where = [*a.base(), *a.within(Action.due_date, a.filters.due_from, a.filters.due_to)]
    head = headline(a, where)
    a.bind(cutoff=cutoff)
    listed = [*where, outstanding(), bound(Action.due_date, "<", "cutoff")]
    total = sql.count(a.session, listed, params=a.params)
    chart = _by_group_or_quarter(a, listed, ChartMeasure.STALE, Action.due_date)
    page = a.paged(total, a.rows(listed, (Action.due_date,)))
    return a.answer(figures(head, stale=total, stale_before=cutoff), page, charts=(chart,))


def _summary(a: Ask) -> Answer:
    if a.question.by == "source":
        return B.by_source(a)
    base = a.base()
    quarter = Quarter.containing(a.today)
    a.bind(year_ahead=a.today + relativedelta(years=1), quarter_end=quarter.end)
    ahead, by_quarter_end = _ahead()
    groups_found, head = by_group(a, base, forthcoming=ahead, by_quarter_end=by_quarter_end)
    audits = sql.count_distinct(a.session, [*base, outstanding()], Action.audit_id, params=a.params)
    this_quarter = a.within(Action.implemented_on, quarter.start, quarter.end, "quarter")
    done = sql.sums(a.session, [*base, *this_quarter], params=a.params, **_audit_kinds())
    open_items = sql_items.inspection_count(a.session, inspection_where(a.scope, a.filters), params=a.params)
    groups = group_figures(a, groups_found)
    shown = figures(
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
    return a.answer(shown, page, charts=(stacked(groups),), by_group=groups, filters=a.filters.terms(window=False))


def _inspections(a: Ask) -> Answer:
    where = [
        *inspection_where(a.scope, a.filters),
        *a.within(InspectionItem.due_date, a.filters.due_from, a.filters.due_to),
    ]
    if a.question.intent is Intent.OVERDUE:
        where.append(bound(InspectionItem.due_date, "<", "today"))
    themes = tuple(sql_items.inspection_count_by_theme(a.session, where, params=a.params))
    total = sum(n for _, n in themes)
    chart = counts(HBAR, ChartMeasure.INSPECTIONS_OPEN, ChartGroup.THEME, themes)

    def rows(s: Session, offset: int, limit: int) -> list[InspectionRow]:
        return sql_items.inspection_rows(s, where, a.today, offset=offset, limit=limit, params=a.params)

    page = a.paged(total, rows)
    ignored = a.filters.action_only
    notes = (Note(FILTERS_NOT_APPLIED, ignored),) if ignored else ()
    by_kind = a.question.by == "kind"
    breakdown = tuple(sql_items.inspection_count_by_kind(a.session, where, params=a.params)) if by_kind else themes
    return a.answer(
        Figures(inspections_open=total),
        page,
        charts=(chart,),
        breakdown=breakdown,
        notes=notes,
        filters=a.filters.inspection_terms(),
    )


_HANDLERS: dict[Intent, Callable[[Ask], Answer]] = {
    Intent.OUTSTANDING: _outstanding,
    Intent.OVERDUE: _overdue,
    Intent.FORTHCOMING: _forthcoming,
    Intent.DELIVERED: _delivered,
    Intent.DELAY_REASONS: _delay_reasons,
    Intent.STALE: _stale,
    Intent.SUMMARY: _summary,
    Intent.INSPECTIONS: _inspections,
    Intent.AUDITS: B.audits,
    Intent.NEW_ACTIONS: B.new_actions,
    Intent.KEY_THEMES: B.key_themes,
}
assert frozenset(_HANDLERS) == ANSWERED_INTENTS, "every question the codec pages has a handler"
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
    ask = Ask(session, question, scope, Filters.of(question), today, max(0, page), max(1, page_size))
    if question.source == "hmicfrs" and question.intent in _INSPECTION_LISTS:
        return _inspections(ask)
    answer = _HANDLERS[question.intent](ask)
    if question.source == "hmicfrs":
        answer = replace(answer, notes=(*answer.notes, Note(DARA_ONLY)))
    return answer
