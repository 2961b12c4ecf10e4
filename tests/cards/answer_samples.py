"""Sample answers, charts and details for the answer and detail card tests (no tests here)."""

from __future__ import annotations

from datetime import date

from questions import Intent
from store.queries import ActionDetail, Answer, AnswerScope, Chart, Figures, HistoryLine, InspectionDetail, Page, Row

TODAY = date(2026, 11, 26)
MO = AnswerScope("groups", ("Met Operations",))
ALL = AnswerScope("all")
OWN = AnswerScope("own", (), (7,))
LONG = "Implement a comprehensive, force-wide framework for " * 60
UNICODE = "Révision des procédures — ünïcødé ✓ 警察 👮‍♀️ Ŵelsh ŷ " * 20
PARAMS = {"intent": "overdue", "text": "what's overdue in my group", "my_group": True}


def row(i: int, title: str = "Update and publish the vetting policy", **extra) -> Row:
    due = date(2026, 1, 1 + i % 28)
    fields = dict(
        ref=f"DARA-{i:05d}",
        title=title,
        owner="Olivia Owen",
        group="Met Operations",
        due_date=due,
        effective_due=due,
        days_overdue=(TODAY - due).days,
        delay_reason="COVID-19 related delay",
        revised_date=None,
        status="open",
    )
    fields.update(extra)
    return Row(**fields)


def answer(intent: Intent, rows=(), total=None, scope=MO, figures=None, number=0, **extra) -> Answer:
    rows = tuple(rows)
    page = Page(rows=rows, number=number, size=max(len(rows), 10), total=len(rows) if total is None else total)
    figures = figures or Figures(outstanding=49, overdue=16, overdue_with_revised=13)
    return Answer(intent=intent, text="q", scope=scope, figures=figures, page=page, params=PARAMS, today=TODAY, **extra)


BAR = Chart("bar", "Overdue by quarter due", ("2025/26 Q4", "2026/27 Q1"), (("Actions", (2, 5)),), "Quarter due")
STACKED = Chart(
    "stacked",
    "Outstanding by business group",
    ("Corporate Services", "Met Operations"),
    (("Overdue", (34, 16)), ("Not yet due", (10, 33))),
    "Business group",
    "Actions",
)
DONUT = Chart("donut", "Delay reasons", ("COVID-19 related delay", "Recruitment"), (("Actions", (16, 3)),))
HBAR = Chart("hbar", "Open HMICFRS items by theme", ("Vulnerability", "PEEL"), (("Items", (51, 10)),), "Theme")


def history_lines(note: str) -> list[HistoryLine]:
    return [
        HistoryLine(TODAY, "olivia.owen@met.police.example", "delay_reason", None, note),
        HistoryLine(TODAY, "import", "_created", None, "DARA-1"),
    ]


def action_detail() -> ActionDetail:
    return ActionDetail(
        ref="DARA-2011-088",
        description="Confirm ownership and terms of reference",
        audit="Case File Management",
        audit_received="2026/27 Q1",
        audit_kind="original",
        assurance="limited",
        risk="medium",
        monitored=True,
        group="Met Operations",
        owner="Olivia Owen",
        owner_email="olivia.owen@met.police.example",
        status="open",
        due_date=date(2026, 6, 14),
        revised_due_date=date(2027, 1, 31),
        effective_due=date(2027, 1, 31),
        days_overdue=165,
        delay_reason="Recruitment",
        key_theme="Policy and process",
        implemented_on=None,
        closed_on=None,
        last_update_on=date(2026, 11, 1),
        last_update_note="Draft ready",
        evidence_note=None,
        evidence_link="https://example.org/evidence",
        pending_revised_date=date(2027, 3, 1),
        history=tuple(history_lines("x")),
    )


def inspection_detail() -> InspectionDetail:
    return InspectionDetail(
        ref="HMI-2019-001",
        inspection="Roads Policing: Not optional",
        inspection_year="2019/20",
        scope="nationwide",
        item_kind="rec",
        theme="Roads Policing",
        group="Met Operations",
        owner="Olivia Owen",
        due_date=None,
        status="open",
        progress_note=None,
        evidence_note=None,
        evidence_link=None,
        last_update_on=None,
    )
