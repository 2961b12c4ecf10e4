"""More phrasings (issue 13): deadline words, named days and months, first names alone,
filters on HMICFRS items, and more ways of asking each question.

Same shape and rules as ``question_examples``: each row is (text, intent, filters) and every
Question field not named in ``filters`` must keep its default.  The vocabulary adds people who
share a first or last name (two Olivias, two Chambers) and the HMICFRS themes.  TODAY is
Thursday 26 November 2026; Christmas 2026 is a Friday, Easter 2027 is Sunday 28 March.
"""

from __future__ import annotations

from datetime import date as d
from typing import Any

from questions import Intent, Vocabulary
from tests.questions.question_examples import TODAY, VOCABULARY

I = Intent

VOCABULARY_13 = Vocabulary(
    groups=VOCABULARY.groups,
    audits=VOCABULARY.audits,
    people=("Olivia Owen", "Olivia Smith", "Colin Chambers", "Ben Chambers", "Priya Patel"),
    key_themes=("Policy and process", "Management oversight and reporting", "Vulnerability", "PEEL", "Roads Policing"),
)

CS, FP, MO, PR, DP = VOCABULARY.groups
SWAM = VOCABULARY.audits[0]
OLIVIAS = {"owner_choices": ("Olivia Owen", "Olivia Smith"), "owner_word": "olivia"}
CHAMBERS = {"owner_choices": ("Ben Chambers", "Colin Chambers"), "owner_word": "chambers"}
H = {"source": "hmicfrs"}
XMAS_EVE, XMAS = d(2026, 12, 24), d(2026, 12, 25)
FY_END = d(2027, 3, 31)
Q3 = {"due_from": d(2026, 10, 1), "due_to": d(2026, 12, 31)}

