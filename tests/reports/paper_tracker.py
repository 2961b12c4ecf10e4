"""A compact tracker that reproduces the January 2021 Audit Panel paper (the shared seed), in two
workbooks: the position imported on 31 July 2020 and the one imported on 30 November 2020.

What the pack must say as at 30 November 2020 (2020/21 Q3), and where each figure comes from:
- outstanding 145 (172 at 30 September: 145 - 4 new + 31 delivered), in 27 audits; 54 from limited
  audits, 91 other high risk;
- groups: Corporate Services 44 (34 overdue: 77%), Frontline Policing 8 (7: 88%), Met Operations 49
  (16: 33%, where the paper prints 32, which no whole number of 49 gives), Professionalism 42 (40:
  95%), and 2 in Met Detention, which the paper's table leaves out (its four rows sum to 143);
- overdue 99, 81 of them with an accepted revised date (the paper's 111 contradicts its own table);
- stale 25 (originally due before 1 April 2018, all with a revised date); forthcoming 46, 28 by the
  end of December (16 Met Operations, 10 Corporate Services, 2 Professionalism);
- delivered 31: 21 original, 10 follow-up, per audit as the paper's table; Digital Policing 12 and
  none left; Corporate Services 10, 9 from limited follow-ups; 28 of the 31 due March-September 2020;
- delay reasons: the paper's 15 themes, 73 in all; 4 new actions (the Forensic Services follow-up);
- new audits in Q3: two adequate follow-ups with no high-risk actions, the Forensic Services follow-up,
  and two restricted follow-ups (not yet shared);
- HMICFRS: 1 recommendation closed (PEEL), 7 AFIs and 6 recommendations submitted for closure this
  quarter; the portal's 111 open recommendations in 11 themes;
- the Key Financial Systems follow-up takes its original's actions on in November (carried over).
Response rates are the cycles' (tests/cli/test_rebuild_quarter.py): 172 asked, 45%, down from 80%.
"""

from __future__ import annotations

from datetime import date
from typing import Any

__all__ = ["july_sheets", "november_sheets", "GROUPS", "DELAY_REASONS", "DELIVERED_BY_AUDIT", "OWNER", "PORTAL"]

