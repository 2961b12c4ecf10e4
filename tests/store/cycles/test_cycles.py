"""Update cycles in the store: scope, preview, start, status and response rate, reminders, close.
Runs on SQLite and PostgreSQL (the `session` fixture)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from domain import cycles as C
from domain import delivery
from domain.cycles import CycleProblem
from store.cycles.lifecycle import CycleError, CycleScope, ScopeError, close_cycle, preview, start_cycle
from store.cycles.reminders import remind
from store.cycles.status import cycle_status
from store.db.models import CycleItem, OutboxMessage, UpdateCycle
from store.outbox.outcomes import mark_sent
from store.updates.support import mark_cycle_response
from tests.store.cycle_tracker import CORP, MET, build


@pytest.fixture
def t(session, today):
    return build(session, today)


def refs(preview_or_items) -> set[str]:
    return {i.ref for i in preview_or_items}


def start(t, scope="all", days=14, message=None, **kw):
    return start_cycle(
        t.session,
        t.viewer("grace"),
        scope=CycleScope.parse(scope, **kw),
        deadline=t.today + timedelta(days=days),
        message=message,
        now=t.now,
        today=t.today,
    )


def requests(t) -> dict[str, OutboxMessage]:
    names = {p.id: k for k, p in t.people.items()}
    rows = t.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "request").execution_options(populate_existing=True)
    )
    return {names[r.person_id]: r for r in rows}


@pytest.mark.parametrize(
    "scope, hmicfrs, actions, inspections, owners",
    [
        ("all", False, {"MET-1", "MET-2", "MET-3", "MET-4", "MET-5", "CORP-1"}, set(), 4),
        ("group:met operations", False, {"MET-1", "MET-2", "MET-3", "MET-4", "MET-5"}, set(), 3),
        ("overdue", False, {"MET-1", "MET-2", "CORP-1"}, set(), 2),
        ("due-within:30", False, {"MET-3", "MET-4"}, set(), 2),  # MET-4 by its accepted revised date
        ("all", True, {"MET-1", "MET-2", "MET-3", "MET-4", "MET-5", "CORP-1"}, {"HMI-1"}, 4),
        ("overdue", True, {"MET-1", "MET-2", "CORP-1"}, {"HMI-1"}, 2),
        ("group:Corporate Services", True, {"CORP-1"}, set(), 1),
    ],
)
def test_scope_resolution(t, scope, hmicfrs, actions, inspections, owners):
    from store.cycles.scope import resolve_cycle_scope

    items, ownerless = resolve_cycle_scope(t.session, CycleScope.parse(scope, include_hmicfrs=hmicfrs), t.today)
    assert {i.ref for i in items if i.kind == "action"} == actions
    assert {i.ref for i in items if i.kind == "inspection"} == inspections
    assert len({i.owner_id for i in items}) == owners
    # the open HMICFRS item with no owner is counted, never asked; 'holding' items are left out
    assert ownerless == (1 if hmicfrs and scope in ("all", "group:Corporate Services") else 0)


@pytest.mark.parametrize("text", ["everything", "group:", "due-within:soon", "overdue:3"])
def test_bad_scopes_are_refused_with_what_was_given(text):
    with pytest.raises(ScopeError) as err:
        CycleScope.parse(text)
    assert err.value.problem == CycleProblem(C.UNKNOWN_SCOPE_TEXT, given=text)


def test_unknown_group_and_bad_days_are_explained(t):
    with pytest.raises(ScopeError) as err:
        preview(t.session, CycleScope("group", group="Met Ops"), t.today)
    assert (err.value.problem.code, err.value.problem.given) == (C.UNKNOWN_GROUP, "Met Ops")
    assert MET in err.value.problem.choices
    with pytest.raises(ScopeError) as err:
        preview(t.session, CycleScope("due_within", days=0), t.today)
    assert err.value.problem == CycleProblem(C.BAD_DAYS, limit=730)
    with pytest.raises(ScopeError) as err:
        preview(t.session, CycleScope("someday"), t.today)
    assert err.value.problem == CycleProblem(C.UNKNOWN_SCOPE_KIND, given="someday")


def test_preview_counts_owners_items_and_who_cannot_be_reached(t):
    t.install("olivia")
    p = preview(t.session, CycleScope.parse("all", include_hmicfrs=True), t.today)
    assert (p.owners, p.actions, p.inspections, p.ownerless_inspections) == (4, 6, 1, 1)
    assert p.unreachable == ("Amelia Hart", "Laura Mills", "Sam Spencer") and p.reachable == 1
    assert p.by_group == {CORP: (1, 1), MET: (3, 6)}
    assert p.as_json()["scope"] == {"kind": "all", "group": None, "days": None, "include_hmicfrs": True}


def test_start_queues_one_request_per_owner_with_all_their_items(t):
    t.install("olivia")
    t.install("amelia")
    started = start(t, "all", message="Please update before the panel.", include_hmicfrs=True)
    t.session.commit()
    assert (started.queued, started.not_installed) == (2, 2)
    cycle = t.session.get(UpdateCycle, started.cycle_id)
    assert cycle.status == "open" and cycle.scope["kind"] == "all" and cycle.scope["as_of"] == t.today.isoformat()
    items = t.session.scalars(select(CycleItem).where(CycleItem.cycle_id == cycle.id)).all()
    assert len(items) == 7 and {i.business_group for i in items} == {MET, CORP}
    reqs = requests(t)
    assert set(reqs) == {"olivia", "laura", "sam", "amelia"}
    assert {k: r.status for k, r in reqs.items()} == {
        "olivia": "queued",
        "amelia": "queued",
        "laura": "not_installed",
        "sam": "not_installed",
    }
    olivia = reqs["olivia"]
    assert olivia.dedupe_key == f"cycle:{cycle.id}:request:{t.pid('olivia')}"
    # most urgent first: 90 days overdue, 30, the HMICFRS item 3 days overdue, then by due date
    assert [i["ref"] for i in olivia.payload["items"]] == ["MET-2", "MET-1", "HMI-1", "MET-3"]
    assert olivia.payload["items"][2]["kind"] == "inspection"
    assert olivia.payload["deadline"] == (t.today + timedelta(days=14)).isoformat()
    assert (
        olivia.payload["message"] == "Please update before the panel." and olivia.payload["opened_by"] == "Grace Gordon"
    )


def refusal(call, *args, **kw) -> CycleProblem:
    with pytest.raises(CycleError) as err:
        call(*args, **kw)
    return err.value.problem


def test_start_refuses_with_clear_reasons(t):
    assert refusal(start, t, days=-1) == CycleProblem(C.DEADLINE_PASSED, deadline=t.today - timedelta(days=1))
    assert refusal(start, t, message="x" * 1001) == CycleProblem(C.MESSAGE_TOO_LONG, count=1001, limit=1000)
    assert refusal(start, t, "due-within:1") == CycleProblem(
        C.NOTHING_IN_SCOPE, scope=CycleScope("due_within", days=1), as_of=t.today
    )
    first = start(t)
    assert refusal(start, t, "overdue") == CycleProblem(
        C.ALREADY_OPEN, first.cycle_id, deadline=t.today + timedelta(days=14)
    )


def test_status_counts_requests_and_responses_overall_and_by_group(t):
    t.install("olivia")
    t.install("amelia")
    started = start(t)
    reqs = requests(t)
    mark_sent(t.session, reqs["olivia"].id, t.now, activity_id="act-1")
    reqs["amelia"].status, reqs["amelia"].last_error = "failed", "HTTP 403: ConversationBlockedByUser"
    t.session.flush()
    # olivia updates two of her three; laura her one
    for ref in ("MET-1", "MET-3", "MET-4"):
        assert mark_cycle_response(t.session, "action_id", t.action(ref).id, t.now) == 1
    assert mark_cycle_response(t.session, "action_id", t.action("MET-1").id, t.now) == 0  # first update only
    s = cycle_status(t.session, started.cycle_id)
    assert s.requests == {"sent": 1, "failed": 1, "pending": 0, "not_installed": 2, "total": 4}
    assert (s.asked, s.responded, s.pct) == (6, 3, 50)
    assert (s.owners, s.owners_responded) == (4, 1)  # laura answered everything she was asked
    by_group = {g.group: g for g in s.groups}
    assert (by_group[MET].asked, by_group[MET].responded, by_group[MET].pct) == (5, 3, 60)
    assert (by_group[CORP].asked, by_group[CORP].responded, by_group[CORP].pct) == (1, 0, 0)
    assert [(p.name, p.items, p.request) for p in s.non_responders] == [
        ("Amelia Hart", 1, "failed"),
        ("Olivia Owen", 1, "sent"),
        ("Sam Spencer", 1, "not_installed"),
    ]
    assert s.failures == (("Amelia Hart", "HTTP 403: ConversationBlockedByUser"),)
    assert by_group[MET].requests == {"sent": 1, "failed": 0, "pending": 0, "not_installed": 2, "total": 3}
    assert (by_group[MET].owners, by_group[MET].owners_responded) == (3, 1)
    narrowed = s.for_groups((MET,))  # what Met Operations' SPOC and chief officer see
    assert (narrowed.asked, narrowed.responded, [g.group for g in narrowed.groups]) == (5, 3, [MET])
    assert narrowed.requests == by_group[MET].requests and narrowed.failures == () and narrowed.owners == 3
    assert s.as_json()["response_rate"] == {"asked": 6, "responded": 3, "pct": 50}


def test_responses_after_close_do_not_count(t):
    started = start(t)
    mark_cycle_response(t.session, "action_id", t.action("MET-1").id, t.now)
    close_cycle(t.session, t.viewer("grace"), now=t.now + timedelta(days=1))
    # the owner service only marks open cycles; a late timestamp written anyway is ignored
    late = t.session.scalars(select(CycleItem).where(CycleItem.action_id == t.action("MET-2").id)).one()
    late.responded_at = t.now + timedelta(days=2)
    t.session.flush()
    assert mark_cycle_response(t.session, "action_id", t.action("MET-3").id, t.now) == 0
    s = cycle_status(t.session, started.cycle_id)
    assert (s.status, s.asked, s.responded, s.pct) == ("closed", 6, 1, 17)


def test_remind_nudges_only_non_responders_and_digests_each_group(t):
    for key in ("olivia", "amelia", "sam", "colin", "dev"):
        t.install(key)
    started = start(t)
    reqs = requests(t)
    mark_sent(t.session, reqs["olivia"].id, t.now, activity_id="a1")
    mark_sent(t.session, reqs["sam"].id, t.now, activity_id="a2")
    # amelia's request is still queued; laura has not installed the bot; sam responded
    mark_cycle_response(t.session, "action_id", t.action("MET-5").id, t.now)
    mark_cycle_response(t.session, "action_id", t.action("MET-1").id, t.now)
    r = remind(t.session, t.viewer("grace"), now=t.now)
    assert (r.reminders, r.requeued, r.waiting_for_request, r.unreachable) == (1, 0, 1, 1)
    reminder = t.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reminder")).one()
    assert reminder.person_id == t.pid("olivia")
    assert [i["ref"] for i in reminder.payload["items"]] == ["MET-2", "MET-3"]  # only what is not yet updated
    digests = t.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "digest")).all()
    assert sorted((d.payload["group"], d.payload["recipient"]) for d in digests) == [
        (CORP, "Dev Patel"),
        (MET, "Colin Chambers"),
        (MET, "Sam Spencer"),
    ]
    met = next(d for d in digests if d.payload["recipient"] == "Sam Spencer")
    assert [p["name"] for p in met.payload["non_responders"]] == ["Laura Mills", "Olivia Owen"]
    assert r.digests == 3

    # laura installs the bot: the next run sends her the request itself; nobody is nudged twice a day
    t.install("laura")
    again = remind(t.session, t.viewer("grace"), now=t.now + timedelta(hours=2))
    assert (again.reminders, again.requeued, again.digests, again.already_reminded) == (0, 1, 0, 1)
    assert requests(t)["laura"].status == "queued"
    tomorrow = remind(t.session, t.viewer("grace"), now=t.now + timedelta(days=1))
    assert tomorrow.reminders == 1 and tomorrow.digests == 3
    assert cycle_status(t.session, started.cycle_id).cycle_id == started.cycle_id


def test_close_cancels_unsent_messages_and_allows_a_new_cycle(t):
    t.install("olivia")
    start(t)
    assert refusal(close_cycle, t.session, t.viewer("grace"), now=t.now, cycle_id=999) == CycleProblem(C.NOT_OPEN, 999)
    closed = close_cycle(t.session, t.viewer("grace"), now=t.now)
    assert closed.status == "closed" and closed.closed_at is not None
    assert requests(t)["olivia"].status == "failed"
    assert requests(t)["olivia"].last_error == delivery.CYCLE_CLOSED
    assert refusal(close_cycle, t.session, t.viewer("grace"), now=t.now) == CycleProblem(C.NONE_OPEN_TO_CLOSE)
    assert refusal(remind, t.session, t.viewer("grace"), now=t.now) == CycleProblem(C.NONE_OPEN_TO_REMIND)
    second = start(t, "overdue")
    assert second.cycle_id != closed.id


def test_cycle_message_is_cleaned_and_capped(t):
    assert refusal(start, t, message="x" * 1001).code == C.MESSAGE_TOO_LONG
    started = start(t, message="Please\x0b update\u202e by Friday\x00")
    assert t.session.get(UpdateCycle, started.cycle_id).message == "Please update by Friday"
