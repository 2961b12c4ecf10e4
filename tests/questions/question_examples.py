"""The table of phrasings the parser must understand, with their full expected parse.

Each row: (text, intent, filters).  Every Question field not named in ``filters``
must keep its default, so a row fails on any unexpected filter too.  Dates are
worked out by hand for TODAY (Thursday 26 November 2026: financial year 2026/27,
Q3 October to December).
"""

from __future__ import annotations

from datetime import date as d
from typing import Any

from questions import Intent, Vocabulary

I = Intent
TODAY = d(2026, 11, 26)

VOCABULARY = Vocabulary(
    groups=("Corporate Services", "Frontline Policing", "Met Operations", "Professionalism", "Digital Policing"),
    audits=(
        "Smarter Working Asset Management",
        "Key Financial Systems – Expenses",
        "Key Financial Systems – Payroll",
        "Framework Supporting Inclusion & Diversity Strategy",
    ),
    people=("Olivia Owen", "Colin Chambers", "Priya Patel"),
    key_themes=("Policy and process", "Management oversight and reporting"),
)

CS, FP, MO, PR, DP = VOCABULARY.groups
SWAM, KFS_EXPENSES, _, FSIDS = VOCABULARY.audits
MOR = "Management oversight and reporting"

# The example sentences of issue 4, each of which must be in EXAMPLES below.
ISSUE_4 = (
    "what's overdue in my group",
    "anything late for Met Ops?",
    "outstanding high risk actions",
    "what is due before the end of March",
    "due in the next 3 months",
    "why are we delayed",
    "overdue in Professionalism with no revised date",
    "show stale actions",
    "summary",
    "open HMICFRS recommendations",
    "help",
)

