"""Owner updates of HMICFRS items (issue 3 rule 6): statuses, evidence, permission, idempotency, staleness."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cards.update_wording import outcome_message
from domain import update_problems as P
from domain.update_problems import UpdateProblem
from domain.update_views import INSPECTION, INVALID, NOT_FOUND, REFUSED, SAVED, STALE, UpdateOutcome
from store.db.models import CycleItem, HistoryEntry, ProcessedSubmission, UpdateCycle
from store.updates.inspections import inspections_for
from store.updates.pipeline import load_for_update
from tests.store.owner_tracker import OwnerTracker, at
from tests.store.owner_tracker import save as tracker_save


def save(t: OwnerTracker, who: str, ref: str, *, version: int | None = 1, **inputs: object) -> UpdateOutcome:
    return tracker_save(t, who, ref, version=version, kind=INSPECTION, **inputs)


def test_list_is_not_closed_items_overdue_first(t: OwnerTracker) -> None:
    page = inspections_for(t.session, t.viewer("olivia"), today=t.today)
    assert [i.ref for i in page.items] == ["HMI-1", "HMI-2"]
    assert page.items[0].days_overdue == 5 and page.items[1].days_overdue == 0  # holding is not overdue
    assert page.other_total == 5 and page.overdue_total == 1


def test_submitted_for_closure_requires_evidence(t: OwnerTracker) -> None:
    outcome = save(t, "olivia", "HMI-1", status="submitted for closure", progress_note="All done")
    assert outcome.status == INVALID and outcome.errors["evidence_note"] == UpdateProblem(P.EVIDENCE_FOR_CLOSURE)
    assert t.inspection("HMI-1").status == "open"


def test_submitted_for_closure_with_evidence_is_saved_with_history(t: OwnerTracker) -> None:
    outcome = save(t, "olivia", "HMI-1", status="submitted for closure", evidence_note="Custody audit report")
    assert outcome.status == SAVED and "Submitted for closure" in outcome_message(outcome)
    item = t.inspection("HMI-1")
    assert (item.status, item.evidence_note, item.last_update_on, item.submitted_on, item.version) == (
        "submitted for closure",
        "Custody audit report",
        t.today,
        t.today,
        2,
    )
    rows = t.session.scalars(
        select(HistoryEntry).where(HistoryEntry.entity == "inspection", HistoryEntry.entity_ref == "HMI-1")
    ).all()
    assert {r.field for r in rows} == {"status", "evidence_note", "last_update_on", "submitted_on"}
    assert {(r.actor, r.channel) for r in rows} == {("olivia@example.test", "teams")}


@pytest.mark.parametrize("status", ["closed", "holding"])
def test_owner_cannot_close_or_hold(t: OwnerTracker, status: str) -> None:
    outcome = save(t, "olivia", "HMI-1", status=status, progress_note="x")
    assert outcome.status == INVALID and outcome.errors["status"] == UpdateProblem(P.INSPECTION_STATUS_NOT_OWNERS)


def test_an_item_in_a_holding_position_keeps_it_and_takes_a_note(t: OwnerTracker) -> None:
    outcome = save(t, "olivia", "HMI-2", progress_note="Still paused nationally")
    assert outcome.status == SAVED and t.inspection("HMI-2").status == "holding"
    assert t.inspection("HMI-2").progress_note == "Still paused nationally"


def test_progress_note_length_limit(t: OwnerTracker) -> None:
    outcome = save(t, "olivia", "HMI-1", progress_note="x" * 2001)
    assert outcome.status == INVALID and getattr(outcome.errors["progress_note"], "code", None) == P.TOO_LONG


@pytest.mark.parametrize(
    "who,allowed",
    [
        ("olivia", True),
        ("laura", True),
        ("sam", True),
        ("grace", True),
        ("colin", False),
        ("dev", False),
        ("amelia", False),
    ],
)
def test_who_may_update(t: OwnerTracker, who: str, allowed: bool) -> None:
    outcome = save(t, who, "HMI-1", progress_note="Note")
    assert (outcome.status == SAVED) is allowed, outcome_message(outcome)
    if not allowed:
        assert outcome.status == REFUSED and "can't update HMI-1" in outcome_message(outcome)
        owner = t.inspection("HMI-1").owner
        assert owner is None or owner.name not in outcome_message(outcome)
        assert t.inspection("HMI-1").progress_note is None


def test_unknown_and_closed_items(t: OwnerTracker) -> None:
    assert save(t, "olivia", "HMI-404", progress_note="x").status == NOT_FOUND
    closed = save(t, "olivia", "HMI-3", progress_note="x")
    assert closed.status == REFUSED and "closed" in outcome_message(closed)
    assert load_for_update(t.session, t.viewer("olivia"), kind=INSPECTION, ref="hmi-3", today=t.today).status == REFUSED
    assert load_for_update(t.session, t.viewer("olivia"), kind=INSPECTION, ref="hmi-1", today=t.today).status == "form"


def test_same_submission_twice_is_one_update_and_old_cards_are_stale(t: OwnerTracker) -> None:
    first = save(t, "olivia", "HMI-1", progress_note="Once")
    again = save(t, "olivia", "HMI-1", progress_note="Once")
    assert first.status == SAVED and again.replayed and t.inspection("HMI-1").version == 2
    assert t.session.scalar(select(func.count()).select_from(ProcessedSubmission)) == 1
    stale = save(t, "sam", "HMI-1", progress_note="From an old card")
    assert stale.status == STALE and stale.inspection is not None and stale.inspection.progress_note == "Once"
    stale_and_invalid = save(t, "sam", "HMI-1", status="closed")
    assert stale_and_invalid.status == STALE and not stale_and_invalid.errors
    assert t.inspection("HMI-1").progress_note == "Once"


def test_update_counts_as_the_cycle_response(t: OwnerTracker) -> None:
    cycle = UpdateCycle(
        opened_at=at(t.today, 8), opened_by="grace@example.test", deadline=t.today, scope={"kind": "all"}, status="open"
    )
    t.session.add(cycle)
    t.session.flush()
    row = CycleItem(cycle_id=cycle.id, owner_id=t.people["olivia"].id, inspection_id=t.inspection("HMI-1").id)
    t.session.add(row)
    t.session.flush()
    assert save(t, "olivia", "HMI-1", progress_note="Responding").status == SAVED
    t.session.refresh(row)
    assert row.responded_at is not None
