"""Issue 22's answers from data already there: audits with outstanding actions, new actions in a
quarter, key themes, and the tables of a breakdown by group, owner or source.

Each stated count is the length (or sum) of what is listed or paged with it.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, bindparam

from domain.answers import Answer, Figures, GroupFigures, Page
from domain.calendar import Quarter
from domain.charts import BAR, ChartGroup, ChartMeasure
from store.db.clauses import effective_due
from store.db.models import Action, Audit, InspectionItem
from store.queries import sql, sql_items
from store.queries.ask import Ask, Where, bar, by_group, counts, flags, group_figures, headline
from store.queries.filters import bound, inspection_where, is_set, outstanding

__all__ = ["MAX_AUDITS", "audits", "by_source", "key_themes", "new_actions", "table"]

MAX_AUDITS = 30  # audits listed on one card, most outstanding first (the count says how many there are)
_MAX_QUARTERS = 40
_EARLIEST = date(2000, 4, 1)


def _ranked(rows: list[GroupFigures], *, overdue: bool, percent: bool) -> tuple[GroupFigures, ...]:
    if percent:
        return tuple(sorted(rows, key=lambda g: (-g.pct_overdue, -g.overdue, g.group)))
    if overdue:
        return tuple(sorted(rows, key=lambda g: (-g.overdue, -g.outstanding, g.group)))
    return tuple(sorted(rows, key=lambda g: (-g.outstanding, -g.overdue, g.group)))


def table(a: Ask, where: Where) -> dict[str, Any]:
    """The breakdown an outstanding or overdue question asked for ("by group", "per owner", "the worst
    rate"), as Answer fields: outstanding and overdue side by side, ranked by what was asked."""
    by = a.question.by
    overdue = a.question.intent.value == "overdue"
    if by == "group":
        found, _ = by_group(a, where)
        rows = list(group_figures(a, found))
    elif by == "owner":
        found = sql.sums_by_owner(a.session, [*where, outstanding()], params=a.params, **flags(a))
        rows = [GroupFigures(name, f["total"], f["overdue"]) for name, f in found.items()]
    else:
        return {}
    percent = a.question.percent
    return {"by_group": _ranked(rows, overdue=overdue, percent=percent), "by": by, "percent": percent}


def by_source(a: Ask) -> Answer:
    """DARA actions and HMICFRS items side by side: outstanding (open) and overdue of each."""
    head = headline(a, a.base())
    items = inspection_where(a.scope, a.filters)
    open_items = sql_items.inspection_count(a.session, items, params=a.params)
    late_items = sql_items.inspection_count(
        a.session, [*items, bound(InspectionItem.due_date, "<", "today")], params=a.params
    )
    rows = (
        GroupFigures("DARA actions", head["total"], head["overdue"]),
        GroupFigures("HMICFRS items", open_items, late_items),
    )
    shown = Figures(
        outstanding=head["total"],
        overdue=head["overdue"],
        overdue_with_revised=head["revised"],
        inspections_open=open_items,
    )
    page = Page(rows=(), number=0, size=a.size, total=0)
    return a.answer(shown, page, by_group=rows, by="source", filters=a.filters.terms(window=False))


def audits(a: Ask) -> Answer:
    """Audits with at least one outstanding action, most outstanding first: the count is how many are listed
    (up to :data:`MAX_AUDITS` on the card, which says so when there are more)."""
    listed = [*a.base(), outstanding(), *a.within(effective_due(), a.filters.due_from, a.filters.due_to)]
    found = sql.sums(a.session, listed, params=a.params, overdue=bound(Action.due_date, "<", "today"))
    per_audit = tuple(sql.count_by(a.session, listed, Audit.title, params=a.params))
    shown = Figures(outstanding=found["total"], overdue=found["overdue"], audits=len(per_audit))
    chart = bar(ChartMeasure.OUTSTANDING, ChartGroup.AUDIT, per_audit[:10])
    page = Page(rows=(), number=0, size=a.size, total=0)
    return a.answer(shown, page, charts=(chart,), breakdown=per_audit, filters=a.filters.terms())


def _quarters(start: date | None, end: date | None, today: date) -> tuple[str, ...]:
    """The labels ('2026/27 Q3') of the financial quarters a window touches (received is a quarter)."""
    quarter, last = Quarter.containing(start or _EARLIEST), Quarter.containing(end or today)
    labels: list[str] = []
    while quarter <= last and len(labels) < _MAX_QUARTERS:
        labels.append(quarter.label)
        quarter = quarter.next()
    return tuple(labels)


@cache
def _received() -> ColumnElement[bool]:
    return Audit.received.in_(bindparam("received", expanding=True))


def new_actions(a: Ask) -> Answer:
    """Actions of audits received in the window's quarters (default: this quarter), whatever their status."""
    this = Quarter.containing(a.today)
    start, end = (a.filters.due_from, a.filters.due_to) if a.filters.has_window else (this.start, this.end)
    labels = _quarters(start, end, a.today)
    a.bind(received=list(labels))
    listed = [*a.base(), _received()]
    total = sql.count(a.session, listed, params=a.params)
    per_audit = tuple(sql.count_by(a.session, listed, Audit.title, params=a.params))
    page = a.paged(total, a.rows(listed, (Action.due_date,)))
    shown = Figures(new_actions=total, window_from=start, window_to=end)
    return a.answer(shown, page, breakdown=per_audit, filters=a.filters.terms(window=False))


def key_themes(a: Ask) -> Answer:
    """Outstanding actions counted by key theme (none not counted), listed theme by theme."""
    where = [*a.base(), *a.within(effective_due(), a.filters.due_from, a.filters.due_to)]
    head = headline(a, where)
    listed = [*where, outstanding(), is_set(Action.key_theme)]
    themes = tuple(sql.count_by(a.session, listed, Action.key_theme, params=a.params))
    total = sum(n for _, n in themes)
    chart = counts(BAR, ChartMeasure.OUTSTANDING, ChartGroup.THEME, themes[:10])
    page = a.paged(total, a.rows(listed, (Action.key_theme, Action.due_date)))
    shown = Figures(
        outstanding=head["total"], overdue=head["overdue"], overdue_with_revised=head["revised"], with_key_theme=total
    )
    return a.answer(shown, page, charts=(chart,), breakdown=themes)
