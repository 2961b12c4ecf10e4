"""Reminders for an open update cycle: nudge owners with items not yet updated (at most once a
local day), re-queue requests to owners who have installed the bot since, and send each group's
SPOC and chief officer a digest of the group's non-responders (from the cycle's status).
`nudge` is the same reminders sent by a SPOC or chief officer to their own groups' non-responders.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.cycles import NONE_OPEN_TO_REMIND, NOT_YOUR_GROUP, CycleError, CycleProblem
from domain.message_parts import NonResponder as DigestLine
from domain.messages import Digest, Reminder, Request
from domain.permissions import Viewer
from domain.words import CHIEF_OFFICER, SPOC
from store.conversations.references import reachable_person_ids
from store.cycles.lifecycle import check_permitted, open_cycle
from store.cycles.status import NonResponder, cycle_status
from store.db.models import Action, CycleItem, InspectionItem, OutboxMessage, UpdateCycle
from store.outbox.queue import FAILED, NOT_INSTALLED, QUEUED, SENDING, NewMessage, enqueue, requeue
from store.people.viewers import group_leads

__all__ = ["RemindResult", "remind", "nudge"]


@dataclass(frozen=True)
class RemindResult:
    cycle_id: int
    reminders: int  # reminders queued to owners whose request was delivered
    requeued: int  # requests queued again: the owner has installed the bot since
    digests: int  # digests queued to SPOCs and chief officers
    waiting_for_request: int  # non-responders whose request is still on its way (no reminder yet)
    unreachable: int  # non-responders the bot cannot message (not installed, blocked)
    already_reminded: int  # reminded earlier today (a second run the same day sends nothing)


def _unresponded_refs(session: Session, cycle: UpdateCycle) -> dict[int, set[str]]:
    refs: dict[int, set[str]] = defaultdict(set)
    rows = session.execute(
        select(CycleItem.owner_id, func.coalesce(Action.ref, InspectionItem.ref))
        .outerjoin(Action, Action.id == CycleItem.action_id)
        .outerjoin(InspectionItem, InspectionItem.id == CycleItem.inspection_id)
        .where(CycleItem.cycle_id == cycle.id, CycleItem.responded_at.is_(None))
    )
    for owner_id, ref in rows:
        refs[owner_id].add(ref)
    return refs


def remind(
    session: Session, viewer: Viewer, *, now: datetime, cycle_id: int | None = None, today: date | None = None
) -> RemindResult:
    """Queue reminders (at most one per owner per local day: `today`, the tracker's date; UTC's date
    when not given) and the per-group digests. CycleError NOT_PERMITTED unless `viewer` may run cycles."""
    check_permitted(viewer)
    cycle = session.get(UpdateCycle, cycle_id) if cycle_id is not None else open_cycle(session)
    if cycle is None or cycle.status != "open":
        raise CycleError(CycleProblem(NONE_OPEN_TO_REMIND))
    day = (today or now.date()).isoformat()
    status = cycle_status(session, cycle.id)
    reachable = reachable_person_ids(session)
    owners = _owner_reminders(session, cycle, status.non_responders, day, reachable)
    digests = []
    for group in status.groups:
        if not group.non_responders or group.group == "(no group)":
            continue
        names = tuple(DigestLine(p.name, p.items, p.request) for p in group.non_responders)
        for role in (SPOC, CHIEF_OFFICER):
            for lead in group_leads(session, group.group, role):
                digest = Digest(
                    cycle_id=cycle.id,
                    deadline=cycle.deadline.isoformat(),
                    group=group.group,
                    recipient=lead.name,
                    role=role,
                    asked=group.asked,
                    responded=group.responded,
                    pct=group.pct,
                    non_responders=names,
                )
                digests.append(
                    NewMessage(
                        digest,
                        f"cycle:{cycle.id}:digest:{day}:{group.group}:{lead.id}",
                        person_id=lead.id,
                        cycle_id=cycle.id,
                        status=QUEUED if lead.id in reachable else NOT_INSTALLED,
                    )
                )
    return owners.queue(session, cycle.id, now, digests=digests)


def nudge(session: Session, viewer: Viewer, *, groups: tuple[str, ...], now: datetime, today: date) -> RemindResult:
    """A SPOC's or chief officer's nudge: the same reminders as `remind`, to the non-responders of
    `groups` only (every group theirs: CycleError NOT_YOUR_GROUP otherwise; none named: all they
    lead). No digest: they are the digest's readers. The same once-a-day key as `remind`, so an owner
    nudged by their SPOC and reminded by governance on one day gets one reminder."""
    led = viewer.led_groups
    asked = groups or led
    outside = next((g for g in asked if not viewer.may_nudge(g)), None)
    if outside is not None or not (asked or viewer.may_run_cycles):
        raise CycleError(CycleProblem(NOT_YOUR_GROUP, given=outside or "", choices=led))
    cycle = open_cycle(session)
    if cycle is None:
        raise CycleError(CycleProblem(NONE_OPEN_TO_REMIND))
    status = cycle_status(session, cycle.id)
    people = status.for_groups(asked).non_responders if asked else status.non_responders  # governance: all
    owners = _owner_reminders(session, cycle, people, today.isoformat(), reachable_person_ids(session))
    return owners.queue(session, cycle.id, now, digests=[])


@dataclass
class _OwnerReminders:
    """The reminders to queue and the requests to queue again for some non-responders, and why the
    others get none."""

    messages: list[NewMessage] = field(default_factory=list)
    requeue_ids: list[int] = field(default_factory=list)
    waiting: int = 0
    unreachable: int = 0

    def queue(self, session: Session, cycle_id: int, now: datetime, *, digests: list[NewMessage]) -> RemindResult:
        queued = enqueue(session, self.messages, now)
        queued_digests = enqueue(session, digests, now)
        return RemindResult(
            cycle_id,
            reminders=queued,
            requeued=requeue(session, self.requeue_ids, now),
            digests=queued_digests,
            waiting_for_request=self.waiting,
            unreachable=self.unreachable,
            already_reminded=len(self.messages) - queued,
        )


def _owner_reminders(
    session: Session, cycle: UpdateCycle, people: list[NonResponder], day: str, reachable: set[int]
) -> _OwnerReminders:
    outstanding = _unresponded_refs(session, cycle)
    requests = {
        r.person_id: r
        for r in session.execute(
            select(
                OutboxMessage.id,
                OutboxMessage.person_id,
                OutboxMessage.status,
                OutboxMessage.payload,
                OutboxMessage.sent_at,
            ).where(OutboxMessage.cycle_id == cycle.id, OutboxMessage.kind == Request.kind)
        )
    }
    found = _OwnerReminders()
    for person in people:
        request = requests.get(person.person_id)
        if request is None:
            continue
        if request.status == NOT_INSTALLED and person.person_id in reachable:
            found.requeue_ids.append(request.id)
        elif request.status in (NOT_INSTALLED, FAILED):
            found.unreachable += 1
        elif request.status in (QUEUED, SENDING):
            found.waiting += 1
        else:
            asked = Request.from_json(request.payload)  # the request as queued: its items are the ones asked
            reminder = Reminder(
                cycle_id=cycle.id,
                deadline=cycle.deadline.isoformat(),
                owner=person.name,
                items=tuple(i for i in asked.items if i.ref in outstanding.get(person.person_id, ())),
                request_sent_on=request.sent_at.date().isoformat() if request.sent_at else None,
            )
            found.messages.append(
                NewMessage(
                    reminder,
                    f"cycle:{cycle.id}:reminder:{day}:{person.person_id}",
                    person_id=person.person_id,
                    cycle_id=cycle.id,
                )
            )
    return found
