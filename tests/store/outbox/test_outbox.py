"""The durable outbox: dedupe, claims and leases, outcomes, and concurrent claimers on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from domain.delivery import IN_DOUBT
from domain.messages import Outcome, Reminder, Request
from store.db.engine import make_engine, make_sessionmaker
from store.db.models import OutboxMessage
from store.outbox.claims import claim_batch, has_due, renew
from store.outbox.outcomes import mark_failed, mark_retry, mark_sent, release
from store.outbox.queue import NewMessage, cancel_queued, enqueue, requeue, status_counts
from tests.store.cycle_tracker import build, reference

LEASE = timedelta(seconds=60)


@pytest.fixture
def t(session, today):
    tracker = build(session, today)
    tracker.install("olivia", "http://connector/")
    session.commit()
    return tracker


def note(i: int = 0) -> Request:
    """A small request message: what it says does not matter to the queue (its owner names it)."""
    return Request(owner=f"Olivia {i}", deadline="2026-12-10", items=())


def queue(t, n: int, **kw) -> None:
    enqueue(t.session, [NewMessage(note(i), f"k{i}", person_id=t.pid("olivia"), **kw) for i in range(n)], t.now)
    t.session.commit()


def row(t, message_id: int) -> OutboxMessage:
    return t.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id == message_id).execution_options(populate_existing=True)
    ).one()


def test_enqueue_skips_duplicate_keys(t):
    queue(t, 3)
    assert enqueue(t.session, [NewMessage(note(), "k1"), NewMessage(note(), "k9")], t.now) == 1
    assert status_counts(t.session)["queued"] == 4


def test_claim_takes_due_messages_once_with_a_lease_and_the_reference(t):
    queue(t, 5)
    later = NewMessage(Reminder(owner="Olivia Owen", deadline=None, items=()), "later", person_id=t.pid("olivia"))
    enqueue(t.session, [later], t.now + timedelta(minutes=5))
    first = claim_batch(t.session, "w1", t.now, 3, LEASE)
    second = claim_batch(t.session, "w2", t.now, 10, LEASE)
    t.session.commit()
    assert [m.dedupe_key for m in first] == ["k0", "k1", "k2"] and [m.dedupe_key for m in second] == ["k3", "k4"]
    m = first[0]
    assert m.attempts == 1 and m.locked_until == t.now + LEASE
    assert m.reference["conversation"]["id"] == "a:personal-olivia"
    stored = row(t, m.id)
    assert (stored.status, stored.locked_by) == ("sending", "w1")
    assert claim_batch(t.session, "w3", t.now, 10, LEASE) == []  # nothing due; 'later' is not yet
    assert not has_due(t.session, t.now) and has_due(t.session, t.now + timedelta(minutes=5))


def test_newest_personal_reference_wins_and_a_payload_reference_overrides(t):
    t.session.add_all([])
    from store.conversations.references import save_reference

    newer = reference("http://newer/", "olivia") | {"conversation": {"id": "a:new", "conversationType": "personal"}}
    save_reference(t.session, newer, person_id=t.pid("olivia"), aad_object_id=None, now=t.now + timedelta(hours=1))
    enqueue(
        t.session,
        [
            NewMessage(note(), "a", person_id=t.pid("olivia")),
            NewMessage(
                Outcome(owner="", decided_by=None, items=()),
                "b",
                reference={"serviceUrl": "x", "conversation": {"id": "c"}},
            ),
            NewMessage(note(), "c", person_id=t.pid("laura")),
        ],
        t.now,
    )
    claimed = {m.dedupe_key: m for m in claim_batch(t.session, "w", t.now, 10, LEASE)}
    assert claimed["a"].reference["conversation"]["id"] == "a:new"
    assert claimed["b"].reference["conversation"]["id"] == "c"
    assert claimed["c"].reference is None  # laura has not installed the bot


def test_expired_leases_are_reclaimed_and_marked_in_doubt(t):
    queue(t, 2)
    [a, b] = claim_batch(t.session, "crashed", t.now, 2, LEASE)
    t.session.commit()
    assert claim_batch(t.session, "w2", t.now + LEASE - timedelta(seconds=1), 10, LEASE) == []
    again = claim_batch(t.session, "w2", t.now + LEASE + timedelta(seconds=1), 10, LEASE)
    assert sorted(m.id for m in again) == sorted([a.id, b.id]) and {m.attempts for m in again} == {2}
    assert row(t, a.id).last_error == IN_DOUBT and row(t, a.id).locked_by == "w2"
    # the crashed worker comes back: its outcome no longer applies to a claim it lost...
    assert not mark_retry(t.session, a.id, "crashed", next_attempt_at=t.now, http_status=503, error="x")
    assert not mark_failed(t.session, a.id, "crashed", http_status=403, error="blocked")
    # ...but a delivery is a fact and is recorded whoever holds the claim (no second send)
    assert mark_sent(t.session, a.id, t.now, activity_id="act-a", http_status=200)
    assert not mark_sent(t.session, a.id, t.now, activity_id="act-again")
    assert row(t, a.id).activity_id == "act-a" and row(t, a.id).status == "sent"


def test_a_renewed_claim_is_not_taken_over_and_a_lost_one_is_not_renewed(t):
    queue(t, 3)
    [a, b, c] = claim_batch(t.session, "w1", t.now, 3, LEASE)
    mark_sent(t.session, c.id, t.now, activity_id="act-c")
    later = t.now + LEASE - timedelta(seconds=1)
    assert renew(t.session, [a.id, c.id], "w1", later + LEASE) == {a.id}  # c is recorded: not held any more
    t.session.commit()
    taken = claim_batch(t.session, "w2", t.now + LEASE + timedelta(seconds=1), 10, LEASE)
    assert [m.id for m in taken] == [b.id]  # b was not renewed: its lease ran out; a's was extended
    assert renew(t.session, [a.id, b.id], "w1", later + 2 * LEASE) == {a.id}  # b is w2's now
    assert row(t, b.id).locked_by == "w2" and row(t, a.id).locked_by == "w1"
    assert renew(t.session, [], "w1", later) == set()


def test_outcomes_retry_fail_release_requeue_cancel(t):
    queue(t, 4)
    a, b, c, d = claim_batch(t.session, "w", t.now, 4, LEASE)
    assert mark_retry(
        t.session, a.id, "w", next_attempt_at=t.now + timedelta(seconds=30), http_status=429, error="HTTP 429"
    )
    assert mark_failed(t.session, b.id, "w", http_status=403, error="HTTP 403: ConversationBlockedByUser")
    assert mark_failed(t.session, c.id, "w", http_status=None, error="no conversation", final_status="not_installed")
    with pytest.raises(ValueError):
        mark_failed(t.session, d.id, "w", http_status=None, error="x", final_status="queued")
    assert release(t.session, [d.id], "w", next_attempt_at=t.now) == 1
    t.session.commit()
    assert (row(t, a.id).status, row(t, a.id).last_status, row(t, a.id).attempts) == ("queued", 429, 1)
    assert (row(t, b.id).status, row(t, b.id).last_error) == ("failed", "HTTP 403: ConversationBlockedByUser")
    assert row(t, c.id).status == "not_installed"
    assert (row(t, d.id).status, row(t, d.id).attempts) == ("queued", 0)  # a release is not an attempt
    assert [m.id for m in claim_batch(t.session, "w", t.now, 10, LEASE)] == [d.id]  # a is not due for 30 s
    assert requeue(t.session, [b.id, c.id, d.id], t.now) == 2  # d is being sent: left alone
    assert (row(t, c.id).status, row(t, c.id).attempts, row(t, c.id).last_error) == ("queued", 0, None)
    assert cancel_queued(t.session, 1, "cycle closed") == 0  # these messages belong to no cycle


# SKIP LOCKED is PostgreSQL's; SQLite serialises writers with its database lock.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_claimers_skip_each_others_locked_rows(database_url, engine, t):
    """Two workers claiming at the same moment, each in its own connection: disjoint batches."""
    queue(t, 40)
    other = make_engine(database_url)
    try:
        with make_sessionmaker(other)() as s1, make_sessionmaker(engine)() as s2:
            first = claim_batch(s1, "w1", t.now, 10, LEASE)  # s1 holds its row locks (not committed)
            done = threading.Event()
            result: list = []

            def second() -> None:
                result.extend(claim_batch(s2, "w2", t.now, 10, LEASE))
                done.set()

            threading.Thread(target=second).start()
            assert done.wait(5), "the second claimer waited for the first one's locks"
            assert not {m.id for m in first} & {m.id for m in result} and len(result) == 10
            s1.commit()
            s2.commit()
    finally:
        other.dispose()


def test_concurrent_claims_never_share_a_message(database_url, engine, t):
    """Four threads, four engines, claiming until the queue is empty: every message claimed once."""
    queue(t, 200)
    claimed: list[int] = []
    lock = threading.Lock()

    def worker(name: str) -> None:
        eng = make_engine(database_url)
        sessions = make_sessionmaker(eng)
        try:
            while True:
                with sessions.begin() as s:
                    batch = claim_batch(s, name, t.now, 7, LEASE)
                if not batch:
                    return
                with lock:
                    claimed.extend(m.id for m in batch)
        finally:
            eng.dispose()

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert len(claimed) == 200 and len(set(claimed)) == 200