CS, FP, MO, PR, DP, MD = (
    "Corporate Services",
    "Frontline Policing",
    "Met Operations",
    "Professionalism",
    "Digital Policing",
    "Met Detention",
)
GROUPS = (CS, FP, MO, PR, DP, MD)
OWNER = {g: g.lower().replace(" ", ".") + "@force.example" for g in GROUPS}
DELAY_REASONS = {
    "COVID-19 related delay": 16,
    "Dependent on another review (internal/external)": 14,
    "Updating policy and guidance": 9,
    "Awaiting Chief Officer decision/sign off": 5,
    "Included as part of a wider transformation programme": 5,
    "Embedding new process, policy or governance": 4,
    "Partnership/multi-agency challenges": 4,
    "Resource challenges": 4,
    "Recruitment": 3,
    "Requires a new IT solution": 3,
    "Dependent on Connect": 2,
    "Ambitious completion date": 1,
    "Effectiveness of solution under review": 1,
    "Included in and superseded by a different project": 1,
    "Project delay": 1,
}
# audit_id: title, received, kind, assurance, restricted, follows
AUDITS: dict[str, tuple[str, str, str, str, bool, str | None]] = {
    "CS1": ("Fleet Management", "2018/19 Q2", "original", "limited", False, None),
    "CS2": ("Procurement and Contract Management", "2019/20 Q1", "original", "limited", False, None),
    "CS4": ("Payroll", "2018/19 Q3", "original", "adequate", False, None),
    "CS5": ("Health and Safety Arrangements", "2019/20 Q2", "original", "adequate", False, None),
    "CS6": ("Estates Strategy", "2017/18", "original", "substantial", False, None),
    "CS7": ("Accounts Payable", "2019/20 Q4", "original", "adequate", False, None),
    "KFS-O": ("Key Financial Systems – Expenses", "2018/19 Q4", "original", "limited", False, None),
    "KFS-F": ("Key Financial Systems – Expenses", "2019/20 Q4", "follow-up", "limited", False, "KFS-O"),
    "CF-F": ("MPS Counter Fraud Arrangements", "2019/20 Q4", "follow-up", "limited", False, None),
    "WB": ("Wellbeing Strategy Development and Implementation", "2019/20 Q3", "original", "adequate", False, None),
    "FP1": ("Response Policing Deployment", "2018/19 Q1", "original", "limited", False, None),
    "FP2": ("Custody Management", "2019/20 Q1", "original", "adequate", False, None),
    "BC": ("Business Continuity and Return to Normality Arrangements", "2018/19", "original", "adequate", False, None),
    "MO1": ("Firearms Licensing", "2019/20 Q2", "original", "limited", False, None),
    "MO2": ("Case File Management – Disclosure", "2020/21 Q1", "original", "adequate", False, None),
    "MO3": ("TSG Use and Deployment of Resources", "2020/21 Q2", "original", "adequate", False, None),
    "MO4": ("Intelligence Management", "2019/20 Q3", "original", "adequate", False, None),
    "MO5": ("Public Order – Deployment and Cost Recovery", "2020/21 Q2", "follow-up", "adequate", False, None),
    "MO6": ("Property Management", "2018/19 Q4", "original", "adequate", False, None),
    "MO7": ("Covert Human Intelligence Sources", "2017/18", "original", "substantial", False, None),
    "ICT": ("ICT Access Control Framework", "2019/20 Q3", "original", "adequate", False, None),
    "RUI": ("Review of Framework Supporting released Under Investigation", "2019/20 Q4", "original", "adequate")
    + (False, None),
    "FOR-O": ("Review of Forensic Services Delivery Framework", "2019/20 Q4", "original", "adequate", False, None),
    "PR1": ("Framework Supporting Inclusion & Diversity Strategy", "2019/20 Q4", "original", "limited", False, None),
    "PR2": ("Vetting", "2018/19 Q3", "original", "limited", False, None),
    "PR3": ("Misconduct Hearings", "2017/18", "original", "adequate", False, None),
    "PR4": ("Professional Standards Case Management", "2018/19 Q2", "original", "adequate", False, None),
    "PR5": ("Learning and Development", "2019/20 Q1", "original", "adequate", False, None),
    "PR6": ("Recruitment Process", "2019/20 Q2", "original", "adequate", False, None),
    "PR7": ("Performance Management", "2019/20 Q3", "original", "adequate", False, None),
    "ID": ("Inclusion and Diversity Strategy", "2017/18", "follow-up", "adequate", False, None),
    "MD1": ("Detention Healthcare", "2018/19 Q1", "original", "limited", False, None),
    "MD2": ("Detainee Property", "2019/20 Q1", "original", "adequate", False, None),
    "SWAM": ("Smarter Working Asset Management", "2019/20 Q4", "original", "limited", False, None),
}
NEW_AUDITS: dict[str, tuple[str, str, str, str, bool, str | None]] = {
    "CCRM-F": ("Contract/Client Relationship Management", "2020/21 Q3", "follow-up", "adequate", False, None),
    "SSCL-F": ("Shared Services Connected Limited (SSCL) Contract", "2020/21 Q3", "follow-up", "adequate")
    + (False, None),
    "FOR-F": ("Review of Forensic Services Delivery Framework", "2020/21 Q3", "follow-up", "adequate", False, "FOR-O"),
    "BCA-F": ("Business Continuity Arrangements", "2020/21 Q3", "follow-up", "not graded", True, None),
    "DPF-F": ("Framework Supporting Implementation of Data Protection", "2020/21 Q3", "follow-up", "not graded")
    + (True, None),
}
LIMITED = {a for a, spec in AUDITS.items() if spec[3] == "limited"}
# Outstanding at 30 November, per group in this order: overdue first, then due by 31 December, then later.
OUTSTANDING = {
    CS: ([("CS1", 10), ("CS2", 8), ("CS4", 6), ("CS5", 6), ("CS6", 4), ("KFS-F", 4), ("CF-F", 2), ("CS7", 4)], 34, 10),
    FP: ([("FP1", 6), ("FP2", 2)], 7, 0),
    MO: ([("MO1", 8), ("MO2", 10), ("MO3", 8), ("MO4", 13), ("MO5", 3), ("MO6", 2), ("MO7", 1), ("FOR-F", 4)], 16, 16),
    PR: ([("PR1", 12), ("PR2", 3), ("PR3", 8), ("PR4", 7), ("PR5", 6), ("PR6", 4), ("PR7", 2)], 40, 2),
    MD: ([("MD1", 1), ("MD2", 1)], 2, 0),
}
# Delivered in Q3 (implemented in October or November): audit, group, original due dates.
_DELIVERED: list[tuple[str, str, list[str]]] = [
    ("SWAM", DP, ["2020-03-31"] * 5 + ["2020-04-30"] * 3 + ["2020-05-31"] * 4),
    ("KFS-F", CS, ["2020-06-30"] * 4 + ["2020-07-31"] * 2),
    ("CF-F", CS, ["2020-07-31"] + ["2020-08-31"] * 2),
    ("ICT", MO, ["2020-08-31"] * 2 + ["2020-09-30"] * 2),
    ("WB", CS, ["2020-09-15"]),
    ("RUI", MO, ["2020-07-15"]),
    ("FOR-O", MO, ["2020-06-15"]),
    ("BC", FP, ["2019-11-30"] * 2),
    ("ID", PR, ["2018-06-30"]),
]
DELIVERED_BY_AUDIT = [  # as the paper's table: title, received, count (in received then title order)
    ("Inclusion and Diversity Strategy", "2017/18", 1),
    ("Business Continuity and Return to Normality Arrangements", "2018/19", 2),
    ("ICT Access Control Framework", "2019/20 Q3", 4),
    ("Wellbeing Strategy Development and Implementation", "2019/20 Q3", 1),
    ("Key Financial Systems – Expenses", "2019/20 Q4", 6),
    ("MPS Counter Fraud Arrangements", "2019/20 Q4", 3),
    ("Review of Forensic Services Delivery Framework", "2019/20 Q4", 1),
    ("Review of Framework Supporting released Under Investigation", "2019/20 Q4", 1),
    ("Smarter Working Asset Management", "2019/20 Q4", 12),
]
PORTAL = {
    "Vulnerability (including 13 specifically related to the NCPI programme)": 51,
    "Undercover Policing": 17,
    "Review of investigations into allegations of non-recent sexual abuse by prominent people (Op Larimar)": 12,
    "PEEL": 10,
    "Roads Policing": 6,
    "CPS": 4,
    "Integrated Offender Management": 4,
    "Police Integrity & Corruption": 3,
    "Fraud": 2,
    "Information management": 1,
    "Stop & Search": 1,
}
_OVERDUE_DUES = ("2018-09-30", "2019-03-31", "2019-12-31", "2020-06-30", "2020-09-30")
_LATER_DUES = ("2021-02-28", "2021-03-31", "2021-06-30", "2021-09-30")
_ACTION_COLUMNS = [
    "ref",
    "audit_id",
    "description",
    "risk",
    "business_group",
    "owner_email",
    "due_date",
    "revised_due_date",
    "status",
    "delay_reason",
    "key_theme",
    "implemented_on",
]


