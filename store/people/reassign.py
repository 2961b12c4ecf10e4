"""Reassigning an action to another owner, and the actions whose owner has left (issue 13 point 3).

Who may reassign is the Viewer's rule (domain/permissions.py, `may_reassign`). One transaction: the
owner changes, the history records who moved it from whom to whom, and an open update cycle
follows: the action moves to the new owner's request and out of the previous owner's request
while that one is still waiting to be sent. Outcome codes, never sentences: the card and the
command line choose the words.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain import delivery
from domain.message_parts import RequestItem
from domain.messages import Request, encode
from domain.permissions import Viewer
from domain.rules import days_overdue
from store.cycles.lifecycle import open_cycle, request_key
from store.cycles.scope import ScopeItem
from store.db.clauses import monitored_clause, outstanding_clause
from store.db.models import Action, Audit, BusinessGroup, CycleItem, OutboxMessage, Person
from store.db.rows import affected
from store.history import Change, ChangeContext, record
from store.outbox.queue import FAILED, NOT_INSTALLED, QUEUED, NewMessage, enqueue
from store.people.operator import person_named
from store.updates.actions import find_action

__all__ = [
    "REASSIGNED",
    "NOT_FOUND",
    "REFUSED",
    "UNKNOWN_PERSON",
    "PERSON_LEFT",
    "SAME_OWNER",
    "NOT_OUTSTANDING",
    "Reassigned",
    "OrphanedAction",
    "reassign_action",
    "orphaned_actions",
    "person_by_email",
    "people_choices",
    "describe_action",
]

log = logging.getLogger(__name__)

REASSIGNED, NOT_FOUND, REFUSED = "reassigned", "not_found", "refused"
UNKNOWN_PERSON, PERSON_LEFT, SAME_OWNER, NOT_OUTSTANDING = (
    "unknown_person",
    "person_left",
    "same_owner",
    "not_outstanding",
)
_WAITING = (QUEUED, NOT_INSTALLED)  # requests not yet delivered: their content can still change


@dataclass(frozen=True)
class Reassigned:
    outcome: str
    ref: str
    group: str | None = None
    from_name: str | None = None
    from_email: str | None = None
    to_name: str | None = None
    to_email: str | None = None
    cycle_id: int | None = None  # the open cycle the action moved with
    withdrawn: bool = False  # taken out of the previous owner's request still waiting to be sent
    requested: bool = False  # put into (or queued as) a request to the new owner


@dataclass(frozen=True)
class OrphanedAction:
    """An outstanding action whose owner has left."""

    ref: str
    description: str
    group: str
    owner_name: str
    owner_email: str
    due_date: date
    effective_due_date: date


def person_by_email(session: Session, email: str) -> Person | None:
    return person_named(session, email)


def people_choices(
    session: Session, group: str | None = None, *, only_groups: tuple[str, ...] | None = None
) -> list[tuple[str, str]]:
    """(name, email) of the people still here, for a searchable choice list; `group`'s people first.
    `only_groups`: just the people of those business groups (a SPOC naming a cover for their owners)."""
    query = (
        select(Person.name, Person.email, BusinessGroup.name)
        .outerjoin(BusinessGroup, BusinessGroup.id == Person.business_group_id)
        .where(Person.active.is_(True))
        .order_by(Person.name, Person.email)
    )
    if only_groups is not None:
        query = query.where(BusinessGroup.name.in_(only_groups))
    rows = session.execute(query).all()
    return [(name, email) for name, email, g in sorted(rows, key=lambda r: (r[2] != group, r[0], r[1]))]


def describe_action(session: Session, ref: str) -> dict[str, Any] | None:
    """What the reassign card shows about an action (None: no such ref)."""
    action = find_action(session, ref)
    if action is None:
        return None
    return {
        "ref": action.ref,
        "description": action.description,
        "owner_name": action.owner.name,
        "owner_email": action.owner.email,
        "group": action.business_group.name,
    }


def _item(action: Action, owner: Person, today: date) -> RequestItem:
    return ScopeItem(
        "action",
        action.id,
        action.ref,
        " ".join(action.description.split()),
        action.audit.title,
        action.business_group.name,
        owner.id,
        owner.name,
        action.due_date,
        action.effective_due_date,
        action.status,
        days_overdue(action.due_date, today),
    ).line()


def _rewrite(message: OutboxMessage, request: Request) -> None:
    """A waiting request says something else now. A new dict, so the JSON change is saved; keys
    the message does not own (a fixed "reference") are kept."""
    message.payload = {**(message.payload or {}), **encode(request)}


def _request(session: Session, cycle_id: int, person_id: int) -> OutboxMessage | None:
    return session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == request_key(cycle_id, person_id)))


def _withdraw(session: Session, cycle_id: int, owner_id: int, ref: str) -> bool:
    """Take `ref` out of the owner's request while it waits; a request left empty is not sent."""
    message = _request(session, cycle_id, owner_id)
    if message is None or message.status not in _WAITING:
        return False
    request = Request.from_json(message.payload or {})
    items = tuple(i for i in request.items if i.ref != ref)
    if len(items) == len(request.items):
        return False
    _rewrite(message, replace(request, items=items))
    if not items:
        message.status, message.last_error = FAILED, delivery.WITHDRAWN
    return True


