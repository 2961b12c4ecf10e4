"""What each scheduled job queues into the outbox (store/cycles/schedules.py decides when it runs).

Every message has a dedupe key naming the job, the recipient and the local day, and the outbox
keeps dedupe keys unique: even a job run twice queues each message once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any, Iterator, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from domain.localtime import local_date, local_to_utc
from domain.message_parts import Capped, NudgeItem, WeekAction, WeekDecision, WeekGroup
from domain.messages import Nudge, Weekly
from domain.permissions import operator_viewer
from domain.schedule import DEFAULT_REMINDER_DAYS, nudge_due_ranges, reminder_dates
from store.conversations.references import reachable_person_ids
from store.cycles.lifecycle import open_cycle
from store.cycles.reminders import remind
from store.cycles.status import cycle_status
from store.db.clauses import effective_due, monitored_clause, outstanding_clause
from store.db.models import Action, Audit, BusinessGroup, DueDateProposal, GroupLead, Person, UpdateCycle
from store.outbox.queue import NOT_INSTALLED, QUEUED, NewMessage, enqueue
from store.people.reassign import orphaned_actions

__all__ = [
    "cycle_reminder_days",
    "cycle_reminder_dates",
    "run_cycle_reminders",
    "run_due_nudges",
    "run_weekly_digest",
    "MAX_LINES",
    "nudge_count",
]

MAX_LINES = 15  # per list in a card; the rest is counted ("and 4 more"), keeping cards small


def cycle_reminder_days(cycle: UpdateCycle) -> tuple[int, ...]:
    return DEFAULT_REMINDER_DAYS if cycle.reminder_days is None else tuple(cycle.reminder_days)


def cycle_reminder_dates(cycle: UpdateCycle, opened_on: date) -> list[date]:
    return reminder_dates(cycle.deadline, cycle_reminder_days(cycle), opened_on)


def run_cycle_reminders(session: Session, day: date, now: datetime, zone: ZoneInfo) -> int:
    """Remind the open cycle's non-responders when `day` is one of its reminder days."""
    cycle = open_cycle(session)
    if cycle is None or day not in cycle_reminder_dates(cycle, local_date(cycle.opened_at, zone)):
        return 0
    result = remind(session, operator_viewer("schedule"), now=now, cycle_id=cycle.id, today=day)
    return result.reminders + result.digests + result.requeued


def _title(description: str) -> str:
    first = (description or "").strip().splitlines()[0] if (description or "").strip() else ""
    return first if len(first) <= 120 else first[:117] + "..."


def _nudged(day: date) -> Iterator[tuple[Any, ...]]:
    due = effective_due()
    for before, first, after in nudge_due_ranges(day):
        yield (
            before,
            due,
            (
                select(Action.owner_id, Person.name, Action.ref, Action.description, due.label("due"))
                .join(Audit, Audit.id == Action.audit_id)
                .join(Person, Person.id == Action.owner_id)
                .where(outstanding_clause(), monitored_clause(), due >= first, due < after)
            ),
        )


def nudge_count(session: Session, day: date) -> int:
    """How many actions the nudges of working day `day` would mention (as things stand now)."""
    return sum(len(session.execute(query).all()) for _, _, query in _nudged(day))


def run_due_nudges(session: Session, day: date, now: datetime, zone: ZoneInfo) -> int:
    """One card per owner: monitored outstanding actions due in 14 days, or due today."""
    items: dict[int, list[NudgeItem]] = defaultdict(list)
    names: dict[int, str] = {}
    for before, due, query in _nudged(day):
        for owner_id, name, ref, description, due_on in session.execute(query.order_by(due, Action.ref)):
            names[owner_id] = name
            items[owner_id].append(
                NudgeItem(ref=ref, title=_title(description), due=due_on.isoformat(), days_before=before)
            )
    reachable = reachable_person_ids(session)
    messages = [
        NewMessage(
            Nudge(owner=names[owner_id], day=day.isoformat(), items=tuple(owned)),
            f"nudge:{day.isoformat()}:{owner_id}",
            person_id=owner_id,
            status=QUEUED if owner_id in reachable else NOT_INSTALLED,
        )
        for owner_id, owned in sorted(items.items())
    ]
    return enqueue(session, messages, now)


T = TypeVar("T")