def _outstanding() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    reasons = [r for r, n in DELAY_REASONS.items() for _ in range(n)]
    stale = revised = 0
    for group, (audits, overdue, by_december) in OUTSTANDING.items():
        n = 0
        for audit, count in audits:
            for _ in range(count):
                row = {"audit_id": audit, "business_group": group, "revised_due_date": None, "delay_reason": None}
                row["risk"] = "medium" if audit in LIMITED and n % 3 == 1 else "high"
                if n < overdue:
                    if audit == "PR1":  # the 12 due in November (1.16), no revised date yet
                        row["due_date"] = "2020-11-16"
                    elif stale < 25:
                        row["due_date"], row["revised_due_date"] = ("2017-09-30", "2022-03-31")
                        stale += 1
                    else:
                        row["due_date"] = _OVERDUE_DUES[n % len(_OVERDUE_DUES)]
                        if revised < 56:  # 25 stale + 56 = 81 of the overdue with a revised date
                            row["revised_due_date"] = "2020-10-31" if revised % 2 else "2022-06-30"
                            revised += 1
                elif n < overdue + by_december:
                    row["due_date"] = "2020-12-18"
                else:
                    row["due_date"] = "2021-06-30" if audit == "FOR-F" else _LATER_DUES[n % len(_LATER_DUES)]
                n += 1
                rows.append(row)
    for row, reason in zip(rows, reasons):
        row["delay_reason"] = reason
    return rows


