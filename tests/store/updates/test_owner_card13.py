"""Issue 13 point 5 in the store: "No delay" clears a reason (and the history keeps it), evidence is
one or more https links, and a saved outcome carries the open round's deadline for "what happens next"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from cards.update_wording import next_step
from domain import update_problems as P
from domain.update_problems import UpdateProblem
from domain.update_views import INSPECTION, INVALID, NO_DELAY, SAVED
from store.db.models import CycleItem, HistoryEntry, UpdateCycle
from store.history import ChangeContext
from store.updates.pipeline import apply_update
from tests.store.owner_tracker import REASON, OwnerTracker, at, history, save


def _round(t: OwnerTracker, deadline: date, *refs: str, status: str = "open") -> UpdateCycle:
    cycle = UpdateCycle(
        opened_at=at(t.today, 8),
        opened_by="grace@example.test",
        deadline=deadline,
        scope={"kind": "all"},
        status=status,
    )
    t.session.add(cycle)
    t.session.flush()
    for ref in refs:
        action = t.action(ref)
        t.session.add(CycleItem(cycle_id=cycle.id, owner_id=action.owner_id, action_id=action.id))
    t.session.flush()
    return cycle


# -- "No delay (back on track)" -------------------------------------------------------------------------


def test_no_delay_clears_the_reason_and_the_history_keeps_it(t: OwnerTracker) -> None:
    t.action("FUT-1").delay_reason = REASON
    t.session.flush()
    outcome = save(t, "olivia", "FUT-1", delay_reason=NO_DELAY)
    assert outcome.status == SAVED, outcome.errors
    t.session.expire_all()
    assert t.action("FUT-1").delay_reason is None and t.action("FUT-1").version == 2
    assert history(t, "FUT-1")["delay_reason"] == (REASON, None)
    row = t.session.scalars(
        select(HistoryEntry).where(HistoryEntry.entity_ref == "FUT-1", HistoryEntry.field == "delay_reason")
    ).one()
    assert (row.actor, row.channel) == ("olivia@example.test", "teams")
    assert "delay_reason" in outcome.changed
    assert "Delay reason cleared" in (next_step(outcome) or "")


def test_a_blank_reason_still_keeps_the_stored_one(t: OwnerTracker) -> None:
    t.action("FUT-1").delay_reason = REASON
    assert save(t, "olivia", "FUT-1", delay_reason="", progress_note="Going well").status == SAVED
    assert t.action("FUT-1").delay_reason == REASON


def test_no_delay_with_no_reason_on_file_is_nothing_to_save(t: OwnerTracker) -> None:
    outcome = save(t, "olivia", "FUT-1", delay_reason=NO_DELAY)
    assert outcome.status == INVALID and outcome.errors["progress_note"] == UpdateProblem(P.NOTHING_TO_SAVE)


def test_no_delay_is_refused_past_the_original_due_date(t: OwnerTracker) -> None:
    t.action("OVR-1").delay_reason = REASON
    outcome = save(t, "olivia", "OVR-1", delay_reason=NO_DELAY, progress_note="Nearly there")
    assert outcome.status == INVALID and outcome.errors["delay_reason"] == UpdateProblem(P.KEEPS_DELAY_REASON)
    assert t.action("OVR-1").delay_reason == REASON and history(t, "OVR-1") == {}


def test_no_delay_is_refused_with_a_revised_date(t: OwnerTracker) -> None:
    t.action("FUT-1").delay_reason = REASON
    later = (t.today + timedelta(days=200)).isoformat()
    outcome = save(t, "olivia", "FUT-1", delay_reason=NO_DELAY, revised_date=later)
    assert outcome.status == INVALID and outcome.errors["delay_reason"] == UpdateProblem(P.REASON_FOR_PROPOSAL)


def test_no_delay_is_refused_while_a_proposal_waits(t: OwnerTracker) -> None:
    later = t.today + timedelta(days=200)
    assert save(t, "olivia", "FUT-1", delay_reason=REASON, revised_date=later.isoformat()).status == SAVED
    outcome = save(t, "olivia", "FUT-1", delay_reason=NO_DELAY)
    assert outcome.status == INVALID and outcome.errors["delay_reason"] == UpdateProblem(
        P.REASON_WHILE_PENDING, on=later
    )
    assert t.action("FUT-1").delay_reason == REASON


def test_marking_implemented_may_clear_the_reason_of_a_late_action(t: OwnerTracker) -> None:
    t.action("OVR-1").delay_reason = REASON
    outcome = save(t, "olivia", "OVR-1", status="implemented", delay_reason=NO_DELAY, evidence_note="Pack v3")
    assert outcome.status == SAVED and t.action("OVR-1").delay_reason is None


# -- evidence: one or more https links, or a note --------------------------------------------------------


def test_several_links_are_stored_one_per_line(t: OwnerTracker) -> None:
    typed = " https://intranet.example.test/pack,\r\nhttps://intranet.example.test/minutes  https://intranet.example.test/pack"
    outcome = save(t, "olivia", "FUT-1", status="implemented", evidence_link=typed)
    assert outcome.status == SAVED, outcome.errors
    assert t.action("FUT-1").evidence_link == (
        "https://intranet.example.test/pack\nhttps://intranet.example.test/minutes"
    )
    # The same links again, spaced differently, change nothing.
    again = save(
        t, "olivia", "FUT-1", evidence_link="https://intranet.example.test/pack https://intranet.example.test/minutes"
    )
    assert again.status == INVALID and again.errors["progress_note"] == UpdateProblem(P.NOTHING_TO_SAVE)


@pytest.mark.parametrize(
    "links, named",
    [
        ("http://intranet.example.test/pack", "http://intranet.example.test/pack"),
        ("https://a.example.test/1\nhttp://b.example.test/2", "http://b.example.test/2"),
        ("https://a.example.test/1 see the minutes", "see"),
        ("file:///c:/evidence.docx", "file:///c:/evidence.docx"),
    ],
)
def test_a_link_that_is_not_https_is_refused_by_name(t: OwnerTracker, links: str, named: str) -> None:
    outcome = save(t, "olivia", "FUT-1", status="implemented", evidence_link=links)
    assert outcome.status == INVALID
    problem = outcome.errors["evidence_link"]
    assert isinstance(problem, UpdateProblem) and (problem.code, problem.link) == (P.NOT_HTTPS, named)
    assert t.action("FUT-1").status == "in progress" and t.action("FUT-1").evidence_link is None


def test_more_than_ten_links_are_refused(t: OwnerTracker) -> None:
    links = " ".join(f"https://x.example.test/{n}" for n in range(11))
    outcome = save(t, "olivia", "FUT-1", status="implemented", evidence_link=links)
    assert outcome.status == INVALID and outcome.errors["evidence_link"] == UpdateProblem(
        P.TOO_MANY_LINKS, count=11, limit=10
    )


def test_a_note_alone_is_evidence(t: OwnerTracker) -> None:
    outcome = save(t, "olivia", "FUT-1", status="implemented", evidence_note="Minutes of the March board")
    assert outcome.status == SAVED and t.action("FUT-1").evidence_link is None


# -- what happens next: who decides, by when ------------------------------------------------------------


def test_a_saved_update_carries_the_open_rounds_deadline(t: OwnerTracker) -> None:
    deadline = t.today + timedelta(days=14)
    _round(t, t.today + timedelta(days=3), "FUT-2", status="closed")  # closed rounds do not count
    _round(t, deadline, "FUT-1")
    outcome = save(t, "olivia", "FUT-1", status="implemented", evidence_note="Done")
    assert outcome.cycle_deadline == deadline
    words = next_step(outcome) or ""
    assert "Strategy & Governance will review your closure request" in words
    assert f"closes on {deadline:%d %b %Y}" in words
    # Replayed (Teams retrying) it says the same.
    assert save(t, "olivia", "FUT-1", version=1, status="implemented", evidence_note="Done").cycle_deadline == deadline


def test_a_proposal_outside_a_round_says_who_decides(t: OwnerTracker) -> None:
    later = t.today + timedelta(days=200)
    outcome = save(t, "olivia", "FUT-1", delay_reason=REASON, revised_date=later.isoformat())
    assert outcome.cycle_deadline is None
    words = next_step(outcome) or ""
    assert f"Your revised date of {later:%d %b %Y} goes to Strategy & Governance for a decision" in words
    assert f"the due date stays {t.action('FUT-1').due_date:%d %b %Y}" in words


def test_an_hmicfrs_item_submitted_for_closure_is_told_the_same(t: OwnerTracker) -> None:
    item = t.inspection("HMI-1")
    cycle = _round(t, t.today + timedelta(days=7))
    t.session.add(CycleItem(cycle_id=cycle.id, owner_id=item.owner_id, inspection_id=item.id))
    t.session.flush()
    viewer = t.viewer("olivia")
    outcome = apply_update(
        t.session,
        viewer,
        kind=INSPECTION,
        ref="HMI-1",
        expected_version=1,
        submission={
            "status": "submitted for closure",
            "evidence_link": "https://a.example.test/1 https://a.example.test/2",
        },
        ctx=ChangeContext(viewer.email, "teams", at(t.today)),
        today=t.today,
    )
    assert outcome.status == SAVED, outcome.errors
    assert t.inspection("HMI-1").evidence_link == "https://a.example.test/1\nhttps://a.example.test/2"
    words = next_step(outcome) or ""
    assert "review your closure request" in words and f"{cycle.deadline:%d %b %Y}" in words
    assert "the item is closed" in words
