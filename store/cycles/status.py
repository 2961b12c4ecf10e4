"""A cycle's progress (requests sent / failed / pending / not installed; responses; response rate
overall and per group) and reminders: nudge owners with items not yet updated, and send each
group's SPOC and chief officer a digest of the group's non-responders.

Response rate (the spec): the share of items asked about that got an owner update before the
cycle closed, as a whole percentage rounded half up.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from store.conversations.references import reachable_person_ids
from store.cycles.lifecycle import CycleError, get_cycle, open_cycle
from domain.words import CHIEF_OFFICER, SPOC
from store.db.models import Action, CycleItem, InspectionItem, OutboxMessage, Person, UpdateCycle
from store.cycles.outbox import (
    FAILED,
    NOT_INSTALLED,
    QUEUED,
    SENDING,
    SENT,
    NewMessage,
    enqueue,
    requeue,
    status_counts,
)
from store.people.viewers import group_leads
from domain.rules import pct_half_up

__all__ = ["NonResponder", "GroupRate", "CycleStatus", "RemindResult", "cycle_status", "remind", "percent"]


percent = pct_half_up  # a response rate: None when nothing was asked


@dataclass(frozen=True)
class NonResponder:
    person_id: int
    name: str
    group: str | None
    items: int  # items not yet updated
    request: str  # status of their request message


@dataclass(frozen=True)
class GroupRate:
    group: str
    asked: int
    responded: int
    non_responders: tuple[NonResponder, ...] = ()
    owners: int = 0
    owners_responded: int = 0
    requests: dict[str, int] = field(default_factory=dict)  # request statuses of the group's owners

    @property
    def pct(self) -> int | None:
        return percent(self.responded, self.asked)


@dataclass(frozen=True)
class CycleStatus:
    cycle_id: int
    status: str
    opened_at: datetime
    opened_by: str
    deadline: date
    message: str | None
    scope: str
    closed_at: datetime | None
    requests: dict[str, int]  # sent, failed, pending, not_installed, total
    asked: int
    responded: int
    owners: int
    owners_responded: int  # owners who updated every item they were asked about
    groups: tuple[GroupRate, ...]
    failures: tuple[tuple[str, str], ...] = ()  # (owner, reason), first few
    reminders: dict[str, int] = field(default_factory=dict)  # reminder / digest messages sent

    @property
    def pct(self) -> int | None:
        return percent(self.responded, self.asked)

    @property
    def non_responders(self) -> list[NonResponder]:
        seen: dict[int, NonResponder] = {}
        for group in self.groups:
            for person in group.non_responders:
                seen.setdefault(person.person_id, person)
        return sorted(seen.values(), key=lambda p: (p.group or "", p.name))

    def for_groups(self, groups: tuple[str, ...]) -> "CycleStatus":
        """The same status narrowed to some groups (what a SPOC or chief officer may see)."""
        kept = tuple(g for g in self.groups if g.group in groups)
        requests = {k: sum(g.requests.get(k, 0) for g in kept) for k in self.requests}
        return CycleStatus(
            **{
                **self.__dict__,
                "groups": kept,
                "asked": sum(g.asked for g in kept),
                "responded": sum(g.responded for g in kept),
                "failures": (),
                "requests": requests,
                "owners": sum(g.owners for g in kept),
                "owners_responded": sum(g.owners_responded for g in kept),
            }
        )

    def progress_key(self) -> tuple:
        """Changes when anything the progress card shows changes."""
        return (
            self.status,
            tuple(sorted(self.requests.items())),
            self.asked,
            self.responded,
            tuple((g.group, g.asked, g.responded) for g in self.groups),
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "cycle": self.cycle_id,
            "status": self.status,
            "opened_at": self.opened_at.isoformat(),
            "opened_by": self.opened_by,
            "deadline": self.deadline.isoformat(),
            "scope": self.scope,
            "message": self.message,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "requests": self.requests,
            "reminders": self.reminders,
            "response_rate": {"asked": self.asked, "responded": self.responded, "pct": self.pct},
            "owners": {"asked": self.owners, "responded_fully": self.owners_responded},
            "by_group": [
                {
                    "group": g.group,
                    "asked": g.asked,
                    "responded": g.responded,
                    "pct": g.pct,
                    "owners": g.owners,
                    "owners_responded": g.owners_responded,
                    "requests": g.requests,
                    "non_responders": [
                        {"name": p.name, "items": p.items, "request": p.request} for p in g.non_responders
                    ],
                }
                for g in self.groups
            ],
            "failures": [{"owner": o, "reason": r} for o, r in self.failures],
        }


_BUCKET = {SENT: "sent", FAILED: "failed", QUEUED: "pending", SENDING: "pending", NOT_INSTALLED: "not_installed"}


def _responded(cycle: UpdateCycle):
    ok = CycleItem.responded_at.is_not(None)
    return and_(ok, CycleItem.responded_at <= cycle.closed_at) if cycle.closed_at is not None else ok


def _request_statuses(session: Session, cycle_id: int) -> dict[int, str]:
    return dict(
        session.execute(
            select(OutboxMessage.person_id, OutboxMessage.status).where(
                OutboxMessage.cycle_id == cycle_id, OutboxMessage.kind == "request"
            )
        ).all()
    )


def cycle_status(session: Session, cycle_id: int | None = None) -> CycleStatus:
    """Progress of the given cycle (default: the open one, else the latest)."""
    cycle = get_cycle(session, cycle_id)
    responded = func.sum(case((_responded(cycle), 1), else_=0))
    rows = session.execute(
        select(CycleItem.owner_id, Person.name, CycleItem.business_group, func.count(), responded)
        .join(Person, Person.id == CycleItem.owner_id)
        .where(CycleItem.cycle_id == cycle.id)
        .group_by(CycleItem.owner_id, Person.name, CycleItem.business_group)
    ).all()
    requests = _request_statuses(session, cycle.id)
    per_group: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    waiting: dict[str, list[NonResponder]] = defaultdict(list)
    per_owner: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    group_owners: dict[str, dict[int, bool]] = defaultdict(dict)  # group -> owner -> answered all there
    for owner_id, name, group, asked, done in rows:
        done = int(done or 0)
        key = group or "(no group)"
        per_group[key][0] += asked
        per_group[key][1] += done
        per_owner[owner_id][0] += asked
        per_owner[owner_id][1] += done
        group_owners[key][owner_id] = done == asked
        if done < asked:
            waiting[key].append(NonResponder(owner_id, name, group, asked - done, requests.get(owner_id, "none")))

    def request_counts(owner_ids: Iterable[int]) -> dict[str, int]:
        found = [_BUCKET.get(requests.get(o, ""), "") for o in owner_ids]
        return {k: found.count(k) for k in ("sent", "failed", "pending", "not_installed")} | {"total": len(found)}

    groups = tuple(
        GroupRate(
            g,
            a,
            r,
            tuple(sorted(waiting[g], key=lambda p: p.name)),
            owners=len(group_owners[g]),
            owners_responded=sum(group_owners[g].values()),
            requests=request_counts(group_owners[g]),
        )
        for g, (a, r) in sorted(per_group.items())
    )
    counts = status_counts(session, cycle_id=cycle.id, kind="request")
    failures = session.execute(
        select(Person.name, OutboxMessage.last_error)
        .join(Person, Person.id == OutboxMessage.person_id)
        .where(OutboxMessage.cycle_id == cycle.id, OutboxMessage.kind == "request", OutboxMessage.status == FAILED)
        .order_by(Person.name)
        .limit(10)
    ).all()
    nudges = {
        kind: n
        for kind, n in session.execute(
            select(OutboxMessage.kind, func.count())
            .where(
                OutboxMessage.cycle_id == cycle.id,
                OutboxMessage.kind.in_(("reminder", "digest")),
                OutboxMessage.status == SENT,
            )
            .group_by(OutboxMessage.kind)
        )
    }
    return CycleStatus(
        cycle_id=cycle.id,
        status=cycle.status,
        opened_at=cycle.opened_at,
        opened_by=cycle.opened_by,
        deadline=cycle.deadline,
        message=cycle.message,
        scope=_describe(cycle.scope),
        closed_at=cycle.closed_at,
        requests={
            "sent": counts[SENT],
            "failed": counts[FAILED],
            "pending": counts[QUEUED] + counts[SENDING],
            "not_installed": counts[NOT_INSTALLED],
            "total": sum(counts.values()),
        },
        asked=sum(a for a, _ in per_group.values()),
        responded=sum(r for _, r in per_group.values()),
        owners=len(per_owner),
        owners_responded=sum(1 for a, r in per_owner.values() if a == r),
        groups=groups,
        failures=tuple((n, e or "") for n, e in failures),
        reminders={"reminder": nudges.get("reminder", 0), "digest": nudges.get("digest", 0)},
    )


def _describe(scope: dict[str, Any]) -> str:
    from store.cycles.scope import CycleScope

    return CycleScope.from_json(scope).describe()


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


def remind(session: Session, now: datetime, cycle_id: int | None = None, *, today: date | None = None) -> RemindResult:
    """Queue reminders (at most one per owner per local day: `today`, the tracker's date; UTC's date
    when not given) and the per-group digests."""
    cycle = session.get(UpdateCycle, cycle_id) if cycle_id is not None else open_cycle(session)
    if cycle is None or cycle.status != "open":
        raise CycleError("there is no open update cycle to send reminders for")
    day = (today or now.date()).isoformat()
    status = cycle_status(session, cycle.id)
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
            ).where(OutboxMessage.cycle_id == cycle.id, OutboxMessage.kind == "request")
        )
    }
    reachable = reachable_person_ids(session)
    messages, requeue_ids = [], []
    waiting = unreachable = 0
    for person in status.non_responders:
        request = requests.get(person.person_id)
        if request is None:
            continue
        if request.status == NOT_INSTALLED and person.person_id in reachable:
            requeue_ids.append(request.id)
        elif request.status in (NOT_INSTALLED, FAILED):
            unreachable += 1
        elif request.status in (QUEUED, SENDING):
            waiting += 1
        else:
            items = [i for i in request.payload["items"] if i["ref"] in outstanding.get(person.person_id, ())]
            payload = {
                "cycle_id": cycle.id,
                "deadline": cycle.deadline.isoformat(),
                "owner": person.name,
                "items": items,
                "request_sent_on": request.sent_at.date().isoformat() if request.sent_at else None,
            }
            messages.append(
                NewMessage(
                    "reminder",
                    f"cycle:{cycle.id}:reminder:{day}:{person.person_id}",
                    payload,
                    person_id=person.person_id,
                    cycle_id=cycle.id,
                )
            )
    digests = []
    for group in status.groups:
        if not group.non_responders or group.group == "(no group)":
            continue
        names = [{"name": p.name, "items": p.items, "request": p.request} for p in group.non_responders]
        for role in (SPOC, CHIEF_OFFICER):
            for lead in group_leads(session, group.group, role):
                payload = {
                    "cycle_id": cycle.id,
                    "deadline": cycle.deadline.isoformat(),
                    "group": group.group,
                    "recipient": lead.name,
                    "role": role,
                    "asked": group.asked,
                    "responded": group.responded,
                    "pct": group.pct,
                    "non_responders": names,
                }
                digests.append(
                    NewMessage(
                        "digest",
                        f"cycle:{cycle.id}:digest:{day}:{group.group}:{lead.id}",
                        payload,
                        person_id=lead.id,
                        cycle_id=cycle.id,
                        status=QUEUED if lead.id in reachable else NOT_INSTALLED,
                    )
                )
    queued_reminders = enqueue(session, messages, now)
    queued_digests = enqueue(session, digests, now)
    requeued = requeue(session, requeue_ids, now)
    return RemindResult(
        cycle.id,
        reminders=queued_reminders,
        requeued=requeued,
        digests=queued_digests,
        waiting_for_request=waiting,
        unreachable=unreachable,
        already_reminded=len(messages) - queued_reminders,
    )
