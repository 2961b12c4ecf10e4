"""An owner updates their DARA actions: the list, the form, and the one-transaction save.

Service functions take a sync Session first and never commit (the caller owns the transaction).
Order of checks in ``apply_update``: unknown ref, permission, replay of an identical earlier
submission, closed action, stale card version, field rules - then one write of the action, its
history, any revised-date proposal and the owner's response to an open update cycle.
"""
from __future__ import annotations

import logging
from datetime import date
from typing import Any, Mapping

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from store.history import Change, ChangeContext, apply_changes, record
from store.db.models import Action, Audit, DueDateProposal, InspectionItem
from store.people.viewers import Viewer
from domain.rules import days_overdue, is_overdue
from store.db.clauses import effective_due, outstanding_clause
from store.db.setup import delay_reasons
from domain.update_rules import ActionFacts, normalise_inputs, submission_key, validate_action_update
from store.updates.support import (
    CycleColumn, already_processed, bump_version, last_changed_by, mark_cycle_response, remember, viewer_owners,
)
from domain.update_views import (
    ACTION, ACTION_INPUTS, FORM, INVALID, NOT_FOUND, REFUSED, SAVED, STALE, ActionView, ItemPage,
    UpdateOutcome,
)

__all__ = ["DEFAULT_PAGE_SIZE", "urgency_order", "outstanding_for", "action_view", "find_action",
           "load_for_update", "apply_update"]

log = logging.getLogger(__name__)
DEFAULT_PAGE_SIZE = 8
_UPDATABLE = ("open", "in progress", "implemented")


def _pending_dates(session: Session, action_ids: list[int]) -> dict[int, date]:
    """The latest pending proposal per action (older ones are withdrawn when a new one arrives)."""
    if not action_ids:
        return {}
    rows = session.execute(
        select(DueDateProposal.action_id, DueDateProposal.proposed_date)
        .where(DueDateProposal.action_id.in_(action_ids), DueDateProposal.decision == "pending")
        .order_by(DueDateProposal.proposed_at, DueDateProposal.id)
    ).all()
    return {action_id: proposed for action_id, proposed in rows}


def action_view(action: Action, viewer: Viewer | None, today: date, *, pending: date | None = None,
                position: int = 0) -> ActionView:
    overdue = days_overdue(action.due_date, today) if is_overdue(action.status, action.due_date, today) else 0
    return ActionView(
        ref=action.ref, description=action.description, audit_title=action.audit.title, risk=action.risk,
        business_group=action.business_group.name, owner_name=action.owner.name,
        owner_email=action.owner.email, due_date=action.due_date, revised_due_date=action.revised_due_date,
        status=action.status, version=action.version, delay_reason=action.delay_reason,
        last_update_on=action.last_update_on, last_update_note=action.last_update_note,
        evidence_note=action.evidence_note, evidence_link=action.evidence_link,
        implemented_on=action.implemented_on, pending_date=pending, days_overdue=overdue, position=position,
        on_behalf_of=None if viewer is None or action.owner_id == viewer.person_id else action.owner.name,
    )


def urgency_order(today: date) -> tuple[Any, ...]:
    """Overdue first (longest overdue first, i.e. earliest original due date), then by effective due date."""
    overdue = Action.due_date < today
    return (case((overdue, 0), else_=1), case((overdue, Action.due_date), else_=effective_due()), Action.ref)


def _mine(viewer: Viewer) -> Any:
    return Action.owner_id.in_(viewer_owners(viewer))


