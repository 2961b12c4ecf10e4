"""Quarterly update cycles: preview a scope, open a cycle (one request per owner into the outbox),
close it. Status and response rates: store/cycles/status.py; reminders: store/cycles/reminders.py.
Owners' responses are recorded by the owner-update service (store.updates.support.mark_cycle_response)
on CycleItem. What cannot be done raises CycleError with a code and its facts (domain/cycles.py):
cards/cycle_wording.py says it, in Teams and on the command line.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import delivery
from domain.cycles import (
    ALREADY_OPEN,
    DEADLINE_PASSED,
    MESSAGE_TOO_LONG,
    NO_CYCLE_YET,
    NO_SUCH_CYCLE,
    NONE_OPEN_TO_CLOSE,
    NOT_OPEN,
    NOT_PERMITTED,
    NOTHING_IN_SCOPE,
    CycleError,
    CycleProblem,
    CycleScope,
    ScopeError,
)
from domain.messages import Progress, Request
from domain.permissions import Viewer
from domain.text import LIMITS, clean
from store.conversations.references import reachable_person_ids
from store.cycles.scope import ScopeItem, checked_scope, resolve_cycle_scope
from store.db.models import CycleItem, UpdateCycle
from store.outbox.queue import NOT_INSTALLED, QUEUED, NewMessage, cancel_queued, enqueue

__all__ = [
    "CycleError",
    "Preview",
    "StartedCycle",
    "preview",
    "start_cycle",
    "close_cycle",
    "open_cycle",
    "latest_cycle",
    "get_cycle",
    "set_progress_target",
    "queue_progress_card",
    "progress_targets",
    "check_deadline",
    "check_permitted",
    "request_key",
    "MAX_MESSAGE",
    "CycleScope",
    "ScopeError",
]

MAX_MESSAGE = LIMITS["cycle_message"]


@dataclass(frozen=True)
class Preview:
    scope: CycleScope
    owners: int
    actions: int
    inspections: int
    unreachable: tuple[str, ...]  # owners in scope with no personal conversation with the bot
    ownerless_inspections: int = 0
    by_group: dict[str, tuple[int, int]] = field(default_factory=dict)  # group -> (owners, items)

    @property
    def items(self) -> int:
        return self.actions + self.inspections

    @property
    def reachable(self) -> int:
        return self.owners - len(self.unreachable)

    def as_json(self) -> dict[str, Any]:
        return {
            "scope": self.scope.as_json(),
            "owners": self.owners,
            "actions": self.actions,
            "inspections": self.inspections,
            "unreachable": list(self.unreachable),
            "ownerless_inspections": self.ownerless_inspections,
            "by_group": {g: {"owners": o, "items": i} for g, (o, i) in self.by_group.items()},
        }


@dataclass(frozen=True)
class StartedCycle:
    cycle_id: int
    preview: Preview
    queued: int
    not_installed: int


def request_key(cycle_id: int, person_id: int) -> str:
    return f"cycle:{cycle_id}:request:{person_id}"


def _by_owner(items: list[ScopeItem]) -> dict[int, list[ScopeItem]]:
    owners: dict[int, list[ScopeItem]] = defaultdict(list)
    for item in items:
        owners[item.owner_id].append(item)
    return owners


def _urgency(item: ScopeItem) -> tuple[int, date, str]:
    return (-item.overdue_days, item.effective_due or date.max, item.ref)


def _preview(session: Session, scope: CycleScope, today: date) -> tuple[Preview, list[ScopeItem]]:
    scope = checked_scope(session, scope)
    items, ownerless = resolve_cycle_scope(session, scope, today)
    owners = _by_owner(items)
    reachable = reachable_person_ids(session)
    unreachable = tuple(sorted(group[0].owner_name for pid, group in owners.items() if pid not in reachable))
    groups: dict[str, tuple[set[int], int]] = {}
    for item in items:
        who, count = groups.get(item.group or "(no group)", (set(), 0))
        who.add(item.owner_id)
        groups[item.group or "(no group)"] = (who, count + 1)
    result = Preview(
        scope=scope,
        owners=len(owners),
        actions=sum(i.kind == "action" for i in items),
        inspections=sum(i.kind == "inspection" for i in items),
        unreachable=unreachable,
        ownerless_inspections=ownerless,
        by_group={g: (len(who), n) for g, (who, n) in sorted(groups.items())},
    )
    return result, items


def preview(session: Session, scope: CycleScope, today: date) -> Preview:
    """How many owners and items a scope reaches, and which owners the bot cannot message."""
    return _preview(session, scope, today)[0]


def open_cycle(session: Session) -> UpdateCycle | None:
    return session.scalar(
        select(UpdateCycle).where(UpdateCycle.status == "open").order_by(UpdateCycle.opened_at.desc()).limit(1)
    )


def latest_cycle(session: Session) -> UpdateCycle | None:
    return session.scalar(select(UpdateCycle).order_by(UpdateCycle.opened_at.desc(), UpdateCycle.id.desc()).limit(1))


def get_cycle(session: Session, cycle_id: int | None = None) -> UpdateCycle:
    """The given cycle, else the open one, else the latest; CycleError when there is none."""
    cycle = (
        session.get(UpdateCycle, cycle_id) if cycle_id is not None else (open_cycle(session) or latest_cycle(session))
    )
    if cycle is None:
        raise CycleError(CycleProblem(NO_CYCLE_YET) if cycle_id is None else CycleProblem(NO_SUCH_CYCLE, cycle_id))
    return cycle


def check_permitted(viewer: Viewer) -> None:
    """Opening, reminding and closing are governance's (domain/permissions.py), whoever calls."""
    if not viewer.may_run_cycles:
        raise CycleError(CycleProblem(NOT_PERMITTED))


