"""One owner-update pipeline for every kind of item (DARA actions, HMICFRS items).

Service functions take a sync Session first and never commit (the caller owns the transaction).
Order of checks in :func:`apply_update`: unknown ref, permission, replay of an identical earlier
submission, closed item, stale card version, field rules - then one write of the item, its
history, whatever the kind adds (a revised-date proposal) and the owner's response to an open
update cycle. What differs per kind is a small strategy (:class:`ItemKind`), in actions.py and
inspections.py. Outcomes are codes and data; the cards word them.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import date
from typing import Any, Mapping, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.permissions import Viewer
from domain.update_problems import UpdateProblem
from domain.update_rules import normalise_inputs, submission_key
from domain.update_views import (
    ACTION,
    CLOSED,
    FORM,
    INSPECTION,
    INVALID,
    NOT_FOUND,
    NOT_PERMITTED,
    REFUSED,
    SAVED,
    STALE,
    ActionView,
    InspectionView,
    UpdateOutcome,
)
from store.db.models import Person
from store.history import ChangeContext, apply_changes, record
from store.updates.actions import ActionKind
from store.updates.inspections import InspectionKind
from store.updates.support import (
    already_processed,
    bump_version,
    last_change,
    mark_cycle_response,
    open_cycle_deadline,
    remember,
)

__all__ = ["ItemKind", "KINDS", "load_for_update", "apply_update"]

log = logging.getLogger(__name__)


class ItemKind(Protocol):
    """What the pipeline needs to know about one kind of item."""

    kind: str  # ACTION | INSPECTION (history entity, outcome kind)
    model: Any  # the mapped class (Action, InspectionItem)
    inputs: tuple[str, ...]  # the card's input ids
    cycle_column: str  # the CycleItem column pointing at this kind

    def find(self, session: Session, ref: str) -> Any | None: ...
    def owner(self, item: Any) -> tuple[int | None, str | None]:
        """(owner id, business group name)."""
        ...

    def is_closed(self, item: Any) -> bool: ...
    def closed_on(self, item: Any) -> date | None: ...
    def view(self, session: Session, viewer: Viewer, item: Any, today: date) -> ActionView | InspectionView: ...
    def form_data(self, session: Session) -> dict[str, Any]:
        """Extra UpdateOutcome fields a form needs (the delay reasons)."""
        ...

    def validate(
        self, session: Session, item: Any, inputs: Mapping[str, str], today: date
    ) -> tuple[Any | None, dict[str, UpdateProblem]]: ...
    def values(self, item: Any, change: Any, today: date) -> dict[str, Any]: ...
    def after_save(self, session: Session, viewer: Viewer, item: Any, change: Any, ctx: ChangeContext) -> None: ...
    def saved_data(self, change: Any) -> dict[str, Any]: ...


KINDS: dict[str, ItemKind] = {ACTION: ActionKind(), INSPECTION: InspectionKind()}  # type: ignore[dict-item]


def _outcome(
    strategy: ItemKind, status: str, item_ref: str, view: ActionView | InspectionView | None = None, **fields: Any
) -> UpdateOutcome:
    views: dict[str, Any] = {"action": view} if strategy.kind == ACTION else {"inspection": view}
    return UpdateOutcome(status, strategy.kind, item_ref, **views, **fields)


def _gate(session: Session, strategy: ItemKind, viewer: Viewer, ref: str) -> tuple[Any, UpdateOutcome | None]:
    """Unknown ref or someone not allowed: the outcome to show instead of a form."""
    item = strategy.find(session, ref)
    if item is None:
        return None, _outcome(strategy, NOT_FOUND, ref)
    owner_id, group = strategy.owner(item)
    # An item with no owner yet can only be updated by its group's SPOC or governance.
    if not viewer.may_act_for_owner(owner_id if owner_id is not None else -1, group):
        log.info("%s update refused: person %s may not update %s", strategy.kind, viewer.person_id, item.ref)
        # Never the owner, and the group only to someone who may see it: a refusal must not map who owns what.
        shown = group if group and viewer.may_see_group(group) else None
        return item, _outcome(strategy, REFUSED, item.ref, refusal=NOT_PERMITTED, group=shown)
    return item, None


def _closed(strategy: ItemKind, item: Any) -> UpdateOutcome | None:
    if not strategy.is_closed(item):
        return None
    return _outcome(
        strategy, REFUSED, item.ref, refusal=CLOSED, item_status=item.status, closed_on=strategy.closed_on(item)
    )


def _stale(
    session: Session, strategy: ItemKind, viewer: Viewer, item: Any, today: date, inputs: Mapping[str, str]
) -> UpdateOutcome:
    who, for_whom, when = last_change(session, strategy.kind, item.ref)
    return _outcome(
        strategy,
        STALE,
        item.ref,
        strategy.view(session, viewer, item, today),
        inputs=dict(inputs),
        changed_by=who,
        changed_for=for_whom,
        changed_at=when,
        **strategy.form_data(session),
    )


def load_for_update(session: Session, viewer: Viewer, *, kind: str, ref: str, today: date) -> UpdateOutcome:
    """The update form for one item, or why there is none."""
    strategy = KINDS[kind]
    item, refusal = _gate(session, strategy, viewer, ref)
    if refusal is not None:
        return refusal
    if (closed := _closed(strategy, item)) is not None:
        return closed
    return _outcome(
        strategy, FORM, item.ref, strategy.view(session, viewer, item, today), **strategy.form_data(session)
    )


def apply_update(
    session: Session,
    viewer: Viewer,
    *,
    kind: str,
    ref: str,
    submission: Mapping[str, Any],
    expected_version: int | None,
    ctx: ChangeContext,
    today: date,
    idempotency_key: str | None = None,
) -> UpdateOutcome:
    """Validate and save one owner update in the caller's transaction (see the module docstring)."""
    strategy = KINDS[kind]
    inputs = normalise_inputs(submission, strategy.inputs)
    item, refusal = _gate(session, strategy, viewer, ref)
    if refusal is not None:
        return refusal
    key = idempotency_key or submission_key(viewer.person_id, strategy.kind, item.ref, expected_version, inputs)
    if (earlier := already_processed(session, key)) is not None:
        return earlier
    if (closed := _closed(strategy, item)) is not None:
        return closed
    if expected_version is None or expected_version != item.version:
        return _stale(session, strategy, viewer, item, today, inputs)

    change, errors = strategy.validate(session, item, inputs, today)
    if change is None:
        return _outcome(
            strategy,
            INVALID,
            item.ref,
            strategy.view(session, viewer, item, today),
            errors=errors,
            inputs=dict(inputs),
            **strategy.form_data(session),
        )

    # Compare-and-set on the version: a concurrent save of the same card loses here, not silently.
    if not bump_version(session, strategy.model, item.id, expected_version):
        return already_processed(session, key) or _stale(session, strategy, viewer, item, today, inputs)

    changes = apply_changes(item, strategy.values(item, change, today))
    owner_id, _ = strategy.owner(item)
    if owner_id is not None and viewer.covers(owner_id):  # the history says "cover for owner"
        owner_email = session.scalar(select(Person.email).where(Person.id == owner_id))
        ctx = dataclasses.replace(ctx, on_behalf_of=owner_email)
    record(session, ctx, strategy.kind, item.ref, changes)
    strategy.after_save(session, viewer, item, change, ctx)
    responded = mark_cycle_response(session, strategy.cycle_column, item.id, ctx.at)
    session.flush()
    outcome = _outcome(
        strategy,
        SAVED,
        item.ref,
        strategy.view(session, viewer, item, today),
        changed=tuple(c.field for c in changes),
        cycle_deadline=open_cycle_deadline(session, strategy.cycle_column, item.id),
        **strategy.saved_data(change),
    )
    remember(session, key, outcome, ctx.at)
    log.info(
        "%s %s updated by %s: %s; cycle responses=%d",
        strategy.kind,
        item.ref,
        ctx.actor,
        ",".join(outcome.changed) or "-",
        responded,
    )
    return outcome
