"""Plain data for the owner's update journey, shared by store, dialogs and cards.

Pure (no SQLAlchemy, no botbuilder) so the card builders can take it without importing the
database layer. Outcomes round-trip through JSON because a saved outcome is kept in
``ProcessedSubmission.result`` and replayed when the same submission arrives again.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping

from domain.action_record import ActionRecord
from domain.text import LIMITS
from domain.update_problems import UpdateProblem

__all__ = [
    "ACTION",
    "INSPECTION",
    "ACTION_OWNER_STATUSES",
    "INSPECTION_OWNER_STATUSES",
    "ACTION_INPUTS",
    "INSPECTION_INPUTS",
    "PROGRESS_NOTE_MAX",
    "EVIDENCE_NOTE_MAX",
    "EVIDENCE_LINK_MAX",
    "FORM",
    "SAVED",
    "INVALID",
    "STALE",
    "REFUSED",
    "NOT_FOUND",
    "NOT_PERMITTED",
    "CLOSED",
    "NO_DELAY",
    "ActionView",
    "InspectionView",
    "ItemPage",
    "UpdateOutcome",
]

ACTION, INSPECTION = "action", "inspection"

# What an owner may set. 'closed' and 'superseded' are decided by DARA / Strategy & Governance.
ACTION_OWNER_STATUSES = ("open", "in progress", "implemented")
INSPECTION_OWNER_STATUSES = ("open", "submitted for closure")

# Card input ids; Teams sends them back under these names (merged into the action data).
ACTION_INPUTS = ("status", "progress_note", "delay_reason", "revised_date", "evidence_note", "evidence_link")
INSPECTION_INPUTS = ("status", "progress_note", "evidence_note", "evidence_link")

# The delay-reason choice "No delay (back on track)": clears the stored reason. Brackets keep it
# apart from any reason a workbook's Lists sheet may add.
NO_DELAY = "(no delay)"

# Teams does not enforce maxLength everywhere, so the server checks these too.
PROGRESS_NOTE_MAX = LIMITS["progress_note"]  # the caps are domain/text.py's, named for the update card
EVIDENCE_NOTE_MAX = LIMITS["evidence_note"]
EVIDENCE_LINK_MAX = LIMITS["evidence_link"]

# UpdateOutcome.status values
FORM, SAVED, INVALID, STALE, REFUSED, NOT_FOUND = "form", "saved", "invalid", "stale", "refused", "not_found"
# UpdateOutcome.refusal values: why a REFUSED outcome was refused
NOT_PERMITTED, CLOSED = "not_permitted", "closed"


@dataclass(frozen=True)
class ActionView:
    """One DARA action as an owner sees it on a card."""

    ref: str
    description: str
    audit_title: str
    risk: str
    business_group: str
    owner_name: str
    owner_email: str
    due_date: date  # original, never changes
    revised_due_date: date | None  # accepted by governance
    status: str
    version: int
    delay_reason: str | None = None
    last_update_on: date | None = None
    last_update_note: str | None = None
    evidence_note: str | None = None
    evidence_link: str | None = None
    implemented_on: date | None = None
    pending_date: date | None = None  # a proposed revised date awaiting governance
    days_overdue: int = 0  # 0 when not overdue (spec: outstanding, original due date past)
    position: int = 0  # 1-based place in the owner's most-urgent-first list
    on_behalf_of: str | None = None  # the owner's name when the viewer is not the owner

    @classmethod
    def from_record(cls, record: ActionRecord, *, position: int = 0, on_behalf_of: str | None = None) -> "ActionView":
        """The card's names for the store's facts (store/updates/records.py reads the row)."""
        return cls(
            ref=record.ref,
            description=record.description,
            audit_title=record.audit_title,
            risk=record.risk,
            business_group=record.business_group,
            owner_name=record.owner_name,
            owner_email=record.owner_email,
            due_date=record.due_date,
            revised_due_date=record.revised_due_date,
            status=record.status,
            version=record.version,
            delay_reason=record.delay_reason,
            last_update_on=record.last_update_on,
            last_update_note=record.last_update_note,
            evidence_note=record.evidence_note,
            evidence_link=record.evidence_link,
            implemented_on=record.implemented_on,
            pending_date=record.pending_date,
            days_overdue=record.days_overdue,
            position=position,
            on_behalf_of=on_behalf_of,
        )

    @property
    def effective_due_date(self) -> date:
        return self.revised_due_date or self.due_date

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


@dataclass(frozen=True)
class InspectionView:
    """One HMICFRS recommendation (rec) or area for improvement (afi)."""

    ref: str
    inspection: str
    inspection_year: str
    scope: str
    kind: str
    theme: str | None
    business_group: str | None
    owner_name: str | None
    due_date: date | None
    status: str
    version: int
    progress_note: str | None = None
    evidence_note: str | None = None
    evidence_link: str | None = None
    last_update_on: date | None = None
    days_overdue: int = 0
    position: int = 0
    on_behalf_of: str | None = None

    @property
    def kind_label(self) -> str:
        return "Recommendation" if self.kind == "rec" else "Area for improvement"

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


@dataclass(frozen=True)
class ItemPage:
    """One page of an owner's outstanding actions (or inspection items), most urgent first."""

    kind: str
    items: tuple[Any, ...]
    page: int
    page_size: int
    total: int
    overdue_total: int = 0
    other_total: int = 0  # inspection items on an action page, actions on an inspection page

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.page > 0

    @property
    def has_next(self) -> bool:
        return self.page + 1 < self.pages


