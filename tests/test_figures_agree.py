"""The spec's figures are counted twice, on purpose: in SQL for the bot's answers (store/queries)
and in pandas for the quarterly pack (reports/). This test builds trackers full of edge cases
(revised dates, implemented-on on quarter boundaries, due dates on quarter ends and on the stale
cut-off, reopened actions, closed and held HMICFRS items) and asserts that both count every figure
they share alike, on several dates, on SQLite and PostgreSQL.

Not compared (no SQL answer counts them): new_in_quarter, key_themes, response_rate and
previous_quarter (the pack's own figures). Issue 23's sections (distribution by group, delivery by
group, new audits, HMICFRS closures and submissions) are counted here in SQL with the store's own
clauses and helpers (store/queries/sql.py, filters.py), against the pack, on the same trackers plus
one shaped like the January 2021 paper.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import pytest
from sqlalchemy import and_, func, select

from domain.answers import Answer
from domain.calendar import Quarter
from domain.question import Intent, Question
from domain.words import GOVERNANCE, LIMITED_ASSURANCES
from store.db.models import Action, Audit, InspectionItem
from store.demo.builder import load_demo
from store.history import ChangeContext
from store.people.viewers import Viewer
from store.queries import answer_question
from store.queries.filters import monitored, outstanding, within
from store.queries.sql import count_by, sums_by_group
from tests.reports.load import figures_as_of
from tests.reports.paper_tracker import november_sheets
from tests.reports.tracker import build_tracker
from tests.store.worded_import import import_workbook
from tests.store.workbooks import write_workbook

# The hand-made tracker's history ends on 5 Dec 2026: from then on its current state is the state
# the pack rebuilds, so both sides read the same tracker.
DATES = [
    date(2026, 12, 5),  # the last day with changes
    date(2026, 12, 31),  # a quarter end: A02 is due that very day (not yet overdue)
    date(2027, 1, 1),  # the next quarter starts: A02 overdue, the delivered window moves
    date(2027, 3, 31),  # a financial year's last day
    date(2027, 4, 1),  # a new financial year: the stale cut-off moves a year on
    date(2028, 4, 2),
]
GOVERNOR = Viewer(person_id=-1, name="Grace", email="grace@example.test", roles=frozenset({GOVERNANCE}), group=None)
NO_THEME_SQL, NO_THEME_PACK = "(no theme)", "Not themed"  # the same bucket, labelled for each audience


def ask(session: Any, intent: Intent, today: date) -> Answer:
    answer = answer_question(session, GOVERNOR, Question(intent=intent, text=intent.value), today, page_size=1)
    assert isinstance(answer, Answer)
    return answer


def assert_agree(session: Any, today: date) -> None:
    pack = figures_as_of(session, today)
    summary = ask(session, Intent.SUMMARY, today)
    f = summary.figures
    assert (f.outstanding, f.audits) == (pack["outstanding"]["total"], pack["outstanding"]["audits"])
    assert (f.overdue, f.overdue_with_revised) == (pack["overdue"]["total"], pack["overdue"]["with_revised_date"])
    assert (f.forthcoming, f.due_by_quarter_end) == (
        pack["forthcoming"]["next_12_months"],
        pack["forthcoming"]["by_quarter_end"],
    )
    assert (f.delivered, f.delivered_original, f.delivered_follow_up) == (
        pack["delivered"]["total"],
        pack["delivered"]["original"],
        pack["delivered"]["follow_up"],
    )
    assert f.inspections_open == pack["inspections"]["open"]
    assert {g.group: (g.outstanding, g.overdue, g.pct_overdue) for g in summary.by_group if g.outstanding} == {
        g["group"]: (g["outstanding"], g["overdue"], g["pct_overdue"]) for g in pack["by_group"]
    }

    for intent in (Intent.OUTSTANDING, Intent.OVERDUE):
        asked = ask(session, intent, today).figures
        assert (asked.outstanding, asked.overdue, asked.overdue_with_revised) == (
            f.outstanding,
            f.overdue,
            f.overdue_with_revised,
        )
    forthcoming = ask(session, Intent.FORTHCOMING, today).figures
    assert (forthcoming.forthcoming, forthcoming.due_by_quarter_end) == (f.forthcoming, f.due_by_quarter_end)
    delivered = ask(session, Intent.DELIVERED, today)
    assert delivered.figures.delivered == pack["delivered"]["total"]
    assert dict(delivered.breakdown) == _by_title(pack["delivered"]["by_audit"])
    stale = ask(session, Intent.STALE, today).figures
    assert (stale.stale, stale.stale_before and stale.stale_before.isoformat()) == (
        pack["stale"]["count"],
        pack["stale"]["before"],
    )
    reasons = ask(session, Intent.DELAY_REASONS, today)
    assert dict(reasons.breakdown) == pack["delay_reasons"]
    themes = ask(session, Intent.INSPECTIONS, today)
    assert {NO_THEME_PACK if t == NO_THEME_SQL else t: n for t, n in themes.breakdown} == pack["inspections"][
        "by_theme"
    ]


def assert_sections_agree(session: Any, today: date) -> None:
    """The sections' figures, counted in SQL on the current tracker, against the pack's."""
    pack, q = figures_as_of(session, today), Quarter.containing(today)
    limited = Audit.assurance.in_(LIMITED_ASSURANCES)
    by_group = sums_by_group(session, [monitored(), outstanding()], limited=limited)
    assert {g: (v["limited"], v["total"] - v["limited"]) for g, v in by_group.items()} == {
        d["group"]: (d["limited"], d["high_other"]) for d in pack["distribution"]
    }
    delivered_where = [
        monitored(),
        Action.status.in_(("implemented", "closed")),
        *within(Action.implemented_on, q.start, q.end),
    ]
    delivered = sums_by_group(session, delivered_where, limited_follow_up=and_(Audit.kind == "follow-up", limited))
    assert {
        g: (v["total"], v["limited_follow_up"], by_group.get(g, {}).get("total", 0)) for g, v in delivered.items()
    } == {
        d["group"]: (d["delivered"], d["from_limited_follow_ups"], d["outstanding"]) for d in pack["delivered_by_group"]
    }
    received = Audit.received == q.label
    shared = dict(count_by(session, [monitored(), received, Audit.restricted.is_(False)], Audit.audit_id))
    assert {a["audit"]: a["actions"] for a in pack["new_audits"] if a["actions"]} == shared
    for column, key in ((InspectionItem.closed_on, "closed"), (InspectionItem.submitted_on, "submitted")):
        n = session.scalar(select(func.count(InspectionItem.id)).where(*within(column, q.start, q.end)))
        counted = pack["inspection_activity"][key]
        assert n == counted["recommendations"] + counted["afis"]


def _by_title(by_audit: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in by_audit:
        counts[row["audit"]] = counts.get(row["audit"], 0) + row["count"]
    return counts


@pytest.mark.parametrize("today", DATES, ids=[d.isoformat() for d in DATES])
def test_sql_answers_and_the_pack_agree_on_the_hand_made_tracker(sessions, today: date) -> None:
    with sessions.begin() as session:
        build_tracker(session)
    with sessions() as session:
        assert_agree(session, today)
        assert_sections_agree(session, today)


def test_sql_answers_and_the_pack_agree_on_the_demo_tracker(sessions) -> None:
    today = date(2026, 11, 26)
    with sessions.begin() as session:
        load_demo(session, today, datetime(2026, 11, 26, 9, tzinfo=timezone.utc))
    with sessions() as session:
        assert_agree(session, today)
        assert_sections_agree(session, today)


def test_sql_and_the_pack_agree_on_a_tracker_shaped_like_the_paper(sessions, tmp_path) -> None:
    """Restricted and new audits, follow-ups of limited audits, HMICFRS items closed and submitted."""
    today = date(2020, 11, 30)
    book = write_workbook(tmp_path / "paper.xlsx", november_sheets())
    with sessions.begin() as session:
        import_workbook(
            session, book, ChangeContext("import", "import", datetime(2020, 11, 30, 9, tzinfo=timezone.utc))
        )
    with sessions() as session:
        assert_agree(session, today)
        assert_sections_agree(session, today)
        pack = figures_as_of(session, today)
        assert (
            pack["delivered_by_group"]
            and pack["new_audits"]
            and pack["inspection_activity"]["closed"]["recommendations"]
        )


def test_the_comparison_can_fail(sessions) -> None:
    """One action closed behind the pack's back changes the SQL side only: the check must notice."""
    from sqlalchemy import update

    from store.db.models import Action

    today = DATES[1]
    with sessions.begin() as session:
        build_tracker(session)
    with sessions() as session:
        pack = figures_as_of(session, today)
        session.execute(update(Action).where(Action.ref == "A01").values(status="closed"))
        assert ask(session, Intent.SUMMARY, today).figures.outstanding == pack["outstanding"]["total"] - 1
