"""Issue 22: questions as people actually type them, one table per failure kind.

Each row is (text, expected): ``expected`` names the Question fields that must hold (the intent and
every filter the question carries); a field not named must be what a plain parse of nothing gives, so
a word read as a group, a dropped filter or a wrong intent each fails its row. Phrasings are taken
from the issue's two sets, with typos, lower case, no punctuation, British spellings and polite forms.
TODAY is Thursday 26 November 2026 (2026/27 Q3).
"""

from __future__ import annotations

from datetime import date as d
from typing import Any

import pytest

from domain.question import Intent, Question
from questions import parse
from tests.questions.question_examples import TODAY, VOCABULARY

I = Intent
CS, FP, MO, PR, DP = VOCABULARY.groups
PROJECT = "Included in and superseded by a different project"
REVIEW = "Dependent on another review (internal/external)"
IT = "Requires a new IT solution"
RECRUIT = "Recruitment"
PROJECT_DELAY = "Project delay"
YEAR_AGO = d(2025, 11, 25)  # overdue by more than a year: original due date before 26 Nov 2025
TWO_YEARS_AGO = d(2024, 11, 25)
Q3 = {"due_from": d(2026, 10, 1), "due_to": d(2026, 12, 31)}

Row = tuple[str, dict[str, Any]]

_CHECKED = (
    "intent",
    "groups",
    "my_group",
    "unknown_group",
    "risk",
    "source",
    "owner",
    "revised",
    "due_from",
    "due_to",
    "delay_reason",
    "status",
    "item_kind",
    "original",
    "by",
    "percent",
    "mine",
    "non_responders",
    "assurance",
)
_DEFAULTS = {name: getattr(Question(I.UNKNOWN, ""), name, None) for name in _CHECKED}


def check(text: str, expected: dict[str, Any]) -> None:
    question = parse(text, VOCABULARY, TODAY)
    want = {**_DEFAULTS, **expected}
    got = {name: getattr(question, name, "<no such field>") for name in _CHECKED}
    assert got == want


def table(rows: list[Row]) -> Any:
    return pytest.mark.parametrize(("text", "expected"), rows, ids=[text for text, _ in rows])


STRAY_WORDS: list[Row] = [
    ("what's overdue in my group at the moment?", {"intent": I.OVERDUE, "my_group": True}),
    ("whats overdue in my group at the moment", {"intent": I.OVERDUE, "my_group": True}),
    ("outstanding actions from limited or no assurance audits", {"intent": I.OUTSTANDING, "assurance": "limited"}),
    ("what's overdue for me", {"intent": I.OVERDUE, "mine": True}),
    ("what is still outstanding in Met Ops", {"intent": I.OUTSTANDING, "groups": (MO,)}),
    ("overdue actions for the exec board", {"intent": I.OVERDUE}),
    ("open actions about custody", {"intent": I.OUTSTANDING}),
    ("anything overdue in frontline at present please", {"intent": I.OVERDUE, "groups": (FP,)}),
    ("overdue in professionalism currently", {"intent": I.OVERDUE, "groups": (PR,)}),
    ("what is overdue across the organisation right now", {"intent": I.OVERDUE}),
]

SHORT_FORMS: list[Row] = [
    ("overdue actions in FLP", {"intent": I.OVERDUE, "groups": (FP,)}),
    ("flp overdue", {"intent": I.OVERDUE, "groups": (FP,)}),
    ("what's outstanding for the met", {"intent": I.OUTSTANDING, "groups": (MO,)}),
    ("overdue in metropolitan operations", {"intent": I.OVERDUE, "groups": (MO,)}),
    ("Metropolitan Ops overdue actions", {"intent": I.OVERDUE, "groups": (MO,)}),
    ("how many overdue in the Met?", {"intent": I.OVERDUE, "groups": (MO,)}),
]

