"""A cycle's progress: requests sent / failed / pending / not installed; responses; response rate
overall and per group. Reminders built from it: store/cycles/reminders.py.

Response rate (the spec): the share of items asked about that got an owner update before the
cycle closed, as a whole percentage rounded half up.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from domain.cycles import CycleScope
from domain.messages import Digest, Reminder, Request
from domain.rules import pct_half_up
from store.cycles.lifecycle import get_cycle
from store.db.models import CycleItem, OutboxMessage, Person, UpdateCycle
from store.outbox.queue import FAILED, NOT_INSTALLED, QUEUED, SENDING, SENT, status_counts

__all__ = ["NonResponder", "GroupRate", "CycleStatus", "cycle_status", "percent"]


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
    scope: CycleScope  # worded by cards/cycle_wording.py
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

    def progress_key(self) -> tuple[Any, ...]:
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
            "scope": self.scope.as_json(),
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


def _responded(cycle: UpdateCycle) -> ColumnElement[bool]:
    ok = CycleItem.responded_at.is_not(None)
    return and_(ok, CycleItem.responded_at <= cycle.closed_at) if cycle.closed_at is not None else ok


def _request_statuses(session: Session, cycle_id: int) -> dict[int, str]:
    rows = session.execute(
        select(OutboxMessage.person_id, OutboxMessage.status).where(
            OutboxMessage.cycle_id == cycle_id, OutboxMessage.kind == Request.kind
        )
    )
    return {person_id: status for person_id, status in rows if person_id is not None}  # requests name a person


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
    counts = status_counts(session, cycle_id=cycle.id, kind=Request.kind)
    failures = session.execute(
        select(Person.name, OutboxMessage.last_error)
        .join(Person, Person.id == OutboxMessage.person_id)
        .where(OutboxMessage.cycle_id == cycle.id, OutboxMessage.kind == Request.kind, OutboxMessage.status == FAILED)
        .order_by(Person.name)
        .limit(10)
    ).all()
    nudges = {
        kind: n
        for kind, n in session.execute(
            select(OutboxMessage.kind, func.count())
            .where(
                OutboxMessage.cycle_id == cycle.id,
                OutboxMessage.kind.in_((Reminder.kind, Digest.kind)),
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
        scope=CycleScope.from_json(cycle.scope),
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