def check_deadline(deadline: date, today: date) -> None:
    if deadline < today:
        raise CycleError(CycleProblem(DEADLINE_PASSED, deadline=deadline))


def start_cycle(
    session: Session,
    viewer: Viewer,
    *,
    scope: CycleScope,
    deadline: date,
    message: str | None,
    now: datetime,
    today: date,
    reminder_days: tuple[int, ...] | None = None,
) -> StartedCycle:
    """Open a cycle as `viewer` (recorded as its opener): one CycleItem per item in scope and ONE
    request per owner in the outbox. CycleError NOT_PERMITTED unless they may run cycles.

    Owners with no personal conversation with the bot get their request recorded as
    'not_installed' (a reminder re-queues it once they install the bot). `reminder_days`: days
    before the deadline on which the schedules remind non-responders (None: 7, 2, 0).
    """
    check_permitted(viewer)
    opened_by, opened_by_name = viewer.email, viewer.name
    current = open_cycle(session)
    if current is not None:
        raise CycleError(CycleProblem(ALREADY_OPEN, current.id, deadline=current.deadline))
    check_deadline(deadline, today)
    message = clean(message).strip() or None
    if message and len(message) > MAX_MESSAGE:
        raise CycleError(CycleProblem(MESSAGE_TOO_LONG, count=len(message), limit=MAX_MESSAGE))
    summary, items = _preview(session, scope, today)
    if not items:
        raise CycleError(CycleProblem(NOTHING_IN_SCOPE, scope=summary.scope, as_of=today))
    cycle = UpdateCycle(
        opened_at=now,
        opened_by=opened_by,
        deadline=deadline,
        message=message,
        scope={**summary.scope.as_json(), "as_of": today.isoformat()},
        status="open",
        reminder_days=list(reminder_days) if reminder_days is not None else None,
    )
    session.add(cycle)
    session.flush()
    session.add_all(
        CycleItem(
            cycle_id=cycle.id,
            owner_id=i.owner_id,
            business_group=i.group,
            action_id=i.item_id if i.kind == "action" else None,
            inspection_id=i.item_id if i.kind == "inspection" else None,
        )
        for i in items
    )
    reachable = reachable_person_ids(session)
    messages = []
    for owner_id, owned in _by_owner(items).items():
        owned.sort(key=_urgency)
        request = Request(
            cycle_id=cycle.id,
            deadline=deadline.isoformat(),
            message=message,
            owner=owned[0].owner_name,
            opened_by=opened_by_name or opened_by,
            items=tuple(i.line() for i in owned),
        )
        messages.append(
            NewMessage(
                request,
                request_key(cycle.id, owner_id),
                person_id=owner_id,
                cycle_id=cycle.id,
                status=QUEUED if owner_id in reachable else NOT_INSTALLED,
            )
        )
    enqueue(session, messages, now)
    not_installed = sum(m.status == NOT_INSTALLED for m in messages)
    return StartedCycle(cycle.id, summary, queued=len(messages) - not_installed, not_installed=not_installed)


def close_cycle(session: Session, viewer: Viewer, *, now: datetime, cycle_id: int | None = None) -> UpdateCycle:
    """Close the open cycle: responses stop counting; requests and reminders not yet sent are cancelled.

    CycleError NOT_PERMITTED unless `viewer` may run cycles."""
    check_permitted(viewer)
    cycle = session.get(UpdateCycle, cycle_id) if cycle_id is not None else open_cycle(session)
    if cycle is None or cycle.status != "open":
        raise CycleError(CycleProblem(NONE_OPEN_TO_CLOSE) if cycle_id is None else CycleProblem(NOT_OPEN, cycle_id))
    cycle.status, cycle.closed_at = "closed", now
    cancel_queued(session, cycle.id, delivery.CYCLE_CLOSED)
    session.flush()
    return cycle


def progress_targets(session: Session, now: datetime) -> list[tuple[int, dict[str, Any], str]]:
    """Progress cards to keep current: open cycles, and cycles closed within the last day."""
    recent = now - timedelta(days=1)
    rows = session.execute(
        select(UpdateCycle.id, UpdateCycle.progress_conversation, UpdateCycle.progress_activity_id).where(
            UpdateCycle.progress_activity_id.is_not(None),
            (UpdateCycle.status == "open") | (UpdateCycle.closed_at >= recent),
        )
    )
    return [(cid, conv, aid) for cid, conv, aid in rows if conv]


def queue_progress_card(session: Session, cycle_id: int, person_id: int, status: dict[str, Any], now: datetime) -> int:
    """The opener's progress card, for a cycle opened outside Teams: the sender posts it to their
    personal chat and then keeps it current (`set_progress_target`), as for a cycle opened in Teams."""
    return enqueue(
        session,
        [
            NewMessage(
                Progress(status), f"cycle:{cycle_id}:progress:{person_id}", person_id=person_id, cycle_id=cycle_id
            )
        ],
        now,
    )


def set_progress_target(session: Session, cycle_id: int, conversation: dict[str, Any], activity_id: str) -> None:
    """Where the governance user's progress card is, so the sender can update it in place."""
    cycle = session.get(UpdateCycle, cycle_id)
    if cycle is not None:
        cycle.progress_conversation, cycle.progress_activity_id = conversation, activity_id