WRONG_QUESTION: list[Row] = [
    ("What needs to be done by 31 March 2027", {"intent": I.FORTHCOMING, "due_from": TODAY, "due_to": d(2027, 3, 31)}),
    ("which actions do I still need to complete", {"intent": I.MY_ACTIONS}),
    ("what do i still need to do", {"intent": I.MY_ACTIONS}),
    ("Which actions have had their deadline extended", {"intent": I.OUTSTANDING, "revised": True}),
    ("actions with extended deadlines in met ops", {"intent": I.OUTSTANDING, "groups": (MO,), "revised": True}),
    ("How many new actions came in this quarter", {"intent": "new_actions", **Q3}),
    ("new actions this quater", {"intent": "new_actions", **Q3}),
    ("How many audits still have actions outstanding", {"intent": "audits"}),
    ("which audits have the most outstanding actions", {"intent": "audits"}),
    ("list the audits with open actions please", {"intent": "audits"}),
    ("Not counting HMICFRS, what's overdue", {"intent": I.OVERDUE, "source": "dara"}),
    ("overdue actions excluding hmicfrs", {"intent": I.OVERDUE, "source": "dara"}),
    ("HMICFRS items in a holding position", {"intent": I.INSPECTIONS, "source": "hmicfrs", "status": "holding"}),
    ("What am I responsible for", {"intent": I.MY_ACTIONS}),
    ("what's on my plate?", {"intent": I.MY_ACTIONS}),
    ("what needs an update from me", {"intent": I.MY_ACTIONS}),
]

NOT_APPLIED: list[Row] = [
    (
        "actions delayed because they were superseded by a different project",
        {"intent": I.DELAY_REASONS, "delay_reason": PROJECT},
    ),
    ("which actions are waiting on another review", {"intent": I.DELAY_REASONS, "delay_reason": REVIEW}),
    ("actions waiting on a new IT solution", {"intent": I.DELAY_REASONS, "delay_reason": IT}),
    ("what's delayed by recruitment", {"intent": I.DELAY_REASONS, "delay_reason": RECRUIT}),
    ("overdue because of recruitment in met ops", {"intent": I.OVERDUE, "groups": (MO,), "delay_reason": RECRUIT}),
    ("actions held up by a system", {"intent": I.DELAY_REASONS, "delay_reason": IT}),
    ("delays caused by a project", {"intent": I.DELAY_REASONS, "delay_reason": PROJECT_DELAY}),
    ("open actions with a revised deadline agreed", {"intent": I.OUTSTANDING, "revised": True}),
    ("which of my actions have a revised due date", {"intent": I.OUTSTANDING, "mine": True, "revised": True}),
]

WRONG_FIGURE: list[Row] = [
    (
        "outstanding actions originally due before April 2024",
        {"intent": I.OUTSTANDING, "original": True, "due_to": d(2024, 3, 31)},
    ),
    ("The overdue percentage for each group", {"intent": I.OVERDUE, "by": "group", "percent": True}),
    ("% overdue by business group", {"intent": I.OVERDUE, "by": "group", "percent": True}),
]

BREAKDOWNS: list[Row] = [
    ("who has the most overdue in my group", {"intent": I.OVERDUE, "my_group": True, "by": "owner"}),
    ("overdue actions per owner in met ops", {"intent": I.OVERDUE, "groups": (MO,), "by": "owner"}),
    ("outstanding actions by group", {"intent": I.OUTSTANDING, "by": "group"}),
    ("which group has the worst rate", {"intent": I.OVERDUE, "by": "group", "percent": True}),
    ("outstanding and overdue side by side for each group", {"intent": I.OUTSTANDING, "by": "group"}),
    ("DARA vs HMICFRS", {"intent": I.SUMMARY, "by": "source"}),
    ("compare dara and hmicfrs outstanding", {"intent": I.SUMMARY, "by": "source"}),
    ("break down overdue by owner", {"intent": I.OVERDUE, "by": "owner"}),
]

AGE: list[Row] = [
    ("actions more than a year overdue", {"intent": I.OVERDUE, "due_to": YEAR_AGO}),
    ("what's been overdue for over 2 years", {"intent": I.OVERDUE, "due_to": TWO_YEARS_AGO}),
    ("overdue by more than a year in met ops", {"intent": I.OVERDUE, "groups": (MO,), "due_to": YEAR_AGO}),
]

