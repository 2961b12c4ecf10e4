"""Figures against the spec's definitions, counted independently in plain Python over a
hand-made tracker (tests/store/question_tracker.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta

from domain.answer_notes import AUDIT, FILTERS_NOT_APPLIED, LOW_RISK_UNMONITORED, REVISED, RISK, THEME, FilterTerm, Note
from questions import Intent, Question
from store.people.viewers import viewer_for
from store.queries import (
    Answer,
    GroupFigures,
    Refusal,
    action_detail,
    answer_question,
    inspection_detail,
    question_from_params,
    question_params,
)
from tests.store import question_tracker as T

I = Intent
LIMITED = ("limited", "no assurance")


def pct_half_up(part: int, whole: int) -> int:
    """The percentage overdue an answer shows (0% of nothing outstanding)."""
    return GroupFigures("any", outstanding=whole, overdue=part).pct_overdue


Q3_START, Q3_END = date(2026, 10, 1), date(2026, 12, 31)
CUTOFF = date(2024, 4, 1)


# -- the spec, in plain Python ---------------------------------------------------------------
def monitored(a: T.A) -> bool:
    assurance = T.AUDITS[a.audit][1]
    return a.risk == "high" or (a.risk == "medium" and assurance in LIMITED)


def outstanding(a: T.A) -> bool:
    return monitored(a) and a.status in ("open", "in progress")


def overdue(a: T.A, today: date) -> bool:
    return outstanding(a) and a.due < today


def effective(a: T.A) -> date:
    return a.revised or a.due


def visible(key: str, a: T.A) -> bool:
    _, _, roles, leads = T.PEOPLE[key]
    if "governance" in roles:
        return True
    if leads:
        return a.group in leads
    return a.owner == key or (a.owner, key) in T.DELEGATIONS


def refs(actions) -> set[str]:
    return {a.ref for a in actions}


# -- fixtures --------------------------------------------------------------------------------
@pytest.fixture
def tracker(session):
    people = T.load(session)
    session.commit()
    return {key: viewer_for(session, person) for key, person in people.items()}


def ask(session, viewer, today, intent: Intent, page: int = 0, size: int = 1000, **filters) -> Answer:
    answer = answer_question(
        session, viewer, Question(intent=intent, text=intent.value, **filters), today, page=page, page_size=size
    )
    assert isinstance(answer, Answer), answer
    return answer


def listed(answer: Answer) -> list[str]:
    return [row.ref for row in answer.page.rows]


# -- tests -----------------------------------------------------------------------------------
@pytest.mark.parametrize("key", list(T.PEOPLE))
def test_outstanding_and_overdue_by_role(session, tracker, today, key) -> None:
    mine = [a for a in T.ACTIONS if visible(key, a)]
    out = [a for a in mine if outstanding(a)]
    late = [a for a in mine if overdue(a, today)]
    answer = ask(session, tracker[key], today, I.OUTSTANDING)
    f = answer.figures
    assert (f.outstanding, f.overdue) == (len(out), len(late))
    assert f.overdue_with_revised == len([a for a in late if a.revised])
    assert f.pct_overdue == pct_half_up(len(late), len(out))
    assert listed(answer) == [a.ref for a in sorted(out, key=lambda a: (a.due, a.ref))]
    answer = ask(session, tracker[key], today, I.OVERDUE)
    assert listed(answer) == [a.ref for a in sorted(late, key=lambda a: (a.due, a.ref))]
    assert answer.page.total == len(late)
    for row in answer.page.rows:
        a = next(x for x in T.ACTIONS if x.ref == row.ref)
        assert row.days_overdue == (today - a.due).days > 0
        assert row.effective_due == effective(a) and row.revised_date == a.revised


def test_the_edges_of_the_definitions(session, tracker, today) -> None:
    grace = tracker["grace"]
    out = refs(ask(session, grace, today, I.OUTSTANDING).page.rows)
    assert {"M02", "C04", "C07", "M06"} <= out  # medium risk in limited / no-assurance audits
    assert not {"M03", "C09", "M04"} & out  # medium in adequate, low anywhere: never
    assert not {"M11", "M12", "M13", "M14"} & out  # implemented, closed, superseded
    late = refs(ask(session, grace, today, I.OVERDUE).page.rows)
    assert "M02" not in late  # due exactly today is not overdue
    assert {"C01", "M05", "M07", "P02"} <= late  # original date passed; a revised date does not help
    assert "M06" not in late  # revised date earlier, original still ahead
    cs = ask(session, grace, today, I.OUTSTANDING, groups=(T.CS,)).figures
    assert (cs.outstanding, cs.overdue, cs.pct_overdue) == (8, 1, 13)  # 12.5 rounds up


def test_figures_by_group_for_governance(session, tracker, today) -> None:
    answer = ask(session, tracker["grace"], today, I.SUMMARY)
    expected = {}
    for group in (T.CS, T.MO, T.PR):
        out = [a for a in T.ACTIONS if a.group == group and outstanding(a)]
        expected[group] = (len(out), len([a for a in out if a.due < today]))
    assert {g.group: (g.outstanding, g.overdue) for g in answer.by_group} == expected
    assert {g.group: g.pct_overdue for g in answer.by_group} == {g: pct_half_up(o, n) for g, (n, o) in expected.items()}


@pytest.mark.parametrize("key", ["grace", "colin", "olivia", "both"])
def test_forthcoming_next_twelve_months_and_by_quarter_end(session, tracker, today, key) -> None:
    year = today + relativedelta(years=1)
    due = [a for a in T.ACTIONS if visible(key, a) and outstanding(a) and today <= effective(a) <= year]
    answer = ask(session, tracker[key], today, I.FORTHCOMING)
    assert answer.figures.forthcoming == len(due) == answer.page.total
    assert answer.figures.due_by_quarter_end == len([a for a in due if effective(a) <= Q3_END])
    assert listed(answer) == [a.ref for a in sorted(due, key=lambda a: (effective(a), a.due, a.ref))]
    if key == "grace":
        # due today, exactly a year ahead, revised into the year (even though overdue by the original date)
        assert {"M02", "M09", "M06", "M05", "P02", "M07"} <= refs(answer.page.rows)
        assert "M10" not in refs(answer.page.rows)  # a day beyond the year


def test_forthcoming_in_a_window_uses_the_effective_date(session, tracker, today) -> None:
    end = date(2027, 3, 31)
    answer = ask(session, tracker["grace"], today, I.FORTHCOMING, due_from=today, due_to=end)
    expected = [a for a in T.ACTIONS if outstanding(a) and today <= effective(a) <= end]
    assert refs(answer.page.rows) == refs(expected)
    assert "M06" in refs(expected) and "M05" in refs(expected)  # revised into the window


@pytest.mark.parametrize("key", ["grace", "colin", "olivia", "carl"])
def test_delivered_this_quarter(session, tracker, today, key) -> None:
    done = [
        a
        for a in T.ACTIONS
        if visible(key, a) and monitored(a) and a.implemented and Q3_START <= a.implemented <= Q3_END
    ]
    answer = ask(session, tracker[key], today, I.DELIVERED)
    f = answer.figures
    assert f.delivered == len(done) == answer.page.total
    assert f.delivered_original == len([a for a in done if T.AUDITS[a.audit][2] == "original"])
    assert f.delivered_follow_up == len([a for a in done if T.AUDITS[a.audit][2] == "follow-up"])
    assert dict(answer.breakdown) == Counter(T.AUDITS[a.audit][0] for a in done)
    if key == "grace":
        assert refs(done) == {"M11", "M14", "C10"}  # quarter start and end in; the day before and low risk out


def test_delivered_in_a_named_window(session, tracker, today) -> None:
    answer = ask(session, tracker["grace"], today, I.DELIVERED, due_from=date(2026, 9, 1), due_to=date(2026, 9, 30))
    assert refs(answer.page.rows) == {"M12"}


@pytest.mark.parametrize("key", ["grace", "colin", "oscar", "both"])
def test_delay_reasons_count_outstanding_with_a_reason(session, tracker, today, key) -> None:
    reasons = Counter(a.delay for a in T.ACTIONS if visible(key, a) and outstanding(a) and a.delay)
    answer = ask(session, tracker[key], today, I.DELAY_REASONS)
    assert dict(answer.breakdown) == reasons
    assert answer.figures.with_delay_reason == sum(reasons.values()) == answer.page.total
    [chart] = answer.charts
    assert chart.kind == "donut" and dict(zip(chart.categories, chart.series[0][1])) == reasons


def test_stale_default_and_explicit_cut_off(session, tracker, today) -> None:
    answer = ask(session, tracker["grace"], today, I.STALE)
    assert answer.figures.stale_before == CUTOFF
    assert refs(answer.page.rows) == {a.ref for a in T.ACTIONS if outstanding(a) and a.due < CUTOFF} == {"M07", "P01"}
    later = ask(session, tracker["grace"], today, I.STALE, limit_stale_before=date(2026, 1, 11))
    assert refs(later.page.rows) == {a.ref for a in T.ACTIONS if outstanding(a) and a.due < date(2026, 1, 11)}


def test_summary_figures(session, tracker, today) -> None:
    f = ask(session, tracker["colin"], today, I.SUMMARY).figures
    mo = [a for a in T.ACTIONS if a.group == T.MO]
    out = [a for a in mo if outstanding(a)]
    year = today + relativedelta(years=1)
    assert (f.outstanding, f.overdue) == (len(out), len([a for a in out if a.due < today]))
    assert f.overdue_with_revised == len([a for a in out if a.due < today and a.revised])
    assert f.audits == len({a.audit for a in out})
    assert f.forthcoming == len([a for a in out if today <= effective(a) <= year])
    assert f.due_by_quarter_end == len([a for a in out if today <= effective(a) <= Q3_END])
    assert f.delivered == len([a for a in mo if monitored(a) and a.implemented and Q3_START <= a.implemented <= Q3_END])
    assert f.inspections_open == len([i for i in T.INSPECTIONS if i[1] == T.MO and i[4] != "closed"])


@pytest.mark.parametrize("key", ["grace", "colin", "olivia", "laura", "oscar"])
def test_inspections_not_closed_by_theme(session, tracker, today, key) -> None:
    _, _, roles, leads = T.PEOPLE[key]

    def sees(item) -> bool:
        owner_ok = item[2] == key or (item[2], key) in T.DELEGATIONS
        return "governance" in roles or (item[1] in leads if leads else owner_ok)

    open_items = [i for i in T.INSPECTIONS if sees(i) and i[4] != "closed"]
    answer = ask(session, tracker[key], today, I.INSPECTIONS, source="hmicfrs")
    assert dict(answer.breakdown) == Counter(i[3] or "(no theme)" for i in open_items)
    assert answer.figures.inspections_open == len(open_items)
    assert refs(answer.page.rows) == {i[0] for i in open_items}
    late = ask(session, tracker[key], today, I.OVERDUE, source="hmicfrs")
    assert refs(late.page.rows) == {i[0] for i in open_items if i[5] and i[5] < today}


def test_the_theme_filter_applies_to_inspections_and_risk_audit_revised_are_said_not_to(
    session, tracker, today
) -> None:
    themed = ask(session, tracker["grace"], today, I.INSPECTIONS, source="hmicfrs", key_theme="Vulnerability")
    expected = {i[0] for i in T.INSPECTIONS if i[3] == "Vulnerability" and i[4] != "closed"}
    assert refs(themed.page.rows) == expected and themed.figures.inspections_open == len(expected)
    assert dict(themed.breakdown) == {"Vulnerability": len(expected)}
    assert FilterTerm(THEME, "Vulnerability") in themed.filters and themed.notes == ()
    ignored = ask(
        session,
        tracker["grace"],
        today,
        I.INSPECTIONS,
        source="hmicfrs",
        risk="high",
        audit="No Assurance Follow-up",
        revised=True,
    )
    assert ignored.figures.inspections_open == len([i for i in T.INSPECTIONS if i[4] != "closed"])
    assert ignored.notes == (Note(FILTERS_NOT_APPLIED, (RISK, AUDIT, REVISED)),)


@pytest.mark.parametrize(
    "filters, keep",
    [
        ({"risk": "high"}, lambda a: a.risk == "high"),
        ({"risk": "medium"}, lambda a: a.risk == "medium"),
        ({"risk": "low"}, lambda a: False),
        ({"audit": "No Assurance Follow-up"}, lambda a: a.audit == "NOA"),
        ({"owner": "Olivia Own"}, lambda a: a.owner == "olivia"),
        ({"key_theme": T.POLICY}, lambda a: a.theme == T.POLICY),
        ({"revised": True}, lambda a: a.revised is not None),
        ({"revised": False}, lambda a: a.revised is None),
        ({"groups": (T.PR,), "revised": False}, lambda a: a.group == T.PR and a.revised is None),
        (
            {"due_from": date(2026, 12, 1), "due_to": date(2027, 2, 28)},
            lambda a: date(2026, 12, 1) <= effective(a) <= date(2027, 2, 28),
        ),
    ],
)
def test_filters(session, tracker, today, filters, keep) -> None:
    out = [a for a in T.ACTIONS if outstanding(a) and keep(a)]
    answer = ask(session, tracker["grace"], today, I.OUTSTANDING, **filters)
    assert refs(answer.page.rows) == refs(out)
    assert (answer.figures.outstanding, answer.figures.overdue) == (len(out), len([a for a in out if a.due < today]))
    if filters.get("risk") == "low":
        assert Note(LOW_RISK_UNMONITORED) in answer.notes


def test_overdue_window_bounds_the_original_date(session, tracker, today) -> None:
    answer = ask(session, tracker["grace"], today, I.OVERDUE, due_from=date(2026, 1, 1), due_to=date(2026, 6, 30))
    assert (
        refs(answer.page.rows)
        == {a.ref for a in T.ACTIONS if overdue(a, today) and date(2026, 1, 1) <= a.due <= date(2026, 6, 30)}
        == {"M01", "M05", "P02"}
    )


def test_paging_is_stable_and_complete(session, tracker, today) -> None:
    grace = tracker["grace"]
    everything = listed(ask(session, grace, today, I.OUTSTANDING))
    pages = [ask(session, grace, today, I.OUTSTANDING, page=n, size=3) for n in range(6)]
    seen = [ref for p in pages[:5] for ref in listed(p)]
    assert seen == everything[:15] and len(set(seen)) == len(seen)
    last = pages[0].page.pages - 1
    assert pages[0].page.has_next and not pages[0].page.has_previous
    beyond = ask(session, grace, today, I.OUTSTANDING, page=99, size=3)
    assert beyond.page.number == last and listed(beyond) == everything[last * 3 :]
    assert not beyond.page.has_next and beyond.page.has_previous


def test_chart_series_add_up_to_the_figures(session, tracker, today) -> None:
    grace = tracker["grace"]
    answer = ask(session, grace, today, I.OUTSTANDING)
    [chart] = answer.charts
    assert chart.kind == "stacked" and chart.categories == (T.CS, T.MO, T.PR)
    overdue_values, rest = chart.series[0][1], chart.series[1][1]
    assert sum(overdue_values) == answer.figures.overdue
    assert sum(overdue_values) + sum(rest) == answer.figures.outstanding
    mine = ask(session, tracker["colin"], today, I.OVERDUE)
    [chart] = mine.charts
    assert chart.kind == "bar" and sum(chart.series[0][1]) == mine.figures.overdue
    quarters = Counter()
    for a in T.ACTIONS:
        if a.group == T.MO and overdue(a, today):
            fy = a.due.year if a.due.month >= 4 else a.due.year - 1
            quarters[f"{fy}/{(fy + 1) % 100:02d} Q{(a.due.month - 4) % 12 // 3 + 1}"] += 1
    assert dict(zip(chart.categories, chart.series[0][1])) == quarters


def test_refusals(session, tracker, today) -> None:
    colin = tracker["colin"]
    refused = answer_question(session, colin, Question(I.OVERDUE, "overdue in CS", groups=(T.CS,)), today)
    assert isinstance(refused, Refusal) and refused.kind == "out_of_scope"
    assert refused.asked == (T.CS,) and refused.allowed == (T.MO,)
    unknown = answer_question(session, colin, Question(I.OVERDUE, "overdue in narnia", unknown_group="narnia"), today)
    assert isinstance(unknown, Refusal) and unknown.kind == "unknown_group" and T.MO in unknown.known


def test_detail_with_history_and_pending_proposal(session, tracker, today) -> None:
    detail = action_detail(session, tracker["colin"], "M01", today)
    assert (
        detail is not None and detail.owner == "Olivia Own" and detail.days_overdue == (today - date(2026, 1, 10)).days
    )
    assert detail.pending_revised_date == date(2027, 3, 1) and detail.monitored
    assert [h.field for h in detail.history] and {h.field for h in detail.history} == {"delay_reason", "_created"}
    assert action_detail(session, tracker["carl"], "M01", today) is None  # another group
    assert action_detail(session, tracker["oscar"], "M01", today) is None  # another owner
    assert action_detail(session, tracker["laura"], "M01", today) is not None  # delegated to her
    assert action_detail(session, tracker["grace"], "NOPE", today) is None
    assert inspection_detail(session, tracker["olivia"], "I01") is not None
    assert inspection_detail(session, tracker["olivia"], "I02") is None


def test_question_params_round_trip_and_reject_bad_data(today) -> None:
    q = Question(
        I.FORTHCOMING,
        "due soon in Met Ops",
        groups=(T.MO,),
        my_group=True,
        risk="high",
        revised=False,
        due_from=today,
        due_to=date(2027, 3, 31),
        owner="Olivia Own",
        source="dara",
    )
    assert question_from_params(question_params(q)) == q
    stale = Question(I.STALE, "older than 2020", limit_stale_before=date(2020, 1, 1))
    assert question_from_params(question_params(stale)) == stale
    for bad in (
        None,
        {"intent": "launch"},
        {"intent": "overdue", "groups": "CS"},
        {"intent": "overdue", "risk": "x"},
        {"intent": "overdue", "revised": "yes"},
        {"intent": "overdue", "due_from": "31/12/2026"},
    ):
        with pytest.raises(ValueError):
            question_from_params(bad)
    assert replace(q, groups=()).groups == ()
