"""Governance decisions on revised dates and closures (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from cards.decisions import result_line
from domain.decisions import OTHER_DATE_ACCEPTED, Decision
from store.db.models import DueDateProposal, HistoryEntry, OutboxMessage
from store.history import ChangeContext
from store.updates.decisions import CLOSURE_COLUMNS, closures_for_export, decide, pending_decisions
from tests.store.cycle_tracker import CORP, MET, build


@pytest.fixture
def t(session, today):
    tracker = build(session, today)
    for ref, days, at in (("MET-1", 120, 1), ("MET-2", 200, 2)):
        session.add(
            DueDateProposal(
                action_id=tracker.action(ref).id,
                proposed_date=today + timedelta(days=days),
                delay_reason="Recruitment",
                proposed_by_id=tracker.pid("olivia"),
                proposed_at=tracker.now - timedelta(days=at),
                decision="pending",
            )
        )
    session.flush()
    return tracker


def ctx(t):
    return ChangeContext("grace@example.test", "teams", t.now)


def proposal(t, ref):
    return t.session.scalars(
        select(DueDateProposal).where(DueDateProposal.action_id == t.action(ref).id).order_by(DueDateProposal.id)
    ).all()


def run(t, *decisions):
    return decide(t.session, t.viewer("grace"), decisions=list(decisions), ctx=ctx(t), today=t.today)


def outcomes(t):
    return t.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "outcome")).all()


def history(t, ref):
    return {
        (h.entity, h.field, h.old_value, h.new_value)
        for h in t.session.scalars(select(HistoryEntry).where(HistoryEntry.entity_ref == ref))
    }


def test_pending_lists_proposals_and_closures_by_group(t):
    p = pending_decisions(t.session)
    assert [r.ref for r in p.revised] == ["MET-2", "MET-1"]  # oldest proposal first
    assert p.revised[1].proposed == t.today + timedelta(days=120) and p.revised[1].owner == "Olivia Owen"
    assert [(c.ref, c.evidence) for c in p.closures] == [("CORP-2", "Signed-off policy")]
    assert pending_decisions(t.session, [CORP]).revised == () and pending_decisions(t.session, [MET]).closures == ()
    assert p.as_json()["closures"][0]["implemented_on"] == (t.today - timedelta(days=3)).isoformat()


def test_accepting_a_revised_date_sets_it_records_history_and_tells_the_owner(t):
    [first] = proposal(t, "MET-1")
    [result] = run(t, Decision("revised", first.id, True, "Agreed at the board"))
    assert result.ok and result.ref == "MET-1"
    action = t.action("MET-1")
    assert action.revised_due_date == t.today + timedelta(days=120) and action.version == 2
    assert (first.decision, first.decided_by_id, first.decision_reason) == (
        "accepted",
        t.pid("grace"),
        "Agreed at the board",
    )
    revised = (t.today + timedelta(days=120)).isoformat()
    assert history(t, "MET-1") == {
        ("action", "revised_due_date", None, revised),
        ("decision", "revised_due_date", None, f"revised due date {revised} accepted: Agreed at the board"),
    }
    [message] = outcomes(t)
    assert message.person_id == t.pid("olivia") and message.status == "queued"
    assert message.payload["items"] == [
        {
            "kind": "revised",
            "ref": "MET-1",
            "title": "Deliver the met-1 plan",
            "accepted": True,
            "date": revised,
            "reason": "Agreed at the board",
        }
    ]
    again = run(t, Decision("revised", first.id, False, "changed my mind"))
    assert not again[0].ok and result_line(again[0]) == "MET-1: already accepted"


def test_rejecting_needs_a_reason_and_keeps_the_dates(t):
    [p] = proposal(t, "MET-2")
    [refused] = run(t, Decision("revised", p.id, False, "   "))
    assert (
        not refused.ok and result_line(refused).endswith(": a reason is needed to reject") and p.decision == "pending"
    )
    [done] = run(t, Decision("revised", p.id, False, "Date not credible"))
    assert done.ok and p.decision == "rejected" and t.action("MET-2").revised_due_date is None
    assert (
        "decision",
        "revised_due_date",
        None,
        f"revised due date {p.proposed_date.isoformat()} rejected: Date not credible",
    ) in history(t, "MET-2")
    assert outcomes(t)[0].payload["items"][0]["accepted"] is False


def test_closures_accept_and_reject(t):
    corp2 = t.action("CORP-2")
    [ok] = run(t, Decision("closure", corp2.id, True))
    assert ok.ok and corp2.status == "closed" and corp2.closed_on == t.today
    assert ("action", "status", "implemented", "closed") in history(t, "CORP-2")
    [late] = run(t, Decision("closure", corp2.id, True))
    assert not late.ok and result_line(late) == "CORP-2: not proposed for closure (status is closed)"

    met1 = t.action("MET-1")
    met1.status, met1.implemented_on = "implemented", t.today
    t.session.flush()
    [rejected] = run(t, Decision("closure", met1.id, False, "Evidence does not show the control working"))
    assert rejected.ok and (met1.status, met1.implemented_on) == ("in progress", None)
    assert ("decision", "closure", None, "closure rejected: Evidence does not show the control working") in history(
        t, "MET-1"
    )


def test_bulk_decisions_report_each_and_tell_each_owner_once(t):
    p1, p2 = proposal(t, "MET-1")[0], proposal(t, "MET-2")[0]
    results = run(
        t,
        Decision("revised", p1.id, True, "ok"),
        Decision("revised", p2.id, True, "ok"),
        Decision("closure", t.action("CORP-2").id, True, "ok"),
        Decision("revised", 999, True, "ok"),
        Decision("closure", t.action("MET-3").id, True, "ok"),
        Decision("bogus", 1, True, "ok"),
    )
    assert [r.ok for r in results] == [True, True, True, False, False, False]
    assert result_line(results[3]) == "revised 999: no such proposed revised date"
    assert result_line(results[4]) == "MET-3: not proposed for closure (status is in progress)"
    told = {m.person_id: [i["ref"] for i in m.payload["items"]] for m in outcomes(t)}
    assert told == {t.pid("olivia"): ["MET-1", "MET-2"], t.pid("amelia"): ["CORP-2"]}
    assert pending_decisions(t.session).revised == () and pending_decisions(t.session).closures == ()


def test_accepting_one_supersedes_the_other_pending_proposals_for_the_action(t):
    t.session.add(
        DueDateProposal(
            action_id=t.action("MET-1").id,
            proposed_date=t.today + timedelta(days=60),
            proposed_at=t.now,
            decision="pending",
        )
    )
    t.session.flush()
    older, newer = proposal(t, "MET-1")
    run(t, Decision("revised", newer.id, True))
    assert newer.decision == "accepted" and older.decision == "rejected"
    assert older.decision_reason == OTHER_DATE_ACCEPTED


def test_closures_for_export(t):
    rows = closures_for_export(t.session)
    assert len(rows) == 1
    row = dict(zip(CLOSURE_COLUMNS, rows[0]))
    assert row["ref"] == "CORP-2" and row["audit_id"] == "AUD-L" and row["owner_email"] == "amelia@example.test"
    assert row["implemented_on"] == t.today - timedelta(days=3) and row["evidence_note"] == "Signed-off policy"


def test_a_long_reason_is_refused_not_cut(t):
    [p] = proposal(t, "MET-2")
    [refused] = run(t, Decision("revised", p.id, False, "x" * 1001))
    assert not refused.ok and result_line(refused).endswith(": the reason is 1,001 characters: keep it to 1,000")
    assert p.decision == "pending"
    [done] = run(t, Decision("revised", p.id, False, "Not\x0b credible\u202e"))
    assert done.ok and p.decision_reason == "Not credible"


def test_a_stored_proposal_beyond_ten_years_cannot_be_accepted(t):
    """9999-12-31 proposed before the rule existed: accepting it once broke the panel report for everyone."""
    [p] = proposal(t, "MET-2")
    p.proposed_date = t.today.replace(year=9999)
    [refused] = run(t, Decision("revised", p.id, True, ""))
    assert not refused.ok and "not after today and within ten years: reject it with a reason" in result_line(refused)
    assert p.decision == "pending" and t.action("MET-2").revised_due_date is None
    [rejected] = run(t, Decision("revised", p.id, False, "Typing error"))
    assert rejected.ok and p.decision == "rejected"
