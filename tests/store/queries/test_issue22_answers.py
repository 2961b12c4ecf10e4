"""Issue 22 end to end: typed words -> parse -> answer, on the hand-made tracker, checked against the
spec counted in plain Python (tests/store/queries/test_queries.py's helpers). Each failure kind of the
issue has a test; a property test builds questions from random filters in a fixed grammar and checks
that the stated count is the number of rows listed and that every row meets every filter."""

from __future__ import annotations

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from domain.answer_notes import FILTERS_NOT_APPLIED, NOT_UNDERSTOOD, Note
from domain.question import Intent
from domain.words import DEFAULT_BUSINESS_GROUPS
from questions import Vocabulary, parse
from store.db.models import Audit
from store.people.viewers import viewer_for
from store.queries import Answer, answer_question
from tests.store import question_tracker as T
from tests.store.queries.test_queries import monitored, outstanding, overdue, visible

I = Intent
VOCABULARY = Vocabulary(
    groups=DEFAULT_BUSINESS_GROUPS,
    people=tuple(name for name, _, _, _ in T.PEOPLE.values()),
    audits=tuple(title for title, _, _ in T.AUDITS.values()),
    key_themes=(T.POLICY, T.OVERSIGHT),
)
LIMITED = ("limited", "no assurance")


@pytest.fixture
def tracker(session):
    people = T.load(session)
    session.commit()
    return {key: viewer_for(session, person) for key, person in people.items()}


def ask(session, viewer, today: date, text: str) -> Answer:
    question = parse(text, VOCABULARY, today)
    answer = answer_question(session, viewer, question, today, page_size=1000)
    assert isinstance(answer, Answer), (text, answer)
    return answer


def refs(answer: Answer) -> set[str]:
    assert len(answer.page.rows) == answer.page.total  # one page holds them all here
    return {row.ref for row in answer.page.rows}


def mine(key: str):
    return [a for a in T.ACTIONS if visible(key, a)]


def test_a_named_delay_reason_lists_only_those_actions(session, tracker, today) -> None:
    answer = ask(session, tracker["grace"], today, "which actions are held up by recruitment")
    expected = {a.ref for a in T.ACTIONS if outstanding(a) and a.delay == T.RECRUIT}
    assert refs(answer) == expected == {"M07", "P01"}
    assert answer.figures.with_delay_reason == len(expected)
    answer = ask(session, tracker["grace"], today, "delays caused by a project")
    assert refs(answer) == {a.ref for a in T.ACTIONS if outstanding(a) and a.delay == T.PROJECT}


def test_an_owners_revised_date_question_lists_their_revised_actions(session, tracker, today) -> None:
    answer = ask(session, tracker["olivia"], today, "which of my actions have a revised due date")
    assert refs(answer) == {a.ref for a in mine("olivia") if outstanding(a) and a.revised} == {"M07"}


def test_originally_due_is_filtered_on_the_original_date(session, tracker, today) -> None:
    answer = ask(session, tracker["grace"], today, "outstanding actions originally due before April 2024")
    assert refs(answer) == {a.ref for a in T.ACTIONS if outstanding(a) and a.due < date(2024, 4, 1)} == {"M07", "P01"}


def test_the_overdue_percentage_for_each_group(session, tracker, today) -> None:
    answer = ask(session, tracker["grace"], today, "The overdue percentage for each group")
    assert answer.by == "group" and answer.percent
    table = {g.group: (g.outstanding, g.overdue) for g in answer.by_group}
    for group in (T.CS, T.MO, T.PR):
        rows = [a for a in T.ACTIONS if a.group == group]
        assert table[group] == (len([a for a in rows if outstanding(a)]), len([a for a in rows if overdue(a, today)]))
    pcts = [g.pct_overdue for g in answer.by_group]
    assert pcts == sorted(pcts, reverse=True)


def test_audits_with_outstanding_actions_count_audits(session, tracker, today) -> None:
    answer = ask(session, tracker["grace"], today, "How many audits still have actions outstanding")
    expected = {T.AUDITS[a.audit][0] for a in T.ACTIONS if outstanding(a)}
    assert answer.figures.audits == len(answer.breakdown) == len(expected)
    assert {title for title, _ in answer.breakdown} == expected
    counts = [n for _, n in answer.breakdown]
    assert counts == sorted(counts, reverse=True)


def test_new_actions_are_those_of_audits_received_this_quarter(session, tracker, today) -> None:
    session.execute(update(Audit).where(Audit.audit_id == "NOA").values(received="2026/27 Q3"))
    answer = ask(session, tracker["grace"], today, "How many new actions came in this quarter")
    expected = {a.ref for a in T.ACTIONS if a.audit == "NOA" and monitored(a)}
    assert refs(answer) == expected and answer.figures.new_actions == len(expected)


def test_not_counting_hmicfrs_answers_with_dara_actions_only(session, tracker, today) -> None:
    answer = ask(session, tracker["grace"], today, "Not counting HMICFRS, what's overdue")
    assert refs(answer) == {a.ref for a in T.ACTIONS if overdue(a, today)}
    assert all(row.kind == "action" for row in answer.page.rows)


