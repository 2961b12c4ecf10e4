"""Role scoping: no phrasing shows anyone actions (or HMICFRS items) outside their scope.

Property-style: every phrasing below, parsed for real, asked as every kind of question, by
every role of the demo tracker; each ref returned is checked against an independent query
of what that person may see (built from the people, group-lead and delegation tables, not
from store.people.viewers or store.queries). Plus the pure scoping rule over every combination of
groups named, "my group" and unknown words, for each kind of viewer.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import chain, combinations

import pytest
from sqlalchemy import select

from domain.charts import ChartData, ChartGroup
from questions import EXAMPLES, Intent, Question, Vocabulary, parse
from store.db.models import Action, BusinessGroup, Delegation, GroupLead, InspectionItem, Person, PersonRole
from store.demo.builder import load_demo
from store.people.viewers import Viewer, viewer_for
from store.queries import ANSWERED_INTENTS, OWN, Answer, AnswerScope, Refusal, answer_question, resolve_answer_scope
from store.queries.names import known_names
from tests.questions.question_examples import ISSUE_4

PHRASINGS = (
    *(text for text in ISSUE_4 if text != "help"),  # issue 4's own sentences, then more
    "overdue in Corporate Services",
    "summary for Corporate Services",
    "everything across the force",
    "all overdue actions in every group",
    "show me everything",
    "overdue in corporate services and met ops",
    "what's late in Frontline Policing",
    "delay reasons for Professionalism",
    "stale actions in Corp Services",
    "what was delivered this quarter",
    "delivered in Digital Policing",
    "HMICFRS recommendations for Professionalism",
    "overdue actions owned by Amelia Hart",
    "actions for Olivia Owen",
    "outstanding in my area",
    "overdue medium risk in Met Operations",
    "due next quarter in Professionalism",
    "overdue with a revised date in Corporate Services",
    "low risk actions",
    "our group summary",
    "Smarter Working Asset Management actions",
    "policy and process overdue",
    "overdue in Narnia",
    "Met Ops and Professionalism and Corporate Services summary",
    "show all groups",
    "what's overdue for the whole met",
    "Professionalism",
    "overdue",
    "outstanding",
    "HMI areas for improvement in Met Operations",
    "older than 2 years",
    "due by 31/03/2027",
    "Key Financial Systems – Expenses overdue",
    "whats outstanding in frontline",
)
ROLES = (
    "grace.gordon",
    "tracy.rylance",
    "colin.chambers",
    "sam.spencer",
    "olivia.owen",
    "laura.mills",
    "clare.whitfield",
    "oscar.grant",
    "dev.patel",
)
BIG = 100_000


@pytest.fixture
def demo(session, today, now):
    load_demo(session, today, now)
    session.commit()
    names = known_names(session)
    vocabulary = Vocabulary(groups=names.groups, audits=names.audits, people=names.people, key_themes=names.key_themes)
    people = {p.email.split("@")[0]: p for p in session.scalars(select(Person))}
    return vocabulary, people


def allowed(session, person: Person) -> tuple[set[str], set[str], set[str] | None]:
    """(action refs, inspection refs, group names or None for all) this person may see, from the tables."""
    roles = set(session.scalars(select(PersonRole.role).where(PersonRole.person_id == person.id))) or {"owner"}
    if "governance" in roles:
        return (set(session.scalars(select(Action.ref))), set(session.scalars(select(InspectionItem.ref))), None)
    led = set(
        session.scalars(
            select(BusinessGroup.name)
            .join(GroupLead, GroupLead.business_group_id == BusinessGroup.id)
            .where(GroupLead.person_id == person.id, GroupLead.role.in_(roles))
        )
    )
    if led:
        return (
            set(
                session.scalars(
                    select(Action.ref)
                    .join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
                    .where(BusinessGroup.name.in_(led))
                )
            ),
            set(
                session.scalars(
                    select(InspectionItem.ref)
                    .join(BusinessGroup, BusinessGroup.id == InspectionItem.business_group_id)
                    .where(BusinessGroup.name.in_(led))
                )
            ),
            led,
        )
    owners = {person.id} | set(session.scalars(select(Delegation.owner_id).where(Delegation.delegate_id == person.id)))
    return (
        set(session.scalars(select(Action.ref).where(Action.owner_id.in_(owners)))),
        set(session.scalars(select(InspectionItem.ref).where(InspectionItem.owner_id.in_(owners)))),
        set(),
    )


def test_no_phrasing_shows_anyone_anything_outside_their_scope(session, demo, today) -> None:
    vocabulary, people = demo
    checked = refused = 0
    for role in ROLES:
        person = people[role]
        viewer = viewer_for(session, person)
        actions, items, groups = allowed(session, person)
        for text in (*PHRASINGS, *EXAMPLES):
            question = parse(text, vocabulary, today)
            for intent in sorted(ANSWERED_INTENTS, key=lambda i: i.value):
                answer = answer_question(session, viewer, replace(question, intent=intent), today, page_size=BIG)
                if isinstance(answer, Refusal):
                    refused += 1
                    assert answer.kind == "unknown_group" or (groups and not set(answer.asked) <= groups), (role, text)
                    continue
                returned = {row.ref for row in answer.page.rows}
                wanted = (
                    items
                    if intent is Intent.INSPECTIONS or answer.page.rows and answer.page.rows[0].kind == "inspection"
                    else actions
                )
                assert returned <= wanted, (role, text, intent, sorted(returned - wanted)[:5])
                assert answer.figures.outstanding <= len(actions)
                if groups is not None:  # not governance: no group outside what they may see
                    shown = {g.group for g in answer.by_group}
                    if groups:
                        assert shown <= groups, (role, text, shown)
                    for chart in answer.charts:
                        if isinstance(chart, ChartData) and chart.group is ChartGroup.BUSINESS_GROUP:
                            assert set(chart.categories) <= groups or not groups, (role, text, chart.categories)
                checked += 1
    assert checked > 2000 and refused > 0


@pytest.mark.parametrize(
    "role, text",
    [
        ("colin.chambers", "overdue in Corporate Services"),
        ("colin.chambers", "summary for Professionalism"),
        ("sam.spencer", "what's late in Frontline Policing"),
        ("clare.whitfield", "anything late for Met Ops?"),
    ],
)
def test_another_group_is_refused_politely(session, demo, today, role, text) -> None:
    vocabulary, people = demo
    answer = answer_question(session, viewer_for(session, people[role]), parse(text, vocabulary, today), today)
    assert isinstance(answer, Refusal) and answer.kind == "out_of_scope" and answer.allowed


def test_a_forged_page_click_cannot_widen_the_scope(session, demo, today) -> None:
    _, people = demo
    colin = viewer_for(session, people["colin.chambers"])
    forged = Question(Intent.OVERDUE, "x", groups=("Corporate Services",))
    assert isinstance(answer_question(session, colin, forged, today), Refusal)
    olivia = viewer_for(session, people["olivia.owen"])
    wide = answer_question(
        session, olivia, Question(Intent.OUTSTANDING, "x", groups=("Met Operations",)), today, page_size=BIG
    )
    assert isinstance(wide, Answer) and wide.scope.kind == OWN
    assert {r.owner for r in wide.page.rows} == {"Olivia Owen"}


def test_governance_and_leads_see_what_the_spec_says(session, demo, today) -> None:
    vocabulary, people = demo
    grace = viewer_for(session, people["grace.gordon"])
    whole = answer_question(session, grace, parse("summary", vocabulary, today), today)
    assert isinstance(whole, Answer) and whole.scope.kind == "all" and len(whole.by_group) >= 4
    colin = viewer_for(session, people["colin.chambers"])
    mine = answer_question(session, colin, parse("summary", vocabulary, today), today)
    assert isinstance(mine, Answer) and [g.group for g in mine.by_group] == ["Met Operations"]
    laura = viewer_for(session, people["laura.mills"])
    hers = answer_question(session, laura, parse("outstanding", vocabulary, today), today, page_size=BIG)
    assert {r.owner for r in hers.page.rows} == {"Laura Mills", "Olivia Owen"}  # Olivia delegated to her


# -- the pure rule, over every combination ----------------------------------------------------
GROUPS = ("Corporate Services", "Met Operations", "Professionalism")
VIEWERS = {
    "governance": Viewer(1, "G", "g@x", frozenset({"governance"}), "Corporate Services"),
    "governance+chief": Viewer(
        2,
        "GC",
        "gc@x",
        frozenset({"governance", "chief_officer"}),
        "Met Operations",
        leads=(("chief_officer", "Met Operations"),),
    ),
    "chief": Viewer(
        3, "C", "c@x", frozenset({"chief_officer"}), "Met Operations", leads=(("chief_officer", "Met Operations"),)
    ),
    "chief of two": Viewer(
        4,
        "C2",
        "c2@x",
        frozenset({"chief_officer"}),
        "Met Operations",
        leads=(("chief_officer", "Met Operations"), ("chief_officer", "Professionalism")),
    ),
    "spoc": Viewer(
        5, "S", "s@x", frozenset({"owner", "spoc"}), "Professionalism", leads=(("spoc", "Professionalism"),)
    ),
    "owner": Viewer(6, "O", "o@x", frozenset({"owner"}), "Met Operations"),
    "delegate": Viewer(7, "D", "d@x", frozenset({"owner"}), "Met Operations", acts_for=(6, 9)),
    "chief without a group": Viewer(8, "X", "x@x", frozenset({"chief_officer"}), None),
}


def _subsets(items):
    return chain.from_iterable(combinations(items, n) for n in range(len(items) + 1))


@pytest.mark.parametrize("kind", list(VIEWERS))
def test_the_scoping_rule_over_every_combination(kind: str) -> None:
    viewer = VIEWERS[kind]
    for named in _subsets(GROUPS):
        for my_group in (False, True):
            for unknown in (None, "narnia"):
                q = Question(Intent.OVERDUE, "q", groups=named, my_group=my_group, unknown_group=unknown)
                scope = resolve_answer_scope(viewer, q, GROUPS)
                if unknown and not named:
                    assert isinstance(scope, Refusal) and scope.kind == "unknown_group"
                    continue
                if viewer.is_governance:
                    assert isinstance(scope, AnswerScope) and not scope.owner_ids
                    assert set(named) <= set(scope.groups) or not named
                    if not named and not my_group:
                        assert scope.kind == "all"
                elif viewer.led_groups:
                    if set(named) - set(viewer.led_groups):
                        assert isinstance(scope, Refusal) and scope.kind == "out_of_scope"
                        assert set(scope.asked) == set(named) - set(viewer.led_groups)
                    else:
                        assert isinstance(scope, AnswerScope) and scope.groups and not scope.owner_ids
                        assert set(scope.groups) <= set(viewer.led_groups)
                else:
                    assert isinstance(scope, AnswerScope) and scope.kind == OWN
                    assert set(scope.owner_ids) == {viewer.person_id, *viewer.acts_for}
                    assert set(scope.groups) == set(named)
