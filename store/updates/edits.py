"""Governance editing the fields it owns on an action: title, risk, audit and due dates (issue 21).

The owner is not changed here: `store.people.reassign.reassign_action` does that, with the open
cycle following the action. Who may edit is `Viewer.may_edit_tracker` (domain/permissions.py). One
history row per changed field names the person and the channel; outcome codes, never sentences.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.permissions import Viewer
from domain.text import LIMITS, clean, too_long
from domain.words import RISKS
from store.db.models import Audit
from store.history import Change, ChangeContext, record
from store.updates.actions import find_action

__all__ = [
    "EDITED",
    "UNCHANGED",
    "NOT_FOUND",
    "NOT_PERMITTED",
    "STALE",
    "INVALID",
    "KEEP",
    "ActionEdit",
    "EditResult",
    "edit_action",
]

log = logging.getLogger(__name__)

EDITED, UNCHANGED, NOT_FOUND, NOT_PERMITTED, STALE, INVALID = (
    "edited",
    "unchanged",
    "not_found",
    "not_permitted",
    "stale",
    "invalid",
)
# Problem codes, by field: what the caller words beside each field.
EMPTY, TOO_LONG, UNKNOWN_RISK, UNKNOWN_AUDIT = "empty", "too_long", "unknown_risk", "unknown_audit"


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()  # a field the edit leaves as it is (None clears the revised due date)


@dataclass(frozen=True)
class ActionEdit:
    title: str | _Keep = KEEP
    risk: str | _Keep = KEEP
    audit: str | _Keep = KEEP  # the audit's id, e.g. DARA-2020-07
    due_date: date | _Keep = KEEP
    revised_due_date: date | None | _Keep = KEEP


@dataclass(frozen=True)
class EditResult:
    outcome: str
    ref: str
    version: int | None = None
    changed: tuple[str, ...] = ()
    problems: dict[str, str] = field(default_factory=dict)  # field -> problem code


def _problems(session: Session, edit: ActionEdit) -> tuple[dict[str, str], Audit | None]:
    problems: dict[str, str] = {}
    audit = None
    if not isinstance(edit.title, _Keep):
        text = clean(edit.title).strip()
        if not text:
            problems["title"] = EMPTY
        elif too_long(text, LIMITS["workbook_text"]):
            problems["title"] = TOO_LONG
    if not isinstance(edit.risk, _Keep) and edit.risk not in RISKS:
        problems["risk"] = UNKNOWN_RISK
    if not isinstance(edit.audit, _Keep):
        audit = session.scalar(select(Audit).where(Audit.audit_id == edit.audit.strip()))
        if audit is None:
            problems["audit"] = UNKNOWN_AUDIT
    return problems, audit


def edit_action(
    session: Session, viewer: Viewer, ref: str, edit: ActionEdit, *, version: int, ctx: ChangeContext
) -> EditResult:
    """Apply ``edit`` to the action ``ref`` if ``viewer`` may and nobody changed it since ``version``."""
    action = find_action(session, ref)
    if action is None:
        return EditResult(NOT_FOUND, (ref or "").strip())
    if not viewer.may_edit_tracker:
        log.info("edit refused: %s may not edit %s", viewer.email, action.ref)
        return EditResult(NOT_PERMITTED, action.ref, action.version)
    if action.version != version:
        return EditResult(STALE, action.ref, action.version)
    problems, audit = _problems(session, edit)
    if problems:
        return EditResult(INVALID, action.ref, action.version, problems=problems)
    changes: list[Change] = []
    if not isinstance(edit.title, _Keep) and clean(edit.title).strip() != action.description:
        changes.append(Change("description", action.description, clean(edit.title).strip()))
        action.description = clean(edit.title).strip()
    if not isinstance(edit.risk, _Keep) and edit.risk != action.risk:
        changes.append(Change("risk", action.risk, edit.risk))
        action.risk = edit.risk
    if audit is not None and audit.id != action.audit_id:
        changes.append(Change("audit", action.audit.audit_id, audit.audit_id))
        action.audit_id, action.audit = audit.id, audit
    if not isinstance(edit.due_date, _Keep) and edit.due_date != action.due_date:
        changes.append(Change("due_date", action.due_date, edit.due_date))
        action.due_date = edit.due_date
    if not isinstance(edit.revised_due_date, _Keep) and edit.revised_due_date != action.revised_due_date:
        changes.append(Change("revised_due_date", action.revised_due_date, edit.revised_due_date))
        action.revised_due_date = edit.revised_due_date
    if not changes:
        return EditResult(UNCHANGED, action.ref, action.version)
    action.version += 1  # cards and pages showing the old values are now stale
    record(session, ctx, "action", action.ref, changes)
    session.flush()
    log.info("action %s edited by %s: %s", action.ref, ctx.actor, ", ".join(c.field for c in changes))
    return EditResult(EDITED, action.ref, action.version, tuple(c.field for c in changes))