def test_hmicfrs_items_in_a_holding_position(session, tracker, today) -> None:
    assert refs(ask(session, tracker["grace"], today, "HMICFRS items in a holding position")) == {"I02"}
    assert refs(ask(session, tracker["grace"], today, "hmicfrs items submitted for closure")) == {"I03"}


def test_implemented_but_not_closed(session, tracker, today) -> None:
    answer = ask(session, tracker["grace"], today, "implemented but not yet closed")
    assert refs(answer) == {a.ref for a in T.ACTIONS if monitored(a) and a.status == "implemented"}
    assert answer.figures.delivered == answer.page.total


def test_more_than_a_year_overdue(session, tracker, today) -> None:
    answer = ask(session, tracker["grace"], today, "actions more than a year overdue")
    year_ago = today - relativedelta(years=1)
    assert refs(answer) == {a.ref for a in T.ACTIONS if overdue(a, today) and a.due < year_ago}
    assert answer.figures.overdue == answer.page.total


def test_in_progress_is_not_open(session, tracker, today) -> None:
    answer = ask(session, tracker["grace"], today, "which actions are in progress")
    assert refs(answer) == {a.ref for a in T.ACTIONS if outstanding(a) and a.status == "in progress"}
    assert answer.figures.outstanding == answer.page.total


def test_who_has_the_most_overdue_per_owner(session, tracker, today) -> None:
    answer = ask(session, tracker["colin"], today, "who has the most overdue in my group")
    assert answer.by == "owner"
    late = [a for a in mine("colin") if overdue(a, today)]
    names = {key: T.PEOPLE[key][0] for key in T.PEOPLE}
    table = {g.group: g.overdue for g in answer.by_group}
    assert table == {
        names[k]: len([a for a in late if a.owner == k]) for k in {a.owner for a in mine("colin") if outstanding(a)}
    }
    assert [g.overdue for g in answer.by_group] == sorted(table.values(), reverse=True)


def test_dara_against_hmicfrs(session, tracker, today) -> None:
    answer = ask(session, tracker["grace"], today, "DARA vs HMICFRS")
    dara, hmicfrs = answer.by_group
    assert (dara.outstanding, dara.overdue) == (
        len([a for a in T.ACTIONS if outstanding(a)]),
        len([a for a in T.ACTIONS if overdue(a, today)]),
    )
    open_items = [i for i in T.INSPECTIONS if i[4] != "closed"]
    assert (hmicfrs.outstanding, hmicfrs.overdue) == (
        len(open_items),
        len([i for i in open_items if i[5] and i[5] < today]),
    )


def test_key_themes(session, tracker, today) -> None:
    answer = ask(session, tracker["grace"], today, "what are the key themes")
    themed = [a for a in T.ACTIONS if outstanding(a) and a.theme]
    assert dict(answer.breakdown) == {t: len([a for a in themed if a.theme == t]) for t in {a.theme for a in themed}}
    assert answer.figures.with_key_theme == answer.page.total == len(themed)


def test_words_not_understood_and_filters_not_applied_are_said(session, tracker, today) -> None:
    answer = ask(session, tracker["grace"], today, "open actions about custody")
    assert Note(NOT_UNDERSTOOD, ("custody",)) in answer.notes
    answer = ask(session, tracker["grace"], today, "overdue afis in holding, dara only")
    assert answer.page.rows == () or all(row.kind == "action" for row in answer.page.rows)


def test_a_chief_officer_never_sees_another_groups_refs_whatever_the_filters(session, tracker, today) -> None:
    for text in (
        "who has the most overdue",
        "how many audits have outstanding actions",
        "key themes",
        "overdue by more than a year per owner",
        "implemented but not closed",
        "new actions this quarter",
        "delays caused by recruitment",
    ):
        answer = ask(session, tracker["colin"], today, text)
        assert all(row.group == T.MO for row in answer.page.rows), text
        assert not {g.group for g in answer.by_group} & {T.CS, T.PR}, text


# -- the property: questions built from random filters in a fixed grammar --------------------
GROUPS = {"in met ops": T.MO, "in corporate services": T.CS, "in professionalism": T.PR}
RISKS = {"high risk": "high", "medium risk": "medium"}
REVISED = {"with a revised date": True, "without a revised date": False}
STATUSES = {"in progress": "in progress", "not started": "open"}
DELAYS = {"delayed by recruitment": T.RECRUIT, "because of covid": T.COVID, "held up by a project": T.PROJECT}
MEASURES = ("outstanding", "overdue", "due in the next 6 months")


