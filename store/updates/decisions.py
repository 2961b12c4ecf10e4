"""Governance decisions: proposed revised due dates and closure proposals (implemented actions).

* Revised date accepted: Action.revised_due_date = the proposed date (history recorded); the
  proposal is marked accepted (other pending proposals for the action are superseded).
  Rejected: the proposal is marked rejected; the action keeps its dates.
* Closure accepted: status 'closed', closed_on = today. Rejected: back to 'in progress'
  (implemented_on cleared: it was not delivered) with the reason in the history.
Each decision carries a reason (required to reject) and the owner is told: ONE 'outcome'
message per owner per call, queued in the outbox with everything decided for them.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.decisions import (
    ALREADY_DECIDED,
    CLOSURE,
    DATE_OUT_OF_RANGE,
    DECIDED,
    NO_SUCH_ACTION,
    NO_SUCH_PROPOSAL,
    NOT_PERMITTED,
    NOT_PROPOSED,
    OTHER_DATE_ACCEPTED,
    REASON_NEEDED,
    REASON_TOO_LONG,
    REVISED,
    UNKNOWN_KIND,
    Decision,
    DecisionResult,
)
from domain.message_parts import DecisionLine
from domain.messages import Outcome
from domain.permissions import Viewer
from domain.text import LIMITS, clean, date_window
from store.db.models import Action, Audit, BusinessGroup, DueDateProposal, Person
from store.history import Change, ChangeContext, apply_changes, record
from store.outbox.queue import NewMessage, enqueue
from store.updates.proposals import PENDING, pending_clause

__all__ = [
    "PendingRevised",
    "PendingClosure",
    "Pending",
    "pending_decisions",
    "decide",
    "closures_for_export",
    "CLOSURE_COLUMNS",
    "MAX_REASON",
]

log = logging.getLogger(__name__)
MAX_REASON = LIMITS["decision_reason"]
CLOSURE_COLUMNS = (
    "ref",
    "audit_id",
    "audit",
    "risk",
    "business_group",
    "owner",
    "owner_email",
    "description",
    "due_date",
    "revised_due_date",
    "implemented_on",
    "evidence_note",
    "evidence_link",
    "last_update_on",
    "last_update_note",
)


@dataclass(frozen=True)
class PendingRevised:
    proposal_id: int
    ref: str
    title: str
    owner: str
    group: str
    due: date
    revised: date | None  # the currently accepted revised date, if any
    proposed: date
    delay_reason: str | None
    proposed_on: date


@dataclass(frozen=True)
class PendingClosure:
    action_id: int
    ref: str
    title: str
    owner: str
    group: str
    due: date
    implemented_on: date | None
    evidence: str | None


@dataclass(frozen=True)
class Pending:
    revised: tuple[PendingRevised, ...]
    closures: tuple[PendingClosure, ...]

    def as_json(self) -> dict[str, Any]:
        def plain(row: Any) -> dict[str, Any]:
            return {k: v.isoformat() if isinstance(v, date) else v for k, v in row.__dict__.items()}

        return {"revised": [plain(r) for r in self.revised], "closures": [plain(c) for c in self.closures]}


def _title(description: str) -> str:
    return " ".join(description.split())


def pending_decisions(session: Session, groups: Iterable[str] | None = None) -> Pending:
    """Proposed revised dates waiting for governance, and implemented actions proposed for closure."""
    group_filter = list(groups) if groups is not None else None
    q = (
        select(
            DueDateProposal,
            Action.ref,
            Action.description,
            Action.due_date,
            Action.revised_due_date,
            Person.name,
            BusinessGroup.name,
        )
        .join(Action, Action.id == DueDateProposal.action_id)
        .join(Person, Person.id == Action.owner_id)
        .join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
        .where(pending_clause())
        .order_by(DueDateProposal.proposed_at, DueDateProposal.id)
    )
    c = (
        select(
            Action.id,
            Action.ref,
            Action.description,
            Action.due_date,
            Action.implemented_on,
            Action.evidence_note,
            Action.evidence_link,
            Person.name,
            BusinessGroup.name,
        )
        .join(Person, Person.id == Action.owner_id)
        .join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
        .where(Action.status == "implemented")
        .order_by(Action.implemented_on, Action.ref)
    )
    if group_filter is not None:
        q, c = q.where(BusinessGroup.name.in_(group_filter)), c.where(BusinessGroup.name.in_(group_filter))
    revised = tuple(
        PendingRevised(
            p.id, ref, _title(desc), owner, group, due, rev, p.proposed_date, p.delay_reason, p.proposed_at.date()
        )
        for p, ref, desc, due, rev, owner, group in session.execute(q)
    )
    closures = tuple(
        PendingClosure(aid, ref, _title(desc), owner, group, due, done, " ".join(filter(None, (note, link))) or None)
        for aid, ref, desc, due, done, note, link, owner, group in session.execute(c)
    )
    return Pending(revised, closures)


def _note(session: Session, ctx: ChangeContext, ref: str, what: str, words: str, reason: str) -> None:
    """The decision and its reason, as its own history entity (never mistaken for an action field)."""
    record(session, ctx, "decision", ref, [Change(what, None, f"{words}: {reason}" if reason else words)])


def _reason(decision: Decision) -> tuple[str, None] | tuple[None, DecisionResult]:
    """(the cleaned reason, None) or (None, the refusal): too long is refused, never cut."""
    reason = " ".join(clean(decision.reason).split())
    if len(reason) > MAX_REASON:
        return None, DecisionResult(decision, False, None, REASON_TOO_LONG, str(len(reason)))
    if not reason and not decision.accept:
        return None, DecisionResult(decision, False, None, REASON_NEEDED)
    return reason, None


def _decide_revised(
    session: Session, d: Decision, reason: str, ctx: ChangeContext, decided_by_id: int | None, today: date
) -> tuple[DecisionResult, Action | None, DecisionLine | None]:
    proposal = session.get(DueDateProposal, d.id)
    if proposal is None:
        return DecisionResult(d, False, None, NO_SUCH_PROPOSAL), None, None
    action = proposal.action
    if proposal.decision != PENDING:
        return DecisionResult(d, False, action.ref, ALREADY_DECIDED, proposal.decision), None, None
    if d.accept and not today < proposal.proposed_date <= date_window(today):
        # Proposals stored before the ten-year rule (9999-12-31 once broke the panel report for everyone).
        return (
            DecisionResult(d, False, action.ref, DATE_OUT_OF_RANGE, date=proposal.proposed_date.isoformat()),
            None,
            None,
        )
    proposal.decision = "accepted" if d.accept else "rejected"
    proposal.decided_by_id, proposal.decided_at, proposal.decision_reason = decided_by_id, ctx.at, reason or None
    words = f"revised due date {proposal.proposed_date.isoformat()} {proposal.decision}"
    _note(session, ctx, action.ref, "revised_due_date", words, reason)
    if d.accept:
        record(session, ctx, "action", action.ref, apply_changes(action, {"revised_due_date": proposal.proposed_date}))
        action.version = (action.version or 1) + 1
        for other in session.scalars(
            select(DueDateProposal).where(
                DueDateProposal.action_id == action.id, pending_clause(), DueDateProposal.id != proposal.id
            )
        ):
            other.decision, other.decided_at, other.decided_by_id = "rejected", ctx.at, decided_by_id
            other.decision_reason = OTHER_DATE_ACCEPTED  # a code: cards.decisions words it
    outcome = DecisionLine(
        kind="revised",
        ref=action.ref,
        title=_title(action.description)[:200],
        accepted=d.accept,
        date=proposal.proposed_date.isoformat(),
        reason=reason or None,
    )
    return (
        DecisionResult(d, True, action.ref, DECIDED, proposal.decision, proposal.proposed_date.isoformat()),
        action,
        outcome,
    )


def _decide_closure(
    session: Session, d: Decision, reason: str, ctx: ChangeContext, today: date
) -> tuple[DecisionResult, Action | None, DecisionLine | None]:
    action = session.get(Action, d.id)
    if action is None:
        return DecisionResult(d, False, None, NO_SUCH_ACTION), None, None
    if action.status != "implemented":
        return DecisionResult(d, False, action.ref, NOT_PROPOSED, action.status), None, None
    values = {"status": "closed", "closed_on": today} if d.accept else {"status": "in progress", "implemented_on": None}
    record(session, ctx, "action", action.ref, apply_changes(action, values))
    words = "closure accepted" if d.accept else "closure rejected"
    _note(session, ctx, action.ref, "closure", words, reason)
    action.version = (action.version or 1) + 1
    outcome = DecisionLine(
        kind="closure",
        ref=action.ref,
        title=_title(action.description)[:200],
        accepted=d.accept,
        date=today.isoformat() if d.accept else None,
        reason=reason or None,
    )
    return DecisionResult(d, True, action.ref, DECIDED, "accepted" if d.accept else "rejected"), action, outcome


def decide(
    session: Session, viewer: Viewer, *, decisions: Iterable[Decision], ctx: ChangeContext, today: date
) -> list[DecisionResult]:
    """Apply each decision as `viewer` (one by one or in bulk); each failure is reported and changes nothing.

    Only someone who may decide (domain/permissions.py) does: anyone else gets every decision back
    refused with NOT_PERMITTED. Owners are told the outcomes: one outbox message per owner listing
    what was decided."""
    decisions = list(decisions)
    if not viewer.may_decide:
        log.info("decisions refused: person %s may not decide", viewer.person_id)
        return [DecisionResult(d, False, None, NOT_PERMITTED) for d in decisions]
    decided_by_id, decided_by_name = viewer.person, viewer.name
    results: list[DecisionResult] = []
    told: dict[int, list[DecisionLine]] = defaultdict(list)
    keys: dict[int, list[str]] = defaultdict(list)
    for d in decisions:
        reason, refusal = _reason(d)
        if reason is None:
            assert refusal is not None
            results.append(refusal)
            continue
        if d.kind == REVISED:
            result, action, outcome = _decide_revised(session, d, reason, ctx, decided_by_id, today)
        elif d.kind == CLOSURE:
            result, action, outcome = _decide_closure(session, d, reason, ctx, today)
        else:
            result, action, outcome = DecisionResult(d, False, None, UNKNOWN_KIND, d.kind), None, None
        results.append(result)
        if action is not None and outcome is not None:
            told[action.owner_id].append(outcome)
            keys[action.owner_id].append(f"{d.kind}:{d.id}:{action.version}")
    session.flush()
    messages = []
    for owner_id, outcomes in told.items():
        owner = session.get(Person, owner_id)
        digest = hashlib.sha1("|".join(sorted(keys[owner_id])).encode()).hexdigest()[:20]
        messages.append(
            NewMessage(
                Outcome(
                    owner=owner.name if owner else "", decided_by=decided_by_name or ctx.actor, items=tuple(outcomes)
                ),
                f"outcome:{owner_id}:{digest}",
                person_id=owner_id,
            )
        )
    enqueue(session, messages, ctx.at)
    return results


def closures_for_export(session: Session) -> list[list[Any]]:
    """The actions proposed for closure (status implemented), one row each in CLOSURE_COLUMNS order."""
    rows = session.execute(
        select(
            Action.ref,
            Audit.audit_id,
            Audit.title,
            Action.risk,
            BusinessGroup.name,
            Person.name,
            Person.email,
            Action.description,
            Action.due_date,
            Action.revised_due_date,
            Action.implemented_on,
            Action.evidence_note,
            Action.evidence_link,
            Action.last_update_on,
            Action.last_update_note,
        )
        .join(Audit, Audit.id == Action.audit_id)
        .join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
        .join(Person, Person.id == Action.owner_id)
        .where(Action.status == "implemented")
        .order_by(Audit.audit_id, Action.ref)
    )
    return [list(r) for r in rows]