EXAMPLES: list[tuple[str, Intent, dict[str, Any]]] = [
    # issue 4
    ("what's overdue in my group", I.OVERDUE, {"my_group": True}),
    ("anything late for Met Ops?", I.OVERDUE, {"groups": (MO,)}),
    ("outstanding high risk actions", I.OUTSTANDING, {"risk": "high"}),
    ("what is due before the end of March", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 3, 31)}),
    ("due in the next 3 months", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 2, 26)}),
    ("why are we delayed", I.DELAY_REASONS, {}),
    ("overdue in Professionalism with no revised date", I.OVERDUE, {"groups": (PR,), "revised": False}),
    ("show stale actions", I.STALE, {}),
    ("summary", I.SUMMARY, {}),
    ("open HMICFRS recommendations", I.INSPECTIONS, {"source": "hmicfrs"}),
    ("help", I.HELP, {}),
    # outstanding
    ("open actions", I.OUTSTANDING, {}),
    ("what's open in Professionalism", I.OUTSTANDING, {"groups": (PR,)}),
    ("Outstanding actions for Frontline Policing", I.OUTSTANDING, {"groups": (FP,)}),
    ("OUTSTANDING MEDIUM RISK ACTIONS IN CORPORATE SERVICES", I.OUTSTANDING, {"groups": (CS,), "risk": "medium"}),
    ("Met Ops?", I.OUTSTANDING, {"groups": (MO,)}),
    ("open low-risk actions in digital", I.OUTSTANDING, {"groups": (DP,), "risk": "low"}),
    ("outstanding DARA actions", I.OUTSTANDING, {"source": "dara"}),
    ("Olivia Owen's actions", I.OUTSTANDING, {"owner": "Olivia Owen"}),
    ("actions owned by colin chambers", I.OUTSTANDING, {"owner": "Colin Chambers"}),
    ("open actions from the Smarter Working Asset Management audit", I.OUTSTANDING, {"audit": SWAM}),
    ("outstanding actions on policy and process", I.OUTSTANDING, {"key_theme": "Policy and process"}),
    ("which actions are still not implemented in met ops", I.OUTSTANDING, {"groups": (MO,)}),
    ("open actions in my area with a revised date", I.OUTSTANDING, {"my_group": True, "revised": True}),
    ("open actions for the inclusion and diversity strategy", I.OUTSTANDING, {"audit": FSIDS}),
    # overdue
    ("What's overdue?", I.OVERDUE, {}),
    ("past due actions in frontline", I.OVERDUE, {"groups": (FP,)}),
    ("which actions are behind schedule in Digital Policing", I.OVERDUE, {"groups": (DP,)}),
    ("overdue high risk actions in Met Operatons", I.OVERDUE, {"groups": (MO,), "risk": "high"}),
    ("overdue in frontline polcing", I.OVERDUE, {"groups": (FP,)}),
    ("overdue in Narnia", I.OVERDUE, {"unknown_group": "narnia"}),
    ("Overdue actions with a revised date", I.OVERDUE, {"revised": True}),
    ("overdue actions without revised dates", I.OVERDUE, {"revised": False}),
    ("Overdue for Colin Chambers", I.OVERDUE, {"owner": "Colin Chambers"}),
    ("overdue HMICFRS recommendations", I.OVERDUE, {"source": "hmicfrs"}),
    ("what is late in our command?", I.OVERDUE, {"my_group": True}),
    ("overdue actions in Met Ops and Frontline", I.OVERDUE, {"groups": (MO, FP)}),
    ("overdue actions due last quarter", I.OVERDUE, {"due_from": d(2026, 7, 1), "due_to": d(2026, 9, 30)}),
    ("what's overdue in MO?", I.OVERDUE, {"groups": (MO,)}),
    ("overdue dps", I.OVERDUE, {"groups": (PR,)}),
    ("Key Financial Systems – Expenses overdue", I.OVERDUE, {"audit": KFS_EXPENSES}),
    ("overdue actions about management oversight", I.OVERDUE, {"key_theme": MOR}),
    ("actions for Colin Chambres that are late", I.OVERDUE, {"owner": "Colin Chambers"}),
    # forthcoming
    ("what's coming up", I.FORTHCOMING, {}),
    ("due by the end of the quarter", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2026, 12, 31)}),
    (
        "what is due this quarter in Met Ops",
        I.FORTHCOMING,
        {"groups": (MO,), "due_from": TODAY, "due_to": d(2026, 12, 31)},
    ),
    ("due next quarter", I.FORTHCOMING, {"due_from": d(2027, 1, 1), "due_to": d(2027, 3, 31)}),
    ("due in the next 30 days", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2026, 12, 26)}),
    ("actions due in the next two weeks", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2026, 12, 10)}),
    ("due within 6 months", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 5, 26)}),
    ("What's due this month?", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2026, 11, 30)}),
    (
        "due next month for corporate services",
        I.FORTHCOMING,
        {"groups": (CS,), "due_from": d(2026, 12, 1), "due_to": d(2026, 12, 31)},
    ),
    ("due this financial year", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 3, 31)}),
    ("due by 2027-03-31", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 3, 31)}),
    ("due before 31/03/2027", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 3, 30)}),
    ("due in Q4", I.FORTHCOMING, {"due_from": d(2027, 1, 1), "due_to": d(2027, 3, 31)}),
    ("due in 2026/27 Q4", I.FORTHCOMING, {"due_from": d(2027, 1, 1), "due_to": d(2027, 3, 31)}),
    ("forthcoming actions in the next 12 months", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 11, 26)}),
    ("what is due next year", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 11, 26)}),
    ("upcoming deadlines for Professionalism", I.FORTHCOMING, {"groups": (PR,)}),
    ("before the end of March?", I.FORTHCOMING, {"due_from": TODAY, "due_to": d(2027, 3, 31)}),
    (
        "high risk actions due in Q1 2027/28",
        I.FORTHCOMING,
        {"risk": "high", "due_from": d(2027, 4, 1), "due_to": d(2027, 6, 30)},
    ),
    (
        "due between 1 January 2027 and 31 March 2027",
        I.FORTHCOMING,
        {"due_from": d(2027, 1, 1), "due_to": d(2027, 3, 31)},
    ),
    ("due on 15th December", I.FORTHCOMING, {"due_from": d(2026, 12, 15), "due_to": d(2026, 12, 15)}),
    # delivered (the window bounds the implemented date)
    ("what was delivered this quarter", I.DELIVERED, {"due_from": d(2026, 10, 1), "due_to": d(2026, 12, 31)}),
    ("implemented", I.DELIVERED, {}),
    ("closed this quarter", I.DELIVERED, {"status": "closed", "due_from": d(2026, 10, 1), "due_to": d(2026, 12, 31)}),
    (
        "actions delivered last quarter in Met Ops",
        I.DELIVERED,
        {"groups": (MO,), "due_from": d(2026, 7, 1), "due_to": d(2026, 9, 30)},
    ),
    (
        "what did Digital Policing complete in the last 3 months",
        I.DELIVERED,
        {"groups": (DP,), "due_from": d(2026, 8, 26), "due_to": TODAY},
    ),
    ("delivered in March", I.DELIVERED, {"due_from": d(2026, 3, 1), "due_to": d(2026, 3, 31)}),
    # delay reasons
    ("delay reasons", I.DELAY_REASONS, {}),
    ("what's holding things up in Met Ops?", I.DELAY_REASONS, {"groups": (MO,)}),
    ("why is frontline behind schedule", I.DELAY_REASONS, {"groups": (FP,)}),
    ("reasons for delays in my group", I.DELAY_REASONS, {"my_group": True}),
    # stale
    ("old actions", I.STALE, {}),
    ("actions older than 2018", I.STALE, {"limit_stale_before": d(2018, 1, 1)}),
    (
        "stale actions in Corporate Services older than 2019/20",
        I.STALE,
        {"groups": (CS,), "limit_stale_before": d(2019, 4, 1)},
    ),
    ("long-standing actions older than two years", I.STALE, {"limit_stale_before": d(2024, 11, 26)}),
    ("stale actions due before 2020", I.STALE, {"limit_stale_before": d(2020, 1, 1)}),
    # summary
    ("headline figures", I.SUMMARY, {}),
    ("How are we doing?", I.SUMMARY, {}),
    ("overview for met ops", I.SUMMARY, {"groups": (MO,)}),
    ("give me a summary of Professionalism", I.SUMMARY, {"groups": (PR,)}),
    # inspections
    ("AFIs", I.INSPECTIONS, {"source": "hmicfrs", "item_kind": "afi"}),
    ("inspection recommendations", I.INSPECTIONS, {"source": "hmicfrs"}),
    (
        "open areas for improvement in Frontline Policing",
        I.INSPECTIONS,
        {"groups": (FP,), "source": "hmicfrs", "item_kind": "afi"},
    ),
    ("HMICFRS", I.INSPECTIONS, {"source": "hmicfrs"}),
    # help
    ("?", I.HELP, {}),
    ("what can I ask?", I.HELP, {}),
    ("Help!!", I.HELP, {}),
    # my actions
    ("my actions", I.MY_ACTIONS, {}),
    # issue 22: the unit is audits; new actions; key themes
    ("how many audits have outstanding actions", I.AUDITS, {}),
    ("new actions this quarter", I.NEW_ACTIONS, {"due_from": d(2026, 10, 1), "due_to": d(2026, 12, 31)}),
    ("key themes", I.KEY_THEMES, {}),
    ("show my actions", I.MY_ACTIONS, {}),
    ("what do I own", I.MY_ACTIONS, {}),
    ("My Tasks?", I.MY_ACTIONS, {}),
    # request updates
    ("request updates", I.REQUEST_UPDATES, {}),
    ("start an update cycle", I.REQUEST_UPDATES, {}),
    ("send update requests to Met Ops", I.REQUEST_UPDATES, {"groups": (MO,)}),
    # cycle status
    ("cycle status", I.CYCLE_STATUS, {}),
    ("what is scheduled", I.SCHEDULE, {}),
    ("What's scheduled?", I.SCHEDULE, {}),
    ("next reminders", I.SCHEDULE, {}),
    ("when are the next reminders", I.SCHEDULE, {}),
    ("show me the schedule", I.SCHEDULE, {}),
    ("upcoming digests", I.SCHEDULE, {}),
    ("what's the response rate?", I.CYCLE_STATUS, {}),
    ("who hasn't responded in Digital Policing", I.CYCLE_STATUS, {"groups": (DP,), "non_responders": True}),
    ("Who hasnt responded", I.CYCLE_STATUS, {"non_responders": True}),
    # decisions
    ("pending decisions", I.DECISIONS, {}),
    ("revised dates to approve", I.DECISIONS, {}),
    ("closures to review", I.DECISIONS, {}),
    ("approvals", I.DECISIONS, {}),
    # panel report
    ("panel report", I.PANEL_REPORT, {}),
    ("audit panel pack", I.PANEL_REPORT, {}),
    ("quarterly report", I.PANEL_REPORT, {}),
    # misspellings, short names, more date forms
    ("overdeu actions", I.OVERDUE, {}),
    ("what's overdeu in proffesionalism", I.OVERDUE, {"groups": (PR,)}),
    ("sumary", I.SUMMARY, {}),
    ("HMICRFS recs", I.INSPECTIONS, {"source": "hmicfrs"}),
    ("due in the next quater", I.FORTHCOMING, {"due_from": d(2027, 1, 1), "due_to": d(2027, 3, 31)}),
    ("open actions for Priya", I.OUTSTANDING, {"owner": "Priya Patel"}),
    ("owned by chambers", I.OUTSTANDING, {"owner": "Colin Chambers"}),
    ("what's overdue in frontline policing and narnia", I.OVERDUE, {"groups": (FP,), "unknown_group": "narnia"}),
    ("what did we close in Q2", I.DELIVERED, {"due_from": d(2026, 7, 1), "due_to": d(2026, 9, 30)}),
    ("overdue actions which have had their dates revised", I.OVERDUE, {"revised": True}),
    ("overdue, no new date", I.OVERDUE, {"revised": False}),
    ("due 31/3/27", I.FORTHCOMING, {"due_from": d(2027, 3, 31), "due_to": d(2027, 3, 31)}),
    ("due after March", I.FORTHCOMING, {"due_from": d(2027, 4, 1)}),
    ("overdue actions older than 3 years", I.STALE, {"limit_stale_before": d(2023, 11, 26)}),
    (
        "what are the delay reasons for met ops this quarter",
        I.DELAY_REASONS,
        {"groups": (MO,), "due_from": TODAY, "due_to": d(2026, 12, 31)},
    ),
    ("overdue actions in Met Ops, Digital and DPS", I.OVERDUE, {"groups": (MO, DP, PR)}),
    # nothing understood
    ("are things stable", I.UNKNOWN, {}),
    ("tell me a joke", I.UNKNOWN, {}),
    ("what is the weather in London", I.UNKNOWN, {"unknown_group": "london"}),
    ("", I.UNKNOWN, {}),
    ("   ", I.UNKNOWN, {}),
    ("!!!", I.UNKNOWN, {}),
    # issue 13: reassignment, cover, people who have left
    ("reassign an action", I.REASSIGN, {}),
    ("reassign MET-104", I.REASSIGN, {}),
    ("change the owner of an action", I.REASSIGN, {}),
    ("hand over an action to someone else", I.REASSIGN, {}),
    ("cover", I.COVER, {}),
    ("name a cover", I.COVER, {}),
    ("I am on annual leave", I.COVER, {}),
    ("who is covering for me", I.COVER, {}),
    ("orphaned actions", I.ORPHANED, {}),
    ("actions whose owner has left", I.ORPHANED, {}),
    ("actions with no owner", I.ORPHANED, {}),
    ("orphaned actions in Met Operations", I.ORPHANED, {"groups": ("Met Operations",)}),
]
