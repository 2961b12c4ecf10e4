"""The owner-update rules (issue 3), pure: what a submission must satisfy before it is saved.

Teams does not enforce date limits, lengths or required fields reliably (and the Action.Submit
fallback enforces nothing), so every rule is checked here, on the server. Errors are keyed by
the card input id so the card can show each one beside its field; they are codes and facts
(domain/update_problems.py), worded by cards/update_wording.py.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping, Sequence

from domain import update_problems as P
from domain.evidence import link_problem, normalise_links
from domain.text import clean, date_window
from domain.update_problems import UpdateProblem
from domain.update_views import (
    ACTION_OWNER_STATUSES,
    EVIDENCE_LINK_MAX,
    EVIDENCE_NOTE_MAX,
    INSPECTION_OWNER_STATUSES,
    NO_DELAY,
    PROGRESS_NOTE_MAX,
)
from domain.words import OUTSTANDING_STATUSES

__all__ = [
    "ActionFacts",
    "ActionChange",
    "InspectionFacts",
    "InspectionChange",
    "normalise_inputs",
    "submission_key",
    "validate_action_update",
    "validate_inspection_update",
    "parse_iso_date",
]


_TEXT_LIMITS = {
    "progress_note": PROGRESS_NOTE_MAX,
    "evidence_note": EVIDENCE_NOTE_MAX,
    "evidence_link": EVIDENCE_LINK_MAX,
}


@dataclass(frozen=True)
class ActionFacts:
    """What the rules need to know about the stored action."""

    status: str
    due_date: date
    revised_due_date: date | None
    pending_date: date | None
    delay_reason: str | None
    evidence_note: str | None = None
    evidence_link: str | None = None


@dataclass(frozen=True)
class ActionChange:
    """A valid submission, ready to apply."""

    status: str
    progress_note: str | None
    delay_reason: str | None  # None = keep the stored reason (unless clear_delay_reason)
    revised_date: date | None  # a NEW proposal (None when absent or equal to the pending one)
    evidence_note: str | None
    evidence_link: str | None  # links one per line (domain.evidence), None = keep what is on file
    clear_delay_reason: bool = False  # "No delay (back on track)": the stored reason goes


@dataclass(frozen=True)
class InspectionFacts:
    status: str
    evidence_note: str | None = None
    evidence_link: str | None = None


@dataclass(frozen=True)
class InspectionChange:
    status: str
    progress_note: str | None
    evidence_note: str | None
    evidence_link: str | None


def normalise_inputs(data: Mapping[str, Any], fields: Sequence[str]) -> dict[str, str]:
    """Only the card's own inputs, cleaned (domain.text) and trimmed, empty values dropped (Teams sends "")."""
    out: dict[str, str] = {}
    for name in fields:
        value = data.get(name)
        if value is None:
            continue
        text = clean(value).strip()
        if name == "status":
            text = " ".join(text.lower().split())
        if text:
            out[name] = text
    return out


def submission_key(person_id: int, kind: str, ref: str, version: int | None, inputs: Mapping[str, str]) -> str:
    """Same person, same item, same card version, same inputs = the same submission."""
    payload = json.dumps(
        {"p": person_id, "k": kind, "r": ref.upper(), "v": version, "i": dict(inputs)},
        sort_keys=True,
        ensure_ascii=True,
    )
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def parse_iso_date(value: str) -> date | None:
    """Input.Date sends YYYY-MM-DD; tolerate a time suffix some clients add."""
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


Errors = dict[str, UpdateProblem]


def _lengths(inputs: Mapping[str, str], errors: Errors) -> None:
    for name, limit in _TEXT_LIMITS.items():
        value = inputs.get(name)
        if value is not None and len(value) > limit:
            errors[name] = UpdateProblem(P.TOO_LONG, count=len(value), limit=limit)


def _link(inputs: Mapping[str, str], errors: Errors) -> None:
    """One or more https links (domain.evidence); anything else is refused, not dropped."""
    link = inputs.get("evidence_link")
    if link is None or "evidence_link" in errors:
        return
    # Only https links: a javascript:, file: or plain-http URL on a governance card would be a hazard.
    if (problem := link_problem(link)) is not None:
        errors["evidence_link"] = problem


def _evidence_required(
    facts: ActionFacts | InspectionFacts, inputs: Mapping[str, str], errors: Errors, code: str
) -> None:
    """A note and/or a link, given now or already on file (the card leaves stored evidence out of the boxes)."""
    if not any(inputs.get(n) or getattr(facts, n) for n in ("evidence_note", "evidence_link")):
        errors.setdefault("evidence_note", UpdateProblem(code))


def _new_evidence(facts: ActionFacts | InspectionFacts, inputs: Mapping[str, str]) -> bool:
    """Sending back what is on file (the same note, the same links in any spacing) is not a change."""
    note, links = inputs.get("evidence_note"), normalise_links(inputs.get("evidence_link"))
    return bool((note and note != facts.evidence_note) or (links and links != normalise_links(facts.evidence_link)))


