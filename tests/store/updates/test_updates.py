"""Owner updates of DARA actions (issue 3): each rule, on SQLite and PostgreSQL, checked in the DB."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from cards.update_wording import outcome_message
from domain import update_problems as P
from domain.decisions import REPLACED_BY_NEWER
from domain.update_problems import UpdateProblem
from domain.update_views import ACTION, INVALID, NOT_FOUND, REFUSED, SAVED
from store.db.models import CycleItem, DueDateProposal, HistoryEntry, UpdateCycle
from store.updates.actions import outstanding_for
from store.updates.pipeline import load_for_update
from tests.store.owner_tracker import REASON, OwnerTracker, at, count, history, save

# -- the list ----------------------------------------------------------------------------------------


def test_outstanding_is_own_open_and_in_progress_most_urgent_first(t: OwnerTracker) -> None:
    page = outstanding_for(t.session, t.viewer("olivia"), today=t.today)
    assert [a.ref for a in page.items] == ["OVR-2", "OVR-1", "FUT-1", "FUT-3", "FUT-2"]
    assert [a.days_overdue for a in page.items] == [90, 30, 0, 0, 0]
    assert page.total == 5 and page.overdue_total == 2
    assert page.other_total == 2  # HMI-1 open and HMI-2 holding; HMI-3 is closed
    assert [a.position for a in page.items] == [1, 2, 3, 4, 5]


def test_delegate_sees_the_delegators_actions_too(t: OwnerTracker) -> None:
    page = outstanding_for(t.session, t.viewer("laura"), today=t.today)
    refs = [a.ref for a in page.items]
    assert set(refs) == {"OVR-2", "OVR-1", "FUT-1", "FUT-3", "FUT-2", "LAU-1"}
    assert next(a for a in page.items if a.ref == "OVR-1").on_behalf_of == "Olivia Owen"
    assert next(a for a in page.items if a.ref == "LAU-1").on_behalf_of is None


def test_paging_clamps_and_numbers_across_pages(t: OwnerTracker) -> None:
    viewer = t.viewer("olivia")
    second = outstanding_for(t.session, viewer, today=t.today, page=1, page_size=2)
    assert [a.ref for a in second.items] == ["FUT-1", "FUT-3"] and second.pages == 3
    assert [a.position for a in second.items] == [3, 4]
    assert second.has_previous and second.has_next
    last = outstanding_for(t.session, viewer, today=t.today, page=99, page_size=2)
    assert last.page == 2 and [a.ref for a in last.items] == ["FUT-2"] and not last.has_next


def test_owner_with_nothing_outstanding_gets_an_empty_page(t: OwnerTracker) -> None:
    page = outstanding_for(t.session, t.viewer("grace"), today=t.today)
    assert page.total == 0 and page.items == () and page.pages == 1


# -- who may update -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["olivia", "laura", "sam", "grace"])
def test_owner_delegate_spoc_and_governance_may_update(t: OwnerTracker, who: str) -> None:
    outcome = save(t, who, "FUT-1", progress_note=f"Progress from {who}")
    assert outcome.status == SAVED, outcome_message(outcome)
    assert t.action("FUT-1").last_update_note == f"Progress from {who}"
    assert history(t, "FUT-1")["last_update_note"] == (None, f"Progress from {who}")


@pytest.mark.parametrize("who", ["colin", "dev", "amelia"])
def test_anyone_else_is_refused_and_nothing_changes(t: OwnerTracker, who: str) -> None:
    outcome = save(t, who, "FUT-1", progress_note="Not mine")
    assert outcome.status == REFUSED
    assert "can't update FUT-1" in outcome_message(outcome)
    assert "Olivia" not in outcome_message(outcome) and "Owen" not in outcome_message(
        outcome
    )  # the owner stays private
    # The group is named only to its own chief officer, not to another group's SPOC or owner.
    assert ("Met Operations SPOC" in outcome_message(outcome)) is (who == "colin")
    assert t.action("FUT-1").last_update_note is None and t.action("FUT-1").version == 1
    assert history(t, "FUT-1") == {}
    assert load_for_update(t.session, t.viewer(who), kind=ACTION, ref="FUT-1", today=t.today).status == REFUSED


def test_unknown_ref_gets_a_clear_message(t: OwnerTracker) -> None:
    outcome = save(t, "olivia", "NOPE-9", version=1, progress_note="x")
    assert (
        outcome.status == NOT_FOUND
        and "NOPE-9" in outcome_message(outcome)
        and "my actions" in outcome_message(outcome)
    )
    assert load_for_update(t.session, t.viewer("olivia"), kind=ACTION, ref="nope-9", today=t.today).status == NOT_FOUND


def test_refs_are_matched_ignoring_case(t: OwnerTracker) -> None:
    form = load_for_update(t.session, t.viewer("olivia"), kind=ACTION, ref=" fut-1 ", today=t.today)
    assert form.status == "form" and form.action is not None and form.action.ref == "FUT-1"
    assert REASON in form.delay_reasons


def test_closed_actions_are_not_updated_here(t: OwnerTracker) -> None:
    outcome = save(t, "olivia", "CLS-1", progress_note="Reopen it")
    assert outcome.status == REFUSED and "closed" in outcome_message(outcome)
    assert t.action("CLS-1").last_update_note is None


# -- field rules --------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["closed", "superseded", "done"])
def test_status_is_open_in_progress_or_implemented_only(t: OwnerTracker, status: str) -> None:
    outcome = save(t, "olivia", "FUT-1", status=status, progress_note="Trying")
    assert outcome.status == INVALID and "status" in outcome.errors
    assert outcome.inputs["status"] == status and outcome.inputs["progress_note"] == "Trying"
    assert t.action("FUT-1").status == "in progress" and t.action("FUT-1").version == 1


def test_delay_reason_required_when_overdue(t: OwnerTracker) -> None:
    outcome = save(t, "olivia", "OVR-1", progress_note="Still working on it")
    assert outcome.status == INVALID and outcome.errors["delay_reason"] == UpdateProblem(P.REASON_NEEDED_OVERDUE)
    assert save(t, "olivia", "FUT-1", progress_note="On track").status == SAVED  # not overdue: not required
    ok = save(t, "olivia", "OVR-1", progress_note="Still working on it", delay_reason=REASON)
    assert ok.status == SAVED and t.action("OVR-1").delay_reason == REASON


def test_delay_reason_required_when_proposing_a_revised_date(t: OwnerTracker) -> None:
    later = (t.today + timedelta(days=90)).isoformat()
    outcome = save(t, "olivia", "FUT-1", revised_date=later)
    assert outcome.status == INVALID and outcome.errors["delay_reason"] == UpdateProblem(P.REASON_NEEDED_PROPOSAL)
    assert count(t, DueDateProposal) == 0


def test_delay_reason_must_come_from_the_configured_list(t: OwnerTracker) -> None:
    outcome = save(t, "olivia", "OVR-1", delay_reason="The dog ate it", progress_note="x")
    assert outcome.status == INVALID and outcome.errors["delay_reason"] == UpdateProblem(P.REASON_NOT_LISTED)


def test_revised_date_must_be_in_the_future(t: OwnerTracker) -> None:
    for day in (t.today, t.today - timedelta(days=1)):
        outcome = save(t, "olivia", "OVR-1", delay_reason=REASON, revised_date=day.isoformat())
        assert outcome.status == INVALID and outcome.errors["revised_date"] == UpdateProblem(
            P.DATE_NOT_FUTURE, on=t.today
        )


def test_revised_date_must_be_after_the_original_due_date(t: OwnerTracker) -> None:
    # FUT-1 is due in 40 days: a date in 10 days is in the future but earlier than that.
    soon = (t.today + timedelta(days=10)).isoformat()
    outcome = save(t, "olivia", "FUT-1", delay_reason=REASON, revised_date=soon)
    assert outcome.status == INVALID and outcome.errors["revised_date"] == UpdateProblem(
        P.DATE_NOT_AFTER_DUE, on=t.action("FUT-1").due_date
    )


def test_revised_date_must_be_a_date(t: OwnerTracker) -> None:
    outcome = save(t, "olivia", "OVR-1", delay_reason=REASON, revised_date="next spring")
    assert outcome.status == INVALID and outcome.errors["revised_date"] == UpdateProblem(P.DATE_UNREADABLE)


@pytest.mark.parametrize("name,limit", [("progress_note", 2000), ("evidence_note", 2000)])
def test_notes_have_length_limits(t: OwnerTracker, name: str, limit: int) -> None:
    outcome = save(t, "olivia", "FUT-1", **{name: "x" * (limit + 1)})
    assert outcome.status == INVALID and outcome.errors[name] == UpdateProblem(P.TOO_LONG, count=limit + 1, limit=limit)
    assert save(t, "olivia", "FUT-1", **{name: "y" * limit}).status == SAVED


def test_link_has_a_length_limit(t: OwnerTracker) -> None:
    long_link = "https://example.test/" + "a" * 1000
    outcome = save(t, "olivia", "FUT-1", evidence_link=long_link)
    assert outcome.status == INVALID and outcome.errors["evidence_link"] == UpdateProblem(
        P.TOO_LONG, count=len(long_link), limit=1000
    )


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "ftp://files.example.test/x", "www.example.test", "https://exa mple.test/x"]
)
def test_link_must_be_a_web_link(t: OwnerTracker, link: str) -> None:
    outcome = save(t, "olivia", "FUT-1", evidence_link=link)
    assert outcome.status == INVALID and getattr(outcome.errors["evidence_link"], "code", None) == P.NOT_HTTPS


def test_no_revised_date_when_marking_implemented(t: OwnerTracker) -> None:
    later = (t.today + timedelta(days=90)).isoformat()
    outcome = save(
        t, "olivia", "FUT-1", status="implemented", evidence_note="Done", delay_reason=REASON, revised_date=later
    )
    assert outcome.status == INVALID and outcome.errors["revised_date"] == UpdateProblem(P.DATE_WITH_IMPLEMENTED)


def test_nothing_to_save_is_reported(t: OwnerTracker) -> None:
    outcome = save(t, "olivia", "FUT-1", status="in progress")
    assert outcome.status == INVALID and outcome.errors["progress_note"] == UpdateProblem(P.NOTHING_TO_SAVE)


def test_implemented_requires_evidence(t: OwnerTracker) -> None:
    outcome = save(t, "olivia", "FUT-1", status="implemented", progress_note="Done")
    assert outcome.status == INVALID and outcome.errors["evidence_note"] == UpdateProblem(P.EVIDENCE_FOR_IMPLEMENTED)
    assert t.action("FUT-1").status == "in progress"


def test_implemented_with_evidence_sets_implemented_on_today(t: OwnerTracker) -> None:
    outcome = save(t, "olivia", "FUT-1", status="implemented", evidence_link="https://intranet.example.test/pack")
    assert outcome.status == SAVED and "proposed to DARA for closure" in outcome_message(outcome)
    action = t.action("FUT-1")
    assert action.status == "implemented" and action.implemented_on == t.today
    assert action.evidence_link == "https://intranet.example.test/pack"
    h = history(t, "FUT-1")
    assert h["status"] == ("in progress", "implemented") and h["implemented_on"] == (None, t.today.isoformat())


def test_evidence_already_on_file_counts_and_resending_it_is_not_a_change(t: OwnerTracker) -> None:
    t.action("FUT-1").evidence_note = "Audit pack v2"
    resent = save(t, "olivia", "FUT-1", evidence_note="Audit pack v2")
    assert resent.errors.get("progress_note") == UpdateProblem(P.NOTHING_TO_SAVE)
    outcome = save(t, "olivia", "FUT-1", status="implemented")
    assert outcome.status == SAVED and t.action("FUT-1").evidence_note == "Audit pack v2"


def test_a_note_on_an_implemented_action_does_not_claim_it_was_just_implemented(t: OwnerTracker) -> None:
    outcome = save(t, "olivia", "IMP-1", progress_note="DARA have the pack", evidence_note="Pack v2")
    assert outcome.status == SAVED and outcome_message(outcome) == "Saved."
    assert t.action("IMP-1").implemented_on == t.today - timedelta(days=3)  # unchanged


def test_reopening_an_implemented_action_clears_implemented_on(t: OwnerTracker) -> None:
    outcome = save(t, "olivia", "IMP-1", status="in progress", progress_note="DARA found a gap", delay_reason=REASON)
    assert outcome.status == SAVED
    assert t.action("IMP-1").implemented_on is None
    assert history(t, "IMP-1")["implemented_on"][1] is None


# -- one transaction ---------------------------------------------------------------------------------


def test_accepted_update_writes_fields_history_proposal_and_cycle_response(t: OwnerTracker) -> None:
    s = t.session
    olivia = t.people["olivia"]
    action = t.action("OVR-1")
    open_cycle = UpdateCycle(
        opened_at=at(t.today, 8), opened_by="grace@example.test", deadline=t.today, scope={"kind": "all"}, status="open"
    )
    closed_cycle = UpdateCycle(
        opened_at=at(t.today, 8),
        opened_by="grace@example.test",
        deadline=t.today,
        scope={"kind": "all"},
        status="closed",
    )
    s.add_all([open_cycle, closed_cycle])
    s.flush()
    asked = CycleItem(cycle_id=open_cycle.id, owner_id=olivia.id, action_id=action.id)
    old = CycleItem(cycle_id=closed_cycle.id, owner_id=olivia.id, action_id=action.id)
    other = CycleItem(cycle_id=open_cycle.id, owner_id=olivia.id, action_id=t.action("FUT-1").id)
    s.add_all([asked, old, other])
    s.flush()
    revised = t.today + timedelta(days=200)

    outcome = save(
        t,
        "olivia",
        "OVR-1",
        status="in progress",
        progress_note="Policy drafted; board in March",
        delay_reason=REASON,
        revised_date=revised.isoformat(),
    )
    s.commit()

    assert outcome.status == SAVED and outcome.proposed_date == revised
    assert f"Revised date {revised:%d %b %Y} proposed — awaiting Strategy & Governance" in outcome_message(outcome)
    s.expire_all()
    action = t.action("OVR-1")
    assert action.version == 2 and action.delay_reason == REASON and action.last_update_on == t.today
    assert action.last_update_note == "Policy drafted; board in March"
    assert action.revised_due_date is None  # only governance's acceptance sets it
    proposal = s.scalars(select(DueDateProposal)).one()
    assert (
        proposal.action_id,
        proposal.proposed_date,
        proposal.decision,
        proposal.delay_reason,
        proposal.proposed_by_id,
    ) == (action.id, revised, "pending", REASON, olivia.id)
    rows = s.scalars(select(HistoryEntry).where(HistoryEntry.entity_ref == "OVR-1")).all()
    assert {r.channel for r in rows} == {"teams"} and {r.actor for r in rows} == {"olivia@example.test"}
    assert {(r.entity, r.field) for r in rows} == {
        ("action", "delay_reason"),
        ("action", "last_update_note"),
        ("action", "last_update_on"),
        ("due_date_proposal", "proposed_date"),
    }
    s.refresh(asked), s.refresh(old), s.refresh(other)
    assert asked.responded_at is not None and old.responded_at is None and other.responded_at is None


def test_a_new_proposal_withdraws_the_pending_one(t: OwnerTracker) -> None:
    first, second = t.today + timedelta(days=100), t.today + timedelta(days=150)
    assert save(t, "olivia", "OVR-1", delay_reason=REASON, revised_date=first.isoformat()).status == SAVED
    assert save(t, "olivia", "OVR-1", delay_reason=REASON, revised_date=second.isoformat()).status == SAVED
    decisions = {p.proposed_date: (p.decision, p.decision_reason) for p in t.session.scalars(select(DueDateProposal))}
    assert decisions == {first: ("withdrawn", REPLACED_BY_NEWER), second: ("pending", None)}
    assert (
        load_for_update(t.session, t.viewer("olivia"), kind=ACTION, ref="OVR-1", today=t.today).action.pending_date
        == second
    )
