"""An owner's DARA actions: their list, and what the update pipeline (pipeline.py) does for an action.

Service functions take a sync Session first and never commit (the caller owns the transaction).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from domain.decisions import REPLACED_BY_NEWER
from domain.permissions import Viewer
from domain.update_problems import UpdateProblem
from domain.update_rules import ActionChange, ActionFacts, validate_action_update
from domain.update_views import ACTION, ACTION_INPUTS, ACTION_OWNER_STATUSES, ActionView, ItemPage
from store.db.clauses import effective_due, outstanding_clause
from store.db.models import Action, Audit, DueDateProposal, InspectionItem
from store.db.setup import delay_reasons
from store.history import Change, ChangeContext, record
from store.updates.proposals import PENDING, pending_clause, pending_dates
from store.updates.records import action_record
from store.updates.support import CycleColumn, viewer_owners

__all__ = ["DEFAULT_PAGE_SIZE", "ActionKind", "urgency_order", "outstanding_for", "action_view", "find_action"]

DEFAULT_PAGE_SIZE = 8


def action_view(
    action: Action, viewer: Viewer | None, today: date, *, pending: date | None = None, position: int = 0
) -> ActionView:
    record = action_record(action, today, pending=pending)
    on_behalf_of = None if viewer is None or record.owner_id == viewer.person_id else record.owner_name
    return ActionView.from_record(record, position=position, on_behalf_of=on_behalf_of)


def urgency_order(today: date) -> tuple[Any, ...]:
    """Overdue first (longest overdue first, i.e. earliest original due date), then by effective due date."""
    overdue = Action.due_date < today
    return (case((overdue, 0), else_=1), case((overdue, Action.due_date), else_=effective_due()), Action.ref)


def _mine(viewer: Viewer) -> Any:
    return Action.owner_id.in_(viewer_owners(viewer))


def outstanding_for(
    session: Session, viewer: Viewer, *, today: date, page: int = 0, page_size: int = DEFAULT_PAGE_SIZE
) -> ItemPage:
    """The viewer's own open / in-progress actions and those of owners who delegated to them."""
    where = (_mine(viewer), outstanding_clause())
    total, overdue = session.execute(
        select(func.count(Action.id), func.coalesce(func.sum(case((Action.due_date < today, 1), else_=0)), 0)).where(
            *where
        )
    ).one()
    pages = max(1, -(-total // page_size))
    page = min(max(0, page), pages - 1)
    actions = list(
        session.scalars(
            select(Action)
            .join(Audit)
            .where(*where)
            .order_by(*urgency_order(today))
            .offset(page * page_size)
            .limit(page_size)
        )
    )
    pending = pending_dates(session, [a.id for a in actions])
    items = tuple(
        action_view(a, viewer, today, pending=pending.get(a.id), position=page * page_size + i + 1)
        for i, a in enumerate(actions)
    )
    inspections = (
        session.scalar(
            select(func.count(InspectionItem.id)).where(
                InspectionItem.owner_id.in_(viewer_owners(viewer)), InspectionItem.status != "closed"
            )
        )
        or 0
    )
    return ItemPage(
        kind=ACTION,
        items=items,
        page=page,
        page_size=page_size,
        total=total,
        overdue_total=int(overdue),
        other_total=inspections,
    )


def find_action(session: Session, ref: str) -> Action | None:
    """By ref, ignoring case and surrounding spaces (people type refs)."""
    ref = (ref or "").strip()
    if not ref:
        return None
    return session.scalar(select(Action).where(func.upper(Action.ref) == ref.upper()))


class ActionKind:
    """The pipeline's strategy for DARA actions (store/updates/pipeline.py)."""

    kind, model, inputs, cycle_column = ACTION, Action, ACTION_INPUTS, CycleColumn.ACTION

    def find(self, session: Session, ref: str) -> Action | None:
        return find_action(session, ref)

    def owner(self, item: Action) -> tuple[int | None, str | None]:
        return item.owner_id, item.business_group.name

    def is_closed(self, item: Action) -> bool:
        return item.status not in ACTION_OWNER_STATUSES

    def closed_on(self, item: Action) -> date | None:
        return item.closed_on

    def view(self, session: Session, viewer: Viewer, item: Action, today: date) -> ActionView:
        return action_view(item, viewer, today, pending=pending_dates(session, [item.id]).get(item.id))

    def form_data(self, session: Session) -> dict[str, Any]:
        return {"delay_reasons": tuple(delay_reasons(session))}

    def validate(
        self, session: Session, item: Action, inputs: Mapping[str, str], today: date
    ) -> tuple[ActionChange | None, dict[str, UpdateProblem]]:
        pending = pending_dates(session, [item.id]).get(item.id)
        facts = ActionFacts(
            item.status,
            item.due_date,
            item.revised_due_date,
            pending,
            item.delay_reason,
            item.evidence_note,
            item.evidence_link,
        )
        return validate_action_update(facts, inputs, delay_reasons(session), today)

    def values(self, item: Action, change: ActionChange, today: date) -> dict[str, Any]:
        values: dict[str, Any] = {"status": change.status, "last_update_on": today}
        if change.progress_note:
            values["last_update_note"] = change.progress_note
        for name in ("delay_reason", "evidence_note", "evidence_link"):
            if getattr(change, name):
                values[name] = getattr(change, name)
        if change.clear_delay_reason:
            values["delay_reason"] = None  # back on track; the history keeps the reason it had
        if change.status == "implemented" and item.status != "implemented":
            values["implemented_on"] = today
        elif change.status != "implemented" and item.implemented_on is not None:
            values["implemented_on"] = None  # reopened: it is no longer delivered
        return values

    def after_save(
        self, session: Session, viewer: Viewer, item: Action, change: ActionChange, ctx: ChangeContext
    ) -> None:
        if change.revised_date is not None:
            _propose(session, viewer, item, change.revised_date, item.delay_reason, ctx)

    def saved_data(self, change: ActionChange) -> dict[str, Any]:
        return {"proposed_date": change.revised_date}


def _propose(
    session: Session, viewer: Viewer, action: Action, proposed: date, reason: str | None, ctx: ChangeContext
) -> None:
    """A revised date waits for governance: the action's revised_due_date is NOT touched here."""
    session.execute(
        update(DueDateProposal)
        .where(DueDateProposal.action_id == action.id, pending_clause())
        .values(
            decision="withdrawn",
            decided_by_id=viewer.person_id,
            decided_at=ctx.at,
            decision_reason=REPLACED_BY_NEWER,  # a code: cards.decisions words it
        )
        .execution_options(synchronize_session=False)
    )
    session.add(
        DueDateProposal(
            action_id=action.id,
            proposed_date=proposed,
            delay_reason=reason,
            proposed_by_id=viewer.person_id,
            proposed_at=ctx.at,
            decision=PENDING,
        )
    )
    # Its own entity in the history, so rebuilding an action's past state never mistakes a
    # proposal for an accepted revised date.
    record(session, ctx, "due_date_proposal", action.ref, [Change("proposed_date", None, proposed)])