def _ask_new_owner(
    session: Session, cycle_id: int, action: Action, owner: Person, *, ctx: ChangeContext, today: date
) -> bool:
    """Add the action to the new owner's waiting request, or queue a request of its own."""
    item = _item(action, owner, today)
    message = _request(session, cycle_id, owner.id)
    if message is not None and message.status in _WAITING:
        request = Request.from_json(message.payload or {})
        _rewrite(message, replace(request, items=(*request.items, item)))
        return True
    cycle = open_cycle(session)
    assert cycle is not None
    request = Request(
        cycle_id=cycle_id,
        deadline=cycle.deadline.isoformat(),
        message=cycle.message,
        owner=owner.name,
        opened_by=cycle.opened_by,
        items=(item,),
    )
    key = f"{request_key(cycle_id, owner.id)}:reassigned:{action.id}:{ctx.at.isoformat()}"
    return enqueue(session, [NewMessage(request, key, person_id=owner.id, cycle_id=cycle_id)], ctx.at) == 1


def reassign_action(
    session: Session, viewer: Viewer, ref: str, to_email: str, *, ctx: ChangeContext, today: date
) -> Reassigned:
    """Make `to_email` the owner of the action `ref`, as `viewer` (governance or the group's SPOC)."""
    action = find_action(session, ref)
    if action is None:
        return Reassigned(NOT_FOUND, (ref or "").strip())
    group = action.business_group.name
    if not viewer.may_reassign(group):
        log.info("reassignment refused: %s may not reassign %s", viewer.email, action.ref)
        return Reassigned(REFUSED, (ref or "").strip())  # as typed, no group: the refusal tells nothing
    old = action.owner
    base: dict[str, Any] = dict(ref=action.ref, group=group, from_name=old.name, from_email=old.email)
    new = person_by_email(session, to_email)
    if new is None:
        return Reassigned(UNKNOWN_PERSON, **base, to_email=(to_email or "").strip())
    base.update(to_name=new.name, to_email=new.email)
    if not new.active:
        return Reassigned(PERSON_LEFT, **base)
    if new.id == old.id:
        return Reassigned(SAME_OWNER, **base)
    if action.status not in ("open", "in progress", "implemented"):
        return Reassigned(NOT_OUTSTANDING, **base)

    action.owner_id, action.owner = new.id, new
    action.version += 1  # cards showing the previous owner are now stale
    record(session, ctx, "action", action.ref, [Change("owner_email", old.email, new.email)])
    cycle = open_cycle(session)
    withdrawn = requested = False
    if cycle is not None:
        moved = affected(
            session.execute(
                update(CycleItem)
                .where(CycleItem.cycle_id == cycle.id, CycleItem.action_id == action.id, CycleItem.owner_id == old.id)
                .values(owner_id=new.id)
                .execution_options(synchronize_session=False)
            )
        )
        if moved:
            withdrawn = _withdraw(session, cycle.id, old.id, action.ref)
            requested = _ask_new_owner(session, cycle.id, action, new, ctx=ctx, today=today)
    session.flush()
    log.info("action %s reassigned by %s from %s to %s", action.ref, ctx.actor, old.email, new.email)
    return Reassigned(
        REASSIGNED, **base, cycle_id=cycle.id if cycle else None, withdrawn=withdrawn, requested=requested
    )


def orphaned_actions(session: Session, group: str | None = None) -> list[OrphanedAction]:
    """Outstanding (monitored, open or in progress) actions whose owner has left; of one business group, or all (for the SPOC digest)."""
    query = (
        select(Action)
        .join(Person, Person.id == Action.owner_id)
        .join(Audit, Audit.id == Action.audit_id)
        .join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
        .where(Person.active.is_(False), monitored_clause(), outstanding_clause())
        .order_by(Action.due_date, Action.ref)
    )
    if group is not None:
        query = query.where(BusinessGroup.name == group)
    return [
        OrphanedAction(
            a.ref,
            " ".join(a.description.split()),
            a.business_group.name,
            a.owner.name,
            a.owner.email,
            a.due_date,
            a.effective_due_date,
        )
        for a in session.scalars(query)
    ]