def _delay_reason(
    facts: ActionFacts, inputs: Mapping[str, str], delay_reasons: Sequence[str], *, overdue: bool, errors: Errors
) -> str | None:
    """The reason chosen (NO_DELAY to clear it), checked against the list and the rules that need one."""
    reason = inputs.get("delay_reason")
    if reason == NO_DELAY:
        # A late action, or a new date, needs its reason: "back on track" cannot clear it then.
        if overdue:
            errors["delay_reason"] = UpdateProblem(P.KEEPS_DELAY_REASON)
        elif inputs.get("revised_date") is not None:
            errors["delay_reason"] = UpdateProblem(P.REASON_FOR_PROPOSAL)
        elif facts.pending_date is not None:
            errors["delay_reason"] = UpdateProblem(P.REASON_WHILE_PENDING, on=facts.pending_date)
        return reason
    if reason is not None and reason not in delay_reasons:
        errors["delay_reason"] = UpdateProblem(P.REASON_NOT_LISTED)
    if (overdue or inputs.get("revised_date") is not None) and not (reason or facts.delay_reason):
        errors.setdefault(
            "delay_reason", UpdateProblem(P.REASON_NEEDED_OVERDUE if overdue else P.REASON_NEEDED_PROPOSAL)
        )
    return reason


def validate_action_update(
    facts: ActionFacts, inputs: Mapping[str, str], delay_reasons: Sequence[str], today: date
) -> tuple[ActionChange | None, Errors]:
    """Check a normalised submission against every rule; errors keyed by input id."""
    errors: Errors = {}
    status = inputs.get("status") or facts.status
    if status not in ACTION_OWNER_STATUSES:
        errors["status"] = UpdateProblem(P.ACTION_STATUS_NOT_OWNERS)
    _lengths(inputs, errors)
    _link(inputs, errors)

    proposed: date | None = None
    raw_date = inputs.get("revised_date")
    if raw_date is not None:
        proposed = parse_iso_date(raw_date)
        if proposed is None:
            errors["revised_date"] = UpdateProblem(P.DATE_UNREADABLE)
        elif proposed <= today:
            errors["revised_date"] = UpdateProblem(P.DATE_NOT_FUTURE, on=today)
        elif proposed > date_window(today):
            errors["revised_date"] = UpdateProblem(P.DATE_TOO_FAR, on=date_window(today))
        elif proposed <= facts.due_date:
            errors["revised_date"] = UpdateProblem(P.DATE_NOT_AFTER_DUE, on=facts.due_date)
        elif proposed == facts.revised_due_date:
            errors["revised_date"] = UpdateProblem(P.DATE_ALREADY_AGREED)
        elif status == "implemented":
            errors["revised_date"] = UpdateProblem(P.DATE_WITH_IMPLEMENTED)
    new_proposal = proposed if proposed is not None and proposed != facts.pending_date else None

    # Overdue = still outstanding with the ORIGINAL due date past (the spec); marking it
    # implemented ends that, so a reason is then not demanded.
    overdue = facts.due_date < today and status in OUTSTANDING_STATUSES
    reason = _delay_reason(facts, inputs, delay_reasons, overdue=overdue, errors=errors)
    clear = reason == NO_DELAY and facts.delay_reason is not None
    if reason == NO_DELAY:
        reason = None

    if status == "implemented" and facts.status != "implemented":
        _evidence_required(facts, inputs, errors, P.EVIDENCE_FOR_IMPLEMENTED)

    changes_something = (
        status != facts.status
        or inputs.get("progress_note")
        or new_proposal
        or (reason and reason != facts.delay_reason)
        or clear
        or _new_evidence(facts, inputs)
    )
    if not changes_something and not errors:
        errors["progress_note"] = UpdateProblem(P.NOTHING_TO_SAVE)
    if errors:
        return None, errors
    return ActionChange(
        status=status,
        progress_note=inputs.get("progress_note"),
        delay_reason=reason,
        revised_date=new_proposal,
        evidence_note=inputs.get("evidence_note"),
        evidence_link=normalise_links(inputs.get("evidence_link")),
        clear_delay_reason=clear,
    ), {}


def validate_inspection_update(
    facts: InspectionFacts, inputs: Mapping[str, str]
) -> tuple[InspectionChange | None, Errors]:
    errors: Errors = {}
    status = inputs.get("status") or facts.status
    # An item in a national holding position may keep it (and take a note); nothing else.
    allowed = INSPECTION_OWNER_STATUSES + ((facts.status,) if facts.status == "holding" else ())
    if status not in allowed:
        errors["status"] = UpdateProblem(P.INSPECTION_STATUS_NOT_OWNERS)
    _lengths(inputs, errors)
    _link(inputs, errors)
    if status == "submitted for closure" and facts.status != "submitted for closure":
        _evidence_required(facts, inputs, errors, P.EVIDENCE_FOR_CLOSURE)
    changes_something = status != facts.status or inputs.get("progress_note") or _new_evidence(facts, inputs)
    if not changes_something and not errors:
        errors["progress_note"] = UpdateProblem(P.NOTHING_TO_SAVE)
    if errors:
        return None, errors
    return InspectionChange(
        status=status,
        progress_note=inputs.get("progress_note"),
        evidence_note=inputs.get("evidence_note"),
        evidence_link=normalise_links(inputs.get("evidence_link")),
    ), {}
