"""The owner-update journey's plain data: views, pages, and outcomes that survive a JSON round trip
(a saved outcome is stored and replayed when the same submission arrives again)."""

from __future__ import annotations

import json
from datetime import date, datetime

from domain.update_views import ACTION, INSPECTION, SAVED, STALE, ActionView, InspectionView, ItemPage, UpdateOutcome

TODAY = date(2026, 11, 26)


def action(**changes: object) -> ActionView:
    fields: dict = dict(
        ref="DARA-2011-001",
        description="Document the end-to-end disclosure process",
        audit_title="Case File Management",
        risk="high",
        business_group="Met Operations",
        owner_name="Olivia Owen",
        owner_email="olivia.owen@met.police.example",
        due_date=date(2026, 10, 12),
        revised_due_date=None,
        status="in progress",
        version=3,
        days_overdue=45,
    )
    fields.update(changes)
    return ActionView(**fields)


def inspection(**changes: object) -> InspectionView:
    fields: dict = dict(
        ref="HMI-2018-001",
        inspection="Police custody suites",
        inspection_year="2018/19",
        scope="force",
        kind="afi",
        theme="Vulnerability",
        business_group="Met Operations",
        owner_name="Olivia Owen",
        due_date=None,
        status="open",
        version=1,
    )
    fields.update(changes)
    return InspectionView(**fields)


def test_outcomes_round_trip_through_json_unchanged() -> None:
    outcome = UpdateOutcome(
        SAVED, ACTION, "DARA-2011-001", action=action(pending_date=TODAY), proposed_date=TODAY, changed=("status",)
    )
    again = UpdateOutcome.from_json(json.loads(json.dumps(outcome.to_json())))
    assert again == outcome


def test_a_stale_inspection_outcome_keeps_its_dates_and_who_changed_it() -> None:
    outcome = UpdateOutcome(
        STALE,
        INSPECTION,
        "HMI-2018-001",
        inspection=inspection(due_date=date(2027, 1, 31), last_update_on=TODAY),
        changed_by="Sam Spencer",
        changed_at=datetime(2026, 11, 26, 9, 30),
        inputs={"progress_note": "typed"},
        closed_on=date(2026, 3, 31),
        cycle_deadline=date(2026, 12, 10),
    )
    again = UpdateOutcome.from_json(json.loads(json.dumps(outcome.to_json())))
    assert again == outcome and again.item == outcome.inspection
    assert again.inspection is not None and again.inspection.due_date == date(2027, 1, 31)


def test_the_effective_due_date_is_the_accepted_revised_date_else_the_original() -> None:
    assert action().effective_due_date == date(2026, 10, 12) and action().overdue
    revised = action(revised_due_date=date(2027, 1, 31), days_overdue=0)
    assert revised.effective_due_date == date(2027, 1, 31) and not revised.overdue
    assert inspection().kind_label == "Area for improvement"
    assert inspection(kind="rec").kind_label == "Recommendation"


def test_item_pages_count_pages_and_say_where_they_are() -> None:
    first = ItemPage(kind=ACTION, items=(), page=0, page_size=8, total=17)
    assert (first.pages, first.has_previous, first.has_next) == (3, False, True)
    last = ItemPage(kind=ACTION, items=(), page=2, page_size=8, total=17)
    assert (last.has_previous, last.has_next) == (True, False)
    assert ItemPage(kind=ACTION, items=(), page=0, page_size=8, total=0).pages == 1