NEGATION: list[Row] = [
    ("overdue without a revised date", {"intent": I.OVERDUE, "revised": False}),
    ("overdue actions that have no revised date", {"intent": I.OVERDUE, "revised": False}),
    ("outstanding except hmicfrs", {"intent": I.OUTSTANDING, "source": "dara"}),
    ("overdue other than DARA", {"intent": I.OVERDUE, "source": "hmicfrs"}),
]

STATUSES: list[Row] = [
    ("which actions are in progress", {"intent": I.OUTSTANDING, "status": "in progress"}),
    ("actions still open and not started", {"intent": I.OUTSTANDING, "status": "open"}),
    ("implemented but not yet closed", {"intent": I.DELIVERED, "status": "implemented"}),
    (
        "actions implemented but not closed in met ops",
        {"intent": I.DELIVERED, "groups": (MO,), "status": "implemented"},
    ),
    (
        "what was closed this quarter",
        {"intent": I.DELIVERED, "status": "closed", "due_from": d(2026, 10, 1), "due_to": d(2026, 12, 31)},
    ),
]

HMICFRS: list[Row] = [
    ("hmicfrs areas for improvement", {"intent": I.INSPECTIONS, "source": "hmicfrs", "item_kind": "afi"}),
    ("open HMICFRS recommendations only, not AFIs", {"intent": I.INSPECTIONS, "source": "hmicfrs", "item_kind": "rec"}),
    (
        "HMICFRS items submitted for closure",
        {"intent": I.INSPECTIONS, "source": "hmicfrs", "status": "submitted for closure"},
    ),
    (
        "hmicfrs afis in holding",
        {"intent": I.INSPECTIONS, "source": "hmicfrs", "item_kind": "afi", "status": "holding"},
    ),
    ("hmicfrs by kind and state", {"intent": I.INSPECTIONS, "source": "hmicfrs", "by": "kind"}),
]

OWNERS_OWN: list[Row] = [
    ("my high risk actions", {"intent": I.OUTSTANDING, "mine": True, "risk": "high"}),
    (
        "my actions due next month",
        {"intent": I.FORTHCOMING, "mine": True, "due_from": d(2026, 12, 1), "due_to": d(2026, 12, 31)},
    ),
    ("which of my actions are past due", {"intent": I.OVERDUE, "mine": True}),
    ("my actions in progress", {"intent": I.OUTSTANDING, "mine": True, "status": "in progress"}),
    ("my actions from limited assurance audits", {"intent": I.OUTSTANDING, "mine": True, "assurance": "limited"}),
]

THEMES: list[Row] = [
    ("what are the key themes", {"intent": "key_themes"}),
    ("key themes in met ops?", {"intent": "key_themes", "groups": (MO,)}),
]

RESPONDERS: list[Row] = [
    ("who hasn't responded", {"intent": I.CYCLE_STATUS, "non_responders": True}),
    ("who has not replied yet?", {"intent": I.CYCLE_STATUS, "non_responders": True}),
    ("non responders", {"intent": I.CYCLE_STATUS, "non_responders": True}),
]