def outstanding_for(session: Session, viewer: Viewer, today: date, page: int = 0,
                    page_size: int = DEFAULT_PAGE_SIZE) -> ItemPage:
    """The viewer's own open / in-progress actions and those of owners who delegated to them."""
    where = (_mine(viewer), outstanding_clause())
    total, overdue = session.execute(
        select(func.count(Action.id), func.coalesce(func.sum(case((Action.due_date < today, 1), else_=0)), 0))
        .where(*where)
    ).one()
    pages = max(1, -(-total // page_size))
    page = min(max(0, page), pages - 1)
    actions = list(session.scalars(
        select(Action).join(Audit).where(*where).order_by(*urgency_order(today))
        .offset(page * page_size).limit(page_size)
    ))
    pending = _pending_dates(session, [a.id for a in actions])
    items = tuple(action_view(a, viewer, today, pending=pending.get(a.id), position=page * page_size + i + 1)
                  for i, a in enumerate(actions))
    inspections = session.scalar(
        select(func.count(InspectionItem.id))
        .where(InspectionItem.owner_id.in_(viewer_owners(viewer)), InspectionItem.status != "closed")
    ) or 0
    return ItemPage(kind=ACTION, items=items, page=page, page_size=page_size, total=total,
                    overdue_total=int(overdue), other_total=inspections)


def find_action(session: Session, ref: str) -> Action | None:
    """By ref, ignoring case and surrounding spaces (people type refs)."""
    ref = (ref or "").strip()
    if not ref:
        return None
    return session.scalar(select(Action).where(func.upper(Action.ref) == ref.upper()))


def _may_update(viewer: Viewer, action: Action) -> bool:
    return viewer.may_act_for_owner(action.owner_id, action.business_group.name)


def _group_spoc(viewer: Viewer, group: str | None) -> str:
    """Names the group only to someone who may see it: a refusal must not map another group's actions."""
    return f"the {group} SPOC" if group and viewer.may_see_group(group) else "its business group's SPOC"


def _gate(session: Session, viewer: Viewer, ref: str) -> tuple[Action | None, UpdateOutcome | None]:
    """Unknown ref or someone not allowed: the outcome to show instead of a form."""
    action = find_action(session, ref)
    if action is None:
        return None, UpdateOutcome(NOT_FOUND, ACTION, ref, message=(
            f"I can't find an action with the reference '{ref}'. Type **my actions** to see yours."))
    if not _may_update(viewer, action):
        log.info("update refused: person %s may not update %s", viewer.person_id, action.ref)
        return action, UpdateOutcome(REFUSED, ACTION, action.ref, message=(
            f"You can't update {action.ref}: only its owner, a delegate they have named, "
            f"{_group_spoc(viewer, action.business_group.name)} or Strategy & Governance can."))
    return action, None


def _closed(action: Action) -> UpdateOutcome | None:
    if action.status in _UPDATABLE:
        return None
    when = f" on {action.closed_on:%d %b %Y}" if action.closed_on else ""
    return UpdateOutcome(REFUSED, ACTION, action.ref, message=(
        f"{action.ref} is {action.status}{when}, so it is no longer updated here. "
        "If that is wrong, please contact Strategy & Governance."))


def _view_now(session: Session, viewer: Viewer, action: Action, today: date) -> ActionView:
    return action_view(action, viewer, today, pending=_pending_dates(session, [action.id]).get(action.id))


def load_for_update(session: Session, viewer: Viewer, ref: str, today: date) -> UpdateOutcome:
    """The update form for one action, or why there is none."""
    action, refusal = _gate(session, viewer, ref)
    if refusal is not None:
        return refusal
    assert action is not None
    if (closed := _closed(action)) is not None:
        return closed
    return UpdateOutcome(FORM, ACTION, action.ref, action=_view_now(session, viewer, action, today),
                         delay_reasons=tuple(delay_reasons(session)))


def _stale(session: Session, viewer: Viewer, action: Action, today: date, inputs: Mapping[str, str]) -> UpdateOutcome:
    return UpdateOutcome(
        STALE, ACTION, action.ref, action=_view_now(session, viewer, action, today), inputs=dict(inputs),
        delay_reasons=tuple(delay_reasons(session)), changed_by=last_changed_by(session, ACTION, action.ref),
        message=f"Not saved: {action.ref} was changed after this card was sent. Here is how it stands now.")


def apply_update(session: Session, viewer: Viewer, ref: str, submission: Mapping[str, Any],
                 expected_version: int | None, idempotency_key: str | None, ctx: ChangeContext,
                 today: date) -> UpdateOutcome:
    """Validate and save one owner update in the caller's transaction (see the module docstring)."""
    inputs = normalise_inputs(submission, ACTION_INPUTS)
    action, refusal = _gate(session, viewer, ref)
    if refusal is not None:
        return refusal
    assert action is not None
    key = idempotency_key or submission_key(viewer.person_id, ACTION, action.ref, expected_version, inputs)
    if (earlier := already_processed(session, key)) is not None:
        return earlier
    if (closed := _closed(action)) is not None:
        return closed
    if expected_version is None or expected_version != action.version:
        return _stale(session, viewer, action, today, inputs)

    reasons = delay_reasons(session)
    pending = _pending_dates(session, [action.id]).get(action.id)
    facts = ActionFacts(action.status, action.due_date, action.revised_due_date, pending, action.delay_reason,
                        action.evidence_note, action.evidence_link)
    change, errors = validate_action_update(facts, inputs, reasons, today)
    if change is None:
        return UpdateOutcome(INVALID, ACTION, action.ref, action=_view_now(session, viewer, action, today),
                             errors=errors, inputs=dict(inputs), delay_reasons=tuple(reasons),
                             message="Not saved yet: please fix the fields marked below.")

    # Compare-and-set on the version: a concurrent save of the same card loses here, not silently.
    if not bump_version(session, Action, action.id, expected_version):
        return already_processed(session, key) or _stale(session, viewer, action, today, inputs)

    values: dict[str, Any] = {"status": change.status, "last_update_on": today}
    if change.progress_note:
        values["last_update_note"] = change.progress_note
    if change.delay_reason:
        values["delay_reason"] = change.delay_reason
    if change.evidence_note:
        values["evidence_note"] = change.evidence_note
    if change.evidence_link:
        values["evidence_link"] = change.evidence_link
    if change.status == "implemented" and action.status != "implemented":
        values["implemented_on"] = today
    elif change.status != "implemented" and action.implemented_on is not None:
        values["implemented_on"] = None  # reopened: it is no longer delivered
    changes = apply_changes(action, values)
    record(session, ctx, ACTION, action.ref, changes)

    if change.revised_date is not None:
        _propose(session, viewer, action, change.revised_date, action.delay_reason, ctx)
    responded = mark_cycle_response(session, CycleColumn.ACTION, action.id, ctx.at)
    session.flush()
    outcome = UpdateOutcome(
        SAVED, ACTION, action.ref, action=_view_now(session, viewer, action, today),
        proposed_date=change.revised_date, changed=tuple(c.field for c in changes),
        message=_saved_message(change.revised_date, newly_implemented=any(
            c.field == "status" and c.new == "implemented" for c in changes)))
    remember(session, key, outcome, ctx.at)
    log.info("action %s updated by %s: %s; proposal=%s; cycle responses=%d", action.ref, ctx.actor,
             ",".join(outcome.changed) or "-", change.revised_date, responded)
    return outcome


def _propose(session: Session, viewer: Viewer, action: Action, proposed: date, reason: str | None,
             ctx: ChangeContext) -> None:
    """A revised date waits for governance: the action's revised_due_date is NOT touched here."""
    session.execute(
        update(DueDateProposal)
        .where(DueDateProposal.action_id == action.id, DueDateProposal.decision == "pending")
        .values(decision="withdrawn", decided_by_id=viewer.person_id, decided_at=ctx.at,
                decision_reason="Replaced by a newer proposal from the owner.")
        .execution_options(synchronize_session=False)
    )
    session.add(DueDateProposal(action_id=action.id, proposed_date=proposed, delay_reason=reason,
                                proposed_by_id=viewer.person_id, proposed_at=ctx.at, decision="pending"))
    # Its own entity in the history, so rebuilding an action's past state never mistakes a
    # proposal for an accepted revised date.
    record(session, ctx, "due_date_proposal", action.ref, [Change("proposed_date", None, proposed)])


def _saved_message(proposed: date | None, *, newly_implemented: bool) -> str:
    parts = ["Saved."]
    if proposed is not None:
        parts.append(f"Revised date {proposed:%d %b %Y} proposed — awaiting Strategy & Governance.")
    if newly_implemented:
        parts.append("Marked implemented — proposed to DARA for closure.")
    return " ".join(parts)