def _action_rows(november: bool) -> list[list[Any]]:
    rows: list[list[Any]] = [_ACTION_COLUMNS]
    for i, r in enumerate(_outstanding(), start=1):
        if r["audit_id"] == "FOR-F" and not november:
            continue  # the 4 new actions arrive with the follow-up in November
        audit = "KFS-O" if r["audit_id"] == "KFS-F" and not november else r["audit_id"]
        status = "in progress" if r["revised_due_date"] else "open"
        theme = "Policy and process" if i % 2 else "Management oversight and reporting"
        rows.append(
            [f"R-{i:03d}", audit, f"Action {i}", r["risk"], r["business_group"], OWNER[r["business_group"]]]
            + [r["due_date"], r["revised_due_date"], status, r["delay_reason"], theme, None]
        )
    n = 0
    for audit, group, dues in _DELIVERED:
        for due in dues:
            n += 1
            moved = "KFS-O" if audit == "KFS-F" and not november else audit
            done = ("implemented", "2020-10-14" if n % 2 else "2020-11-12") if november else ("in progress", None)
            rows.append(
                [f"D-{n:03d}", moved, f"Delivered {n}", "high", group, OWNER[group], due, None, done[0], None]
                + ["Policy and process", done[1]]
            )
    # Not monitored, so never counted: a medium action of an adequate audit and a low one.
    rows.append(
        ["X-001", "CS4", "Medium, adequate", "medium", CS, OWNER[CS], "2019-01-31", None, "open", None, None, None]
    )
    rows.append(["X-002", "MO2", "Low risk", "low", MO, OWNER[MO], "2019-01-31", None, "open", None, None, None])
    if november:
        rows.append(
            ["X-003", "SSCL-F", "SSCL contract", "medium", CS, OWNER[CS], "2021-03-31", None, "open", None, None, None]
        )
    return rows


def _inspections(november: bool) -> list[list[Any]]:
    header = ["ref", "inspection", "inspection_year", "scope", "kind", "theme", "business_group", "owner_email"]
    header += ["due_date", "status", "submitted_on", "closed_on"]
    rows: list[list[Any]] = [header]
    rows.append(
        ["H-001", "PEEL 2018/19", "2018/19", "force", "rec", "PEEL", MO, None, None]
        + (["closed", None, "2020-10-20"] if november else ["open", None, None])
    )
    for i in range(13):  # 7 AFIs and 6 recommendations submitted for closure in Q3
        kind = "afi" if i < 7 else "rec"
        rows.append(
            [f"H-{i + 2:03d}", "Child Protection", "2019/20", "force", kind, "Vulnerability", FP, None, None]
            + (["submitted for closure", "2020-11-05", None] if november else ["open", None, None])
        )
    rows.append(
        [
            "H-020",
            "Undercover Policing",
            "2013/14",
            "nationwide",
            "rec",
            "Undercover Policing",
            MO,
            None,
            None,
            "holding",
            None,
            None,
        ]
    )
    rows.append(
        [
            "H-021",
            "Custody Suites",
            "2018/19",
            "force",
            "afi & rec",
            "Vulnerability",
            MD,
            None,
            None,
            "open",
            None,
            None,
        ]
    )
    return rows


def _sheets(november: bool) -> dict[str, list[list[Any]]]:
    people = [["email", "name", "business_group", "roles"]]
    people += [[OWNER[g], f"{g} Owner", g, "owner"] for g in GROUPS]
    people.append(["grace.governance@force.example", "Grace Governance", CS, "governance"])
    audits = [["audit_id", "title", "received", "kind", "assurance", "restricted", "follows"]]
    chosen = AUDITS | (NEW_AUDITS if november else {})
    audits += [[a, *spec] for a, spec in chosen.items()]
    sheets = {
        "Lists": [["list", "value"], ["business_group", MD]],
        "People": people,
        "Audits": audits,
        "Actions": _action_rows(november),
        "Inspections": _inspections(november),
    }
    if november:
        sheets["Portal"] = [["as_of", "theme", "recommendations", "afis"]] + [
            [date(2020, 11, 30), theme, count, None] for theme, count in PORTAL.items()
        ]
    return sheets


def july_sheets() -> dict[str, list[list[Any]]]:
    """The tracker as at 31 July 2020 (what stood at the end of Q2 too)."""
    return _sheets(november=False)


def november_sheets() -> dict[str, list[list[Any]]]:
    """The tracker as at 30 November 2020."""
    return _sheets(november=True)