EXAMPLES: list[tuple[str, Intent, dict[str, Any]]] = [
    # deadline words mean overdue
    ("Which actions have missed their deadline?", I.OVERDUE, {}),
    ("actions where we blew the deadline", I.OVERDUE, {}),
    ("which actions are past due", I.OVERDUE, {}),
    ("what has slipped in Met Ops", I.OVERDUE, {"groups": (MO,)}),
    ("actions that slipped past their deadline", I.OVERDUE, {}),
    ("we blew the deadline on which actions in frontline", I.OVERDUE, {"groups": (FP,)}),
    ("high risk actions that missed the deadline", I.OVERDUE, {"risk": "high"}),
    ("actions past their deadline in Digital Policing", I.OVERDUE, {"groups": (DP,)}),
    ("what's past its due date", I.OVERDUE, {}),
    ("deadline passed", I.OVERDUE, {}),
    ("actions whose deadline has passed", I.OVERDUE, {}),
    ("which deadlines have been missed in my group", I.OVERDUE, {"my_group": True}),
    ("missed deadlines for Colin", I.OVERDUE, {"owner": "Colin Chambers"}),
    ("anything gone past the target date?", I.OVERDUE, {}),
    ("blown deadlines with no revised date", I.OVERDUE, {"revised": False}),
    ("slipped actions in Professionalism", I.OVERDUE, {"groups": (PR,)}),
    ("what's slipping in corporate services", I.OVERDUE, {"groups": (CS,)}),
    ("past due HMICFRS recommendations", I.OVERDUE, H),
    ("which actions are out of time", I.OVERDUE, {}),
    ("actions that missed their due date in met ops", I.OVERDUE, {"groups": (MO,)}),
    ("overshot the deadline", I.OVERDUE, {}),
    ("items that have blown their deadline", I.OVERDUE, {}),
    ("missed the deadline?", I.OVERDUE, {}),
    ("which missed deadlines have a revised date", I.OVERDUE, {"revised": True}),
    ("past the deadline in Met Ops and Digital", I.OVERDUE, {"groups": (MO, DP)}),
    ("Olivia Owen's missed deadlines", I.OVERDUE, {"owner": "Olivia Owen"}),
    ("slipped medium risk actions", I.OVERDUE, {"risk": "medium"}),
    ("which actions blew through the deadline", I.OVERDUE, {}),
    ("what went past the deadline last quarter", I.OVERDUE, {"due_from": d(2026, 7, 1), "due_to": d(2026, 9, 30)}),
    ("actions that sailed past their due date", I.OVERDUE, {}),
    ("deadlines that have expired", I.OVERDUE, {}),
    ("which target dates were missed", I.OVERDUE, {}),
    ("actions not done on time", I.OVERDUE, {}),
    ("blew the deadline in Q2", I.OVERDUE, {"due_from": d(2026, 7, 1), "due_to": d(2026, 9, 30)}),
    ("low risk actions past due in DPS", I.OVERDUE, {"groups": (PR,), "risk": "low"}),
    ("missed deadline actions from the Smarter Working Asset Management audit", I.OVERDUE, {"audit": SWAM}),
    ("what slipped since the summer", I.OVERDUE, {"due_from": d(2026, 6, 1)}),
    ("which actions passed their completion date", I.OVERDUE, {}),
    # named days, months and seasons (forward questions take the next one)
    ("what is due before christmas", I.FORTHCOMING, {"due_from": TODAY, "due_to": XMAS_EVE}),
    ("What's due by Christmas?", I.FORTHCOMING, {"due_from": TODAY, "due_to": XMAS}),
    ("due before Christmas in Met Ops", I.FORTHCOMING, {"groups": (MO,), "due_from": TODAY, "due_to": XMAS_EVE}),
    ("high risk actions due before xmas", I.FORTHCOMING, {"risk": "high", "due_from": TODAY, "due_to": XMAS_EVE}),
    ("due over the Christmas period", I.FORTHCOMING, {"due_from": XMAS_EVE, "due_to": d(2027, 1, 1)}),
    ("due by the end of March", I.FORTHCOMING, {"due_from": TODAY, "due_to": FY_END}),
    ("due in January", I.FORTHCOMING, {"due_from": d(2027, 1, 1), "due_to": d(2027, 1, 31)}),
    (
        "what's due in January in Frontline",
        I.FORTHCOMING,
        {"groups": (FP,), "due_from": d(2027, 1, 1), "due_to": d(2027, 1, 31)},
    ),
    ("due by year end", I.FORTHCOMING, {"due_from": TODAY, "due_to": FY_END}),
    ("due before the financial year end", I.FORTHCOMING, {"due_from": TODAY, "due_to": FY_END}),
    ("due by quarter end", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2026, 12, 31)}),
    ("due before Easter", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 3, 27)}),
    ("delivered since Easter", I.DELIVERED, {"due_from": d(2026, 4, 5)}),
    ("due by new year", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 1, 1)}),
    ("due by new year's eve", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2026, 12, 31)}),
    ("due in the summer", I.FORTHCOMING, {"due_from": d(2027, 6, 1), "due_to": d(2027, 8, 31)}),
    ("due by the spring", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 5, 31)}),
    ("delivered in the summer", I.DELIVERED, {"due_from": d(2026, 6, 1), "due_to": d(2026, 8, 31)}),
    ("overdue since the summer", I.OVERDUE, {"due_from": d(2026, 6, 1)}),
    ("due in winter", I.FORTHCOMING, {"due_from": d(2026, 12, 1), "due_to": d(2027, 2, 28)}),
    ("due after Christmas", I.FORTHCOMING, {"due_from": d(2026, 12, 26)}),
    ("due between christmas and easter", I.FORTHCOMING, {"due_from": XMAS, "due_to": d(2027, 3, 28)}),
    ("due by Christmas 2027", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 12, 25)}),
    ("due on Boxing Day", I.FORTHCOMING, {"due_from": d(2026, 12, 26), "due_to": d(2026, 12, 26)}),
    ("what's due by Good Friday", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 3, 26)}),
    ("due in March", I.FORTHCOMING, {"due_from": d(2027, 3, 1), "due_to": FY_END}),
    (
        "due before the end of January in Met Ops",
        I.FORTHCOMING,
        {"groups": (MO,), "due_from": TODAY, "due_to": d(2027, 1, 31)},
    ),
    ("due by the end of February", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 2, 28)}),
    ("delivered in January", I.DELIVERED, {"due_from": d(2026, 1, 1), "due_to": d(2026, 1, 31)}),
    ("closed in October", I.DELIVERED, {"status": "closed", "due_from": d(2026, 10, 1), "due_to": d(2026, 10, 31)}),
    ("due by halloween", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 10, 31)}),
    ("what falls due before bonfire night", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 11, 4)}),
    ("overdue since Christmas", I.OVERDUE, {"due_from": d(2025, 12, 25)}),
    ("due by the christmas break", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 1, 1)}),
    ("due by St George's Day", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 4, 23)}),
    ("due by Easter Monday", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 3, 29)}),
    ("due by valentine's day", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 2, 14)}),
    ("due in December", I.FORTHCOMING, {"due_from": d(2026, 12, 1), "due_to": d(2026, 12, 31)}),
    ("due in November", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2026, 11, 30)}),
    ("due before the end of the financial year", I.FORTHCOMING, {"due_from": TODAY, "due_to": FY_END}),
    (
        "outstanding actions due before Christmas with no revised date",
        I.OUTSTANDING,
        {"due_from": TODAY, "due_to": XMAS_EVE, "revised": False},
    ),
    (
        "what's coming up before Christmas for Digital",
        I.FORTHCOMING,
        {"groups": (DP,), "due_from": TODAY, "due_to": XMAS_EVE},
    ),
    ("due in Jan", I.FORTHCOMING, {"due_from": d(2027, 1, 1), "due_to": d(2027, 1, 31)}),
    ("due by end of March 2028", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2028, 3, 31)}),
    ("delivered since new year", I.DELIVERED, {"due_from": d(2026, 1, 1)}),
    ("what was implemented in the spring", I.DELIVERED, {"due_from": d(2026, 3, 1), "due_to": d(2026, 5, 31)}),
    ("due by the summer in my area", I.FORTHCOMING, {"my_group": True, "due_from": TODAY, "due_to": d(2027, 8, 31)}),
    ("stale actions older than christmas 2019", I.STALE, {"limit_stale_before": d(2019, 12, 25)}),
    # first names alone: one person is named, several are offered
    ("overdue for olivia", I.OVERDUE, OLIVIAS),
    ("actions for Olivia", I.OUTSTANDING, OLIVIAS),
    ("what's late for chambers", I.OVERDUE, CHAMBERS),
    ("overdue for colin", I.OVERDUE, {"owner": "Colin Chambers"}),
    ("priya's actions", I.OUTSTANDING, {"owner": "Priya Patel"}),
    ("overdue for priya", I.OVERDUE, {"owner": "Priya Patel"}),
    ("olivia smith's overdue actions", I.OVERDUE, {"owner": "Olivia Smith"}),
    ("Olivia?", I.OUTSTANDING, OLIVIAS),
    ("is Ben behind?", I.OVERDUE, {"owner": "Ben Chambers"}),
    ("high risk actions for Olivia in Met Ops", I.OUTSTANDING, {"groups": (MO,), "risk": "high", **OLIVIAS}),
    ("what is due before christmas for olivia", I.FORTHCOMING, {"due_from": TODAY, "due_to": XMAS_EVE, **OLIVIAS}),
    ("Colin's missed deadlines", I.OVERDUE, {"owner": "Colin Chambers"}),
    ("delivered by Olivia Owen this quarter", I.DELIVERED, {"owner": "Olivia Owen", **Q3}),
    ("stale actions for smith", I.STALE, {"owner": "Olivia Smith"}),
    ("overdue for Patel", I.OVERDUE, {"owner": "Priya Patel"}),
    ("summary for olivia", I.SUMMARY, OLIVIAS),
    ("chambers", I.OUTSTANDING, CHAMBERS),
    ("owen's actions", I.OUTSTANDING, {"owner": "Olivia Owen"}),
    ("why is Olivia delayed", I.DELAY_REASONS, OLIVIAS),
    ("OLIVIA overdue", I.OVERDUE, OLIVIAS),
    ("what has ben delivered", I.DELIVERED, {"owner": "Ben Chambers"}),
    ("open actions owned by Chambers in Met Ops", I.OUTSTANDING, {"groups": (MO,), **CHAMBERS}),
    (
        "Ben Chambers actions due by Christmas",
        I.FORTHCOMING,
        {"owner": "Ben Chambers", "due_from": TODAY, "due_to": XMAS},
    ),
    # filters on HMICFRS items: the theme applies; risk, audit, revised date are parsed (the card says so)
    ("HMICFRS recommendations on vulnerability", I.INSPECTIONS, {**H, "key_theme": "Vulnerability"}),
    ("open AFIs about PEEL", I.INSPECTIONS, {**H, "item_kind": "afi", "key_theme": "PEEL"}),
    ("overdue HMICFRS recommendations on roads policing", I.OVERDUE, {**H, "key_theme": "Roads Policing"}),
    ("high risk HMICFRS recommendations", I.INSPECTIONS, {**H, "risk": "high"}),
    ("inspection recommendations for Olivia Owen", I.INSPECTIONS, {**H, "owner": "Olivia Owen"}),
    ("HMICFRS items due before Christmas", I.INSPECTIONS, {**H, "due_from": TODAY, "due_to": XMAS_EVE}),
    ("vulnerability inspections in Met Ops", I.INSPECTIONS, {**H, "groups": (MO,), "key_theme": "Vulnerability"}),
    ("policy and process inspection items", I.INSPECTIONS, {**H, "key_theme": "Policy and process"}),
    ("past due AFIs on vulnerability", I.OVERDUE, {**H, "item_kind": "afi", "key_theme": "Vulnerability"}),
    ("HMICFRS recommendations from the Smarter Working Asset Management audit", I.INSPECTIONS, {**H, "audit": SWAM}),
    ("inspectorate recommendations with no revised date", I.INSPECTIONS, {**H, "revised": False}),
    ("HMICFRS AFIs for olivia", I.INSPECTIONS, {**H, "item_kind": "afi", **OLIVIAS}),
    (
        "open HMICFRS recommendations on Roads Policing in Frontline",
        I.INSPECTIONS,
        {**H, "groups": (FP,), "key_theme": "Roads Policing"},
    ),
    (
        "areas for improvement on PEEL due by year end",
        I.INSPECTIONS,
        {**H, "item_kind": "afi", "key_theme": "PEEL", "due_from": TODAY, "due_to": FY_END},
    ),
    # more ways of asking
    ("which actions are still open in digital", I.OUTSTANDING, {"groups": (DP,)}),
    ("remaining actions for Met Ops", I.OUTSTANDING, {"groups": (MO,)}),
    ("live actions", I.OUTSTANDING, {}),
    ("what's still in progress in corporate services", I.OUTSTANDING, {"groups": (CS,), "status": "in progress"}),
    ("unresolved high risk actions", I.OUTSTANDING, {"risk": "high"}),
    ("incomplete actions on policy and process", I.OUTSTANDING, {"key_theme": "Policy and process"}),
    ("upcoming deadlines", I.FORTHCOMING, {}),
    ("what's due soon", I.FORTHCOMING, {}),
    ("due shortly in frontline", I.FORTHCOMING, {"groups": (FP,)}),
    ("what falls due next month", I.FORTHCOMING, {"due_from": d(2026, 12, 1), "due_to": d(2026, 12, 31)}),
    ("due within 2 weeks", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2026, 12, 10)}),
    ("what did we deliver in January", I.DELIVERED, {"due_from": d(2026, 1, 1), "due_to": d(2026, 1, 31)}),
    ("signed off this quarter", I.DELIVERED, Q3),
    ("why is Met Ops late", I.DELAY_REASONS, {"groups": (MO,)}),
    ("what's blocking progress", I.DELAY_REASONS, {}),
    ("causes of delay in Digital Policing", I.DELAY_REASONS, {"groups": (DP,)}),
    ("ancient actions", I.STALE, {}),
    ("actions more than 5 years old", I.STALE, {"limit_stale_before": d(2021, 11, 26)}),
    ("legacy actions in Met Ops", I.STALE, {"groups": (MO,)}),
    ("dashboard", I.SUMMARY, {}),
    ("snapshot for frontline", I.SUMMARY, {"groups": (FP,)}),
    ("how is digital policing doing", I.SUMMARY, {"groups": (DP,)}),
    ("what have I got", I.MY_ACTIONS, {}),
    ("assigned to me", I.MY_ACTIONS, {}),
    ("my jobs", I.MY_ACTIONS, {}),
    ("non responders", I.CYCLE_STATUS, {"non_responders": True}),
    ("who has not replied", I.CYCLE_STATUS, {"non_responders": True}),
    ("proposals awaiting approval", I.DECISIONS, {}),
    ("committee pack", I.PANEL_REPORT, {}),
    ("hello", I.HELP, {}),
    ("what can you do", I.HELP, {}),
    ("how do I use this", I.HELP, {}),
    # still not understood: the bot offers the closest questions instead
    ("who won the football", I.UNKNOWN, {}),
    ("risks", I.UNKNOWN, {}),
    ("is it raining", I.UNKNOWN, {}),
]