def _expected(today: date, measure: str, picks: dict[str, object]) -> set[str]:
    ahead = today + relativedelta(months=6)
    found = set()
    for a in T.ACTIONS:
        if not outstanding(a):
            continue
        if measure == "overdue" and not a.due < today:
            continue
        if measure.startswith("due") and not today <= (a.revised or a.due) <= ahead:
            continue
        checks = {
            "group": a.group,
            "risk": a.risk,
            "revised": a.revised is not None,
            "status": a.status,
            "delay": a.delay,
            "limited": T.AUDITS[a.audit][1] in LIMITED,
        }
        if all(checks[k] == v for k, v in picks.items()):
            found.add(a.ref)
    return found


def _option(table: dict[str, object]) -> st.SearchStrategy[str | None]:
    return st.none() | st.sampled_from(sorted(table))


@given(
    measure=st.sampled_from(MEASURES),
    group=_option(GROUPS),
    risk=_option(RISKS),
    revised=_option(REVISED),
    status=_option(STATUSES),
    delay=_option(DELAYS),
    limited=st.booleans(),
    polite=st.sampled_from(("", "please ", "could you show me ")),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_stated_count_is_the_rows_listed_and_every_row_meets_every_filter(
    session, tracker, today, measure, group, risk, revised, status, delay, limited, polite
) -> None:
    words = [polite, risk or "", measure, "actions", group or "", status or "", revised or "", delay or ""]
    if limited:
        words.append("from limited assurance audits")
    text = " ".join(w for w in words if w)
    picks: dict[str, object] = {}
    for key, value, table in (
        ("group", group, GROUPS),
        ("risk", risk, RISKS),
        ("revised", revised, REVISED),
        ("status", status, STATUSES),
        ("delay", delay, DELAYS),
    ):
        if value:
            picks[key] = table[value]
    if limited:
        picks["limited"] = True
    answer = ask(session, tracker["grace"], today, text)
    expected = _expected(today, measure, picks)
    assert refs(answer) == expected, text
    f = answer.figures
    stated = {
        I.OUTSTANDING: f.outstanding,
        I.OVERDUE: f.overdue,
        I.FORTHCOMING: f.forthcoming,
        I.DELAY_REASONS: f.with_delay_reason,
    }[answer.intent]
    assert stated == answer.page.total == len(expected), text
    assert not [n for n in answer.notes if isinstance(n, Note) and n.code in (FILTERS_NOT_APPLIED, NOT_UNDERSTOOD)], (
        text
    )


@pytest.mark.parametrize("key", ["grace", "carl", "colin", "sam", "olivia"])
def test_what_am_i_responsible_for_is_understood_for_every_role(key: str, today: date) -> None:
    for text in ("What am I responsible for", "what's on my plate", "what needs an update from me"):
        assert parse(text, VOCABULARY, today).intent is I.MY_ACTIONS


# -- the cards people see ----------------------------------------------------------------------
CARDS = [
    ("grace", "open actions about custody", ("I did not use “custody”", "Closest questions I can answer")),
    ("grace", "The overdue percentage for each group", ("By business group, ranked by % overdue", "% overdue")),
    ("grace", "How many audits still have actions outstanding", ("4 audits with outstanding actions", "Audit")),
    ("grace", "implemented but not yet closed", ("3 actions implemented and waiting for DARA to close them",)),
    ("grace", "HMICFRS items in a holding position", ("1 HMICFRS recommendations and AFIs in a holding position",)),
    ("grace", "DARA vs HMICFRS", ("DARA: ", "HMICFRS: ", "Source")),
    ("colin", "who has the most overdue in my group", ("By owner, most first",)),
    ("grace", "what are the key themes", ("have a key theme",)),
    ("grace", "which actions are held up by recruitment", ("delay reason: Recruitment",)),
    ("grace", "outstanding actions originally due before April 2024", ("original due date up to 31 Mar 2024",)),
    ("grace", "new actions this quarter", ("new actions across the force",)),
    ("grace", "hmicfrs by kind and state", ("Kind · state",)),
]


def test_the_cards_say_what_was_asked_and_what_was_not_applied(session, tracker, today) -> None:
    from cards.answers import answer_card
    from questions import suggest
    from tests.cardcheck import assert_valid_cards
    from tests.fakes.live_bot import card_text

    cards = []
    for key, text, words in CARDS:
        card = answer_card(ask(session, tracker[key], today, text), suggest(text))
        shown = card_text(card)
        for said in words:
            assert said in shown, (text, said, shown)
        cards.append(card)
    assert_valid_cards(*cards)


def test_my_questions_are_about_the_askers_own_actions_whatever_the_role(session, tracker, today) -> None:
    own = ask(session, tracker["olivia"], today, "my overdue actions")
    assert refs(own) == {a.ref for a in T.ACTIONS if a.owner == "olivia" and overdue(a, today)}
    chief = ask(session, tracker["colin"], today, "my high risk actions")  # colin owns none: never his group's
    assert refs(chief) == set() and chief.scope.kind == "own"
    delegate = ask(session, tracker["laura"], today, "which of my actions are in progress")
    expected = {a.ref for a in T.ACTIONS if a.owner in ("laura", "olivia") and outstanding(a)}
    assert refs(delegate) == {r for r in expected if next(a for a in T.ACTIONS if a.ref == r).status == "in progress"}