# Every kind again, as people type in Teams: typos, lower case, no punctuation, polite forms.
EVERYDAY: list[Row] = [
    ("Which areas are performing worst on overdue?", {"intent": I.OVERDUE, "by": "group", "percent": True}),
    ("hi can you show what is outstanding for frontline please thanks", {"intent": I.OUTSTANDING, "groups": (FP,)}),
    ("give me a breakdown of overdue by directorate", {"intent": I.OVERDUE, "by": "group"}),
    ("what proportion of actions are overdue", {"intent": I.OVERDUE, "percent": True}),
    ("could you tell me what's overdue in my area at the moment please", {"intent": I.OVERDUE, "my_group": True}),
    ("whats overdeu in flp", {"intent": I.OVERDUE, "groups": ("Frontline Policing",)}),
    ("pls show outstanding actions for the met", {"intent": I.OUTSTANDING, "groups": ("Met Operations",)}),
    ("Would you kindly list the audits that still have open actions?", {"intent": "audits"}),
    (
        "how many audits have overdue actions in corporate services",
        {"intent": "audits", "groups": ("Corporate Services",)},
    ),
    ("which audit has the most outstanding actions", {"intent": "audits"}),
    (
        "new actions recieved this quarter",
        {"intent": "new_actions", "due_from": d(2026, 10, 1), "due_to": d(2026, 12, 31)},
    ),
    (
        "new recommendations last quarter",
        {"intent": "new_actions", "due_from": d(2026, 7, 1), "due_to": d(2026, 9, 30)},
    ),
    ("what came in last quarter", {"intent": "new_actions", "due_from": d(2026, 7, 1), "due_to": d(2026, 9, 30)}),
    ("overdue actions not counting hmicfrs please", {"intent": I.OVERDUE, "source": "dara"}),
    ("outstanding excluding the inspectorate", {"intent": I.OUTSTANDING, "source": "dara"}),
    (
        "hmicfrs recomendations in a holding position",
        {"intent": I.INSPECTIONS, "source": "hmicfrs", "status": "holding"},
    ),
    ("which afis are on hold", {"intent": I.INSPECTIONS, "source": "hmicfrs", "status": "holding", "item_kind": "afi"}),
    (
        "areas for improvement submitted for closure in met ops",
        {
            "intent": I.INSPECTIONS,
            "groups": ("Met Operations",),
            "source": "hmicfrs",
            "status": "submitted for closure",
            "item_kind": "afi",
        },
    ),
    ("what have I got on my plate", {"intent": I.MY_ACTIONS}),
    ("what needs updating from me", {"intent": I.MY_ACTIONS}),
    ("what am i accountable for?", {"intent": I.MY_ACTIONS}),
    ("my overdue actions", {"intent": I.OVERDUE, "mine": True}),
    ("my actions that are past due", {"intent": I.OVERDUE, "mine": True}),
    (
        "my high-risk actions due next month",
        {"intent": I.FORTHCOMING, "risk": "high", "due_from": d(2026, 12, 1), "due_to": d(2026, 12, 31), "mine": True},
    ),
    ("which of my actions are in progress", {"intent": I.OUTSTANDING, "status": "in progress", "mine": True}),
    ("overdue actions delayed by a new it system", {"intent": I.OVERDUE, "delay_reason": "Requires a new IT solution"}),
    (
        "actions held up because of recruitment in corporate services",
        {"intent": I.DELAY_REASONS, "groups": ("Corporate Services",), "delay_reason": "Recruitment"},
    ),
    ("whats delayed due to resourcing", {"intent": I.DELAY_REASONS, "delay_reason": "Resource challenges"}),
    (
        "actions stuck waiting on another inspection",
        {"intent": I.DELAY_REASONS, "delay_reason": "Dependent on another review (internal/external)"},
    ),
    (
        "delays because of covid in professionalism",
        {"intent": I.DELAY_REASONS, "groups": ("Professionalism",), "delay_reason": "COVID-19 related delay"},
    ),
    (
        "overdue actions without a revised date in met ops",
        {"intent": I.OVERDUE, "groups": ("Met Operations",), "revised": False},
    ),
    ("outstanding actions that have had their deadlines extended", {"intent": I.OUTSTANDING, "revised": True}),
    ("actions with an extension", {"intent": I.OUTSTANDING, "revised": True}),
    ("overdue by more than 2 years", {"intent": I.OVERDUE, "due_to": d(2024, 11, 25)}),
    ("actions overdue for over six months", {"intent": I.OVERDUE, "due_to": d(2026, 5, 25)}),
    ("overdue percentage by group please", {"intent": I.OVERDUE, "by": "group", "percent": True}),
    ("what is the overdue rate for each business group", {"intent": I.OVERDUE, "by": "group", "percent": True}),
    ("which business group is worst", {"intent": I.OVERDUE, "by": "group", "percent": True}),
    ("outstanding and overdue for each group", {"intent": I.OUTSTANDING, "by": "group"}),
    (
        "overdue actions per owner in frontline policing",
        {"intent": I.OVERDUE, "groups": ("Frontline Policing",), "by": "owner"},
    ),
    ("who has the most overdue actions", {"intent": I.OVERDUE, "by": "owner"}),
    ("DARA against HMICFRS overdue", {"intent": I.SUMMARY, "by": "source"}),
    ("hmicfrs recs vs afis", {"intent": I.INSPECTIONS, "source": "hmicfrs", "by": "kind"}),
    ("implemented but awaiting closure", {"intent": I.DELIVERED, "status": "implemented"}),
    ("actions implemented and waiting for dara", {"intent": I.DELIVERED, "status": "implemented"}),
    (
        "which actions were closed last quarter",
        {"intent": I.DELIVERED, "due_from": d(2026, 7, 1), "due_to": d(2026, 9, 30), "status": "closed"},
    ),
    (
        "actions not started in digital policing",
        {"intent": I.OUTSTANDING, "groups": ("Digital Policing",), "status": "open"},
    ),
    (
        "anything in progress in the met",
        {"intent": I.OUTSTANDING, "groups": ("Met Operations",), "status": "in progress"},
    ),
    ("whats the key themes in professionalism", {"intent": "key_themes", "groups": ("Professionalism",)}),
    ("outstanding actions from no assurance audits", {"intent": I.OUTSTANDING, "assurance": "limited"}),
    (
        "open actions from limited assurance audits in met ops",
        {"intent": I.OUTSTANDING, "groups": ("Met Operations",), "assurance": "limited"},
    ),
    ("overdue actions originally due before 2024", {"intent": I.OVERDUE, "due_to": d(2023, 12, 31), "original": True}),
    (
        "what needs doing before christmas",
        {"intent": I.FORTHCOMING, "due_from": d(2026, 11, 26), "due_to": d(2026, 12, 24)},
    ),
    ("what still needs to be done in met ops", {"intent": I.OUTSTANDING, "groups": ("Met Operations",)}),
]