@dataclass(frozen=True)
class UpdateOutcome:
    """What happened to one load or submission, as codes and data: the cards word it
    (cards/update_parts.py ``outcome_message``)."""

    status: str  # form | saved | invalid | stale | refused | not_found
    kind: str  # action | inspection
    ref: str
    action: ActionView | None = None
    inspection: InspectionView | None = None
    # invalid: what to fix, by input id (cards/update_wording.py words a problem; a str is shown as it is)
    errors: Mapping[str, UpdateProblem | str] = field(default_factory=dict)
    inputs: Mapping[str, str] = field(default_factory=dict)
    delay_reasons: tuple[str, ...] = ()
    proposed_date: date | None = None
    changed: tuple[str, ...] = ()
    changed_by: str | None = None  # for a stale card: who changed the item last (name, else email)
    changed_for: str | None = None  # ... as whose cover, when they were covering for the owner
    changed_at: datetime | None = None  # ... and when
    replayed: bool = False  # the same submission arrived again; nothing was saved twice
    refusal: str | None = None  # refused: not_permitted | closed
    group: str | None = None  # refused: the item's business group, when the viewer may see it
    item_status: str | None = None  # refused as closed: the item's status
    closed_on: date | None = None  # refused as closed: when it was closed, if known
    cycle_deadline: date | None = None  # saved: the deadline of the open update cycle that asked about it

    @property
    def item(self) -> ActionView | InspectionView | None:
        return self.action if self.kind == ACTION else self.inspection

    def to_json(self) -> dict[str, Any]:
        encoded: dict[str, Any] = _encode(dataclasses.asdict(self))
        encoded["errors"] = {k: v.to_json() if isinstance(v, UpdateProblem) else v for k, v in self.errors.items()}
        return encoded

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "UpdateOutcome":
        raw = dict(data)
        action = raw.pop("action", None)
        inspection = raw.pop("inspection", None)
        return cls(
            status=raw["status"],
            kind=raw["kind"],
            ref=raw["ref"],
            action=_view(ActionView, action),
            inspection=_view(InspectionView, inspection),
            errors={k: _problem(v) for k, v in (raw.get("errors") or {}).items()},
            inputs=dict(raw.get("inputs") or {}),
            delay_reasons=tuple(raw.get("delay_reasons") or ()),
            proposed_date=_date(raw.get("proposed_date")),
            changed=tuple(raw.get("changed") or ()),
            changed_by=raw.get("changed_by"),
            changed_for=raw.get("changed_for"),
            changed_at=_datetime(raw.get("changed_at")),
            replayed=bool(raw.get("replayed")),
            refusal=raw.get("refusal"),
            group=raw.get("group"),
            item_status=raw.get("item_status"),
            closed_on=_date(raw.get("closed_on")),
            cycle_deadline=_date(raw.get("cycle_deadline")),
        )


def _encode(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _problem(value: Any) -> UpdateProblem | str:
    return UpdateProblem.from_json(value) if isinstance(value, Mapping) else str(value)


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _datetime(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _view(cls: type, data: Mapping[str, Any] | None) -> Any:
    if not data:
        return None
    values = dict(data)
    for f in dataclasses.fields(cls):
        # Annotations are strings here (postponed evaluation): 'date' or 'date | None'.
        if f.name in values and str(f.type).split(" ")[0] == "date":
            values[f.name] = _date(values[f.name])
    return cls(**{f.name: values[f.name] for f in dataclasses.fields(cls) if f.name in values})