def _capped(lines: list[T]) -> Capped[T]:
    return Capped(tuple(lines[:MAX_LINES]), max(0, len(lines) - MAX_LINES))


def _group_week(
    session: Session, group: str, since: date, day: date, waiting: dict[str, list[str]], start: datetime
) -> WeekGroup:
    overdue = [
        WeekAction(ref, _title(desc), owner, due_on.isoformat())
        for ref, desc, owner, due_on in session.execute(
            select(Action.ref, Action.description, Person.name, Action.due_date)
            .join(Person, Person.id == Action.owner_id)
            .join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
            .where(BusinessGroup.name == group, outstanding_clause(), Action.due_date >= since, Action.due_date < day)
            .order_by(Action.due_date, Action.ref)
        )
    ]
    decisions = [
        WeekDecision(ref, decision, proposed.isoformat())
        for ref, decision, proposed in session.execute(
            select(Action.ref, DueDateProposal.decision, DueDateProposal.proposed_date)
            .join(Action, Action.id == DueDateProposal.action_id)
            .join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
            .where(
                BusinessGroup.name == group,
                DueDateProposal.decision.in_(("accepted", "rejected")),
                DueDateProposal.decided_at >= start,
            )
            .order_by(DueDateProposal.decided_at, Action.ref)
        )
    ]
    decisions += [
        WeekDecision(ref, "closed", closed.isoformat())
        for ref, closed in session.execute(
            select(Action.ref, Action.closed_on)
            .join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
            .where(BusinessGroup.name == group, and_(Action.closed_on >= since, Action.closed_on < day))
            .order_by(Action.closed_on, Action.ref)
        )
    ]
    # outstanding actions whose owner has left: the SPOC has to find them a new owner (issue 13 point 3)
    orphaned = [
        WeekAction(o.ref, _title(o.description), o.owner_name, o.effective_due_date.isoformat())
        for o in orphaned_actions(session, group)
    ]
    return WeekGroup(
        group=group,
        non_responders=_capped(waiting.get(group, [])),
        newly_overdue=_capped(overdue),
        decisions=_capped(decisions),
        orphaned=_capped(orphaned),
    )


def run_weekly_digest(session: Session, day: date, now: datetime, zone: ZoneInfo) -> int:
    """Monday's digest to each SPOC and chief officer: per group they lead, the open cycle's
    non-responders, actions that became overdue in the past week, the week's decisions, and the
    outstanding actions whose owner has left."""
    since = day - timedelta(days=7)
    start = local_to_utc(since, time(0), zone)  # decisions since local midnight a week ago
    waiting: dict[str, list[str]] = {}
    cycle = open_cycle(session)
    if cycle is not None:
        for g in cycle_status(session, cycle.id).groups:
            waiting[g.group] = [p.name for p in g.non_responders]
    leads: dict[int, dict[str, Any]] = {}
    for person_id, name, role, group in session.execute(
        select(Person.id, Person.name, GroupLead.role, BusinessGroup.name)
        .join(GroupLead, GroupLead.person_id == Person.id)
        .join(BusinessGroup, BusinessGroup.id == GroupLead.business_group_id)
        .order_by(Person.id, BusinessGroup.name)
    ):
        lead = leads.setdefault(person_id, {"recipient": name, "roles": [], "groups": []})
        lead["roles"] = sorted({*lead["roles"], role})
        if group not in lead["groups"]:
            lead["groups"].append(group)
    cache: dict[str, WeekGroup] = {}
    reachable = reachable_person_ids(session)
    messages = []
    for person_id, lead in leads.items():
        groups = [cache.setdefault(g, _group_week(session, g, since, day, waiting, start)) for g in lead["groups"]]
        weekly = Weekly(
            recipient=lead["recipient"],
            roles=tuple(lead["roles"]),
            week_from=since.isoformat(),
            day=day.isoformat(),
            cycle_id=cycle.id if cycle else None,
            deadline=cycle.deadline.isoformat() if cycle else None,
            groups=tuple(groups),
        )
        messages.append(
            NewMessage(
                weekly,
                f"weekly:{day.isoformat()}:{person_id}",
                person_id=person_id,
                status=QUEUED if person_id in reachable else NOT_INSTALLED,
            )
        )
    return enqueue(session, messages, now)