@table(STRAY_WORDS)
def test_a_word_that_is_not_a_group_is_never_one(text: str, expected: dict[str, Any]) -> None:
    check(text, expected)


@table(SHORT_FORMS)
def test_short_forms_of_group_names(text: str, expected: dict[str, Any]) -> None:
    check(text, expected)


@table(WRONG_QUESTION)
def test_the_question_asked_is_the_one_answered(text: str, expected: dict[str, Any]) -> None:
    check(text, expected)


@table(NOT_APPLIED)
def test_delay_reasons_and_revised_dates_are_read(text: str, expected: dict[str, Any]) -> None:
    check(text, expected)


@table(WRONG_FIGURE)
def test_original_dates_and_percentages(text: str, expected: dict[str, Any]) -> None:
    check(text, expected)


@table(BREAKDOWNS)
def test_breakdowns_and_rankings(text: str, expected: dict[str, Any]) -> None:
    check(text, expected)


@table(AGE)
def test_overdue_by_age(text: str, expected: dict[str, Any]) -> None:
    check(text, expected)


@table(NEGATION)
def test_negations_and_exclusions(text: str, expected: dict[str, Any]) -> None:
    check(text, expected)


@table(STATUSES)
def test_statuses(text: str, expected: dict[str, Any]) -> None:
    check(text, expected)


@table(HMICFRS)
def test_hmicfrs_kinds_and_states(text: str, expected: dict[str, Any]) -> None:
    check(text, expected)


@table(OWNERS_OWN)
def test_owners_own_questions_keep_their_filters(text: str, expected: dict[str, Any]) -> None:
    check(text, expected)


@table(THEMES)
def test_key_themes(text: str, expected: dict[str, Any]) -> None:
    check(text, expected)


@table(RESPONDERS)
def test_who_has_not_responded(text: str, expected: dict[str, Any]) -> None:
    check(text, expected)


@table(EVERYDAY)
def test_everyday_phrasings_of_every_kind(text: str, expected: dict[str, Any]) -> None:
    check(text, expected)


def test_there_are_at_least_a_hundred_new_phrasings() -> None:
    tables = (STRAY_WORDS, SHORT_FORMS, WRONG_QUESTION, NOT_APPLIED, WRONG_FIGURE, BREAKDOWNS, AGE, NEGATION)
    more = (STATUSES, HMICFRS, OWNERS_OWN, THEMES, RESPONDERS, EVERYDAY)
    texts = [text for rows in (*tables, *more) for text, _ in rows]
    assert len(texts) >= 100 and len(set(texts)) == len(texts)
