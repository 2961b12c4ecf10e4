"""Owner updates: the same submission twice, concurrent duplicates and stale cards (issue 3 rule 5)."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cards.update_wording import outcome_message
from domain.update_views import ACTION, INVALID, SAVED, STALE, UpdateOutcome
from store.db.models import Action, DueDateProposal, HistoryEntry, Person, ProcessedSubmission
from store.history import ChangeContext
from store.updates.pipeline import apply_update
from tests.store.owner_tracker import REASON, OwnerTracker, at, build, count, save


def test_the_same_submission_twice_makes_one_update(t: OwnerTracker) -> None:
    revised = (t.today + timedelta(days=120)).isoformat()
    inputs = dict(progress_note="Same click twice", delay_reason=REASON, revised_date=revised)
    first = save(t, "olivia", "OVR-1", version=1, **inputs)
    history_rows = count(t, HistoryEntry)
    second = save(t, "olivia", "OVR-1", version=1, hour=10, **inputs)  # a Teams retry of the same card
    assert first.status == SAVED and not first.replayed
    assert second.status == SAVED and second.replayed and outcome_message(second) == outcome_message(first)
    assert t.action("OVR-1").version == 2
    assert count(t, HistoryEntry) == history_rows and count(t, DueDateProposal) == 1
    assert count(t, ProcessedSubmission) == 1


def test_different_inputs_on_the_same_old_card_are_stale(t: OwnerTracker) -> None:
    assert save(t, "olivia", "FUT-1", version=1, progress_note="First").status == SAVED
    outcome = save(t, "sam", "FUT-1", version=1, progress_note="Second, from an old card")
    assert outcome.status == STALE and "was changed after this card was sent" in outcome_message(outcome)
    assert outcome.action is not None and outcome.action.version == 2
    assert outcome.action.last_update_note == "First"  # the current state is shown
    assert outcome.changed_by == "Olivia Owen" and outcome.changed_at is not None
    assert outcome.inputs == {"progress_note": "Second, from an old card"}
    assert t.action("FUT-1").last_update_note == "First"


def test_a_stale_card_is_refused_before_its_fields_are_judged(t: OwnerTracker) -> None:
    """The user first needs to see the current state; errors against an old state would mislead."""
    assert save(t, "olivia", "FUT-1", version=1, progress_note="First").status == SAVED
    outcome = save(t, "olivia", "FUT-1", version=1, status="closed")
    assert outcome.status == STALE and not outcome.errors


def test_a_card_without_a_version_is_treated_as_stale(t: OwnerTracker) -> None:
    outcome = save(t, "olivia", "FUT-1", version=None, progress_note="No version")
    assert outcome.status == STALE and t.action("FUT-1").version == 1


def test_invalid_submissions_are_not_remembered(t: OwnerTracker) -> None:
    assert save(t, "olivia", "OVR-1", progress_note="x").status == INVALID
    assert count(t, ProcessedSubmission) == 0
    assert save(t, "olivia", "OVR-1", progress_note="x", delay_reason=REASON).status == SAVED


def test_a_replay_shows_the_same_saved_state(t: OwnerTracker) -> None:
    first = save(t, "olivia", "FUT-1", version=1, progress_note="Twice")
    second = save(t, "olivia", "FUT-1", version=1, progress_note="Twice")
    assert second.replayed and second.action == first.action and second.changed == first.changed


def test_concurrent_duplicates_make_one_update(sessions, today: date) -> None:
    """Two deliveries of one click racing: the second waits on the version compare-and-set, then replays."""
    with sessions() as s:
        build(s, today)
        s.commit()
    inputs = {"progress_note": "Clicked once, delivered twice"}
    first_session, second_session = sessions(), sessions()
    results: dict[str, UpdateOutcome] = {}

    def apply(s: Session, name: str) -> None:
        olivia = s.scalar(select(Person).where(Person.email == "olivia@example.test"))
        viewer = OwnerTracker(s, today, {"olivia": olivia}).viewer("olivia")
        results[name] = apply_update(
            s,
            viewer,
            kind=ACTION,
            ref="FUT-1",
            submission=inputs,
            expected_version=1,
            ctx=ChangeContext(viewer.email, "teams", at(today)),
            today=today,
        )

    apply(first_session, "first")  # holds the row lock until it commits
    racer = threading.Thread(target=lambda: (apply(second_session, "second"), second_session.commit()))
    racer.start()
    time.sleep(0.5)
    assert racer.is_alive(), "the duplicate should be waiting for the first transaction"
    first_session.commit()
    racer.join(10)
    first_session.close(), second_session.close()
    assert results["first"].status == SAVED and not results["first"].replayed
    assert results["second"].status == SAVED and results["second"].replayed
    with sessions() as s:
        assert s.scalar(select(Action.version).where(Action.ref == "FUT-1")) == 2
        assert s.scalar(select(func.count()).select_from(HistoryEntry).where(HistoryEntry.entity_ref == "FUT-1")) == 2
