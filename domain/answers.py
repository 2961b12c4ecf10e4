"""What a question's answer holds: counts first, then one page of rows, then chart series.

Plain frozen dataclasses, so the card builders (cards/answers.py) stay pure. The filters applied
and the notes that qualify an answer are facts and codes (domain/answer_notes.py), and so are its
charts (domain/charts.py): cards/answers.py and cards/charts.py word them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Union

from domain.action_record import ActionRecord
from domain.answer_notes import FilterTerm, Note
from domain.charts import Chart, ChartData
from domain.question import Intent
from domain.rules import pct_half_up

__all__ = [
    "PAGE_SIZE",
    "ALL",
    "GROUPS",
    "OWN",
    "OUT_OF_SCOPE",
    "UNKNOWN_GROUP",
    "AnswerScope",
    "Refusal",
    "Row",
    "InspectionRow",
    "Page",
    "Chart",
    "ChartData",
    "GroupFigures",
    "Figures",
    "Answer",
    "HistoryLine",
    "ActionDetail",
    "InspectionDetail",
]

PAGE_SIZE = 10

# AnswerScope.kind values, and Refusal.kind values
ALL, GROUPS, OWN = "all", "groups", "own"
OUT_OF_SCOPE, UNKNOWN_GROUP = "out_of_scope", "unknown_group"


@dataclass(frozen=True)
class AnswerScope:
    """What a question may cover. ``groups`` and ``owner_ids`` both restrict (AND) when set."""

    kind: str  # all | groups | own
    groups: tuple[str, ...] = ()  # only these business groups (empty: no group restriction)
    owner_ids: tuple[int, ...] = ()  # only these owners (empty: no owner restriction)
    note: Note | None = None  # said on the card (why an owner sees only their own: OWN_ONLY)

    @property
    def multi_group(self) -> bool:
        """True when an answer spans several groups (charts then go by group)."""
        return self.kind != OWN and len(self.groups) != 1

    @property
    def label(self) -> str:
        """'in Met Operations', 'across the force', 'among your actions'."""
        if self.kind == OWN:
            where = f" in {_join(self.groups)}" if self.groups else ""
            return f"among your actions{where}"
        return f"in {_join(self.groups)}" if self.groups else "across the force"


@dataclass(frozen=True)
class Refusal:
    """A question that cannot be answered for this viewer, and what they may ask instead."""

    kind: str  # out_of_scope | unknown_group
    asked: tuple[str, ...]  # the group(s) asked about
    allowed: tuple[str, ...] = ()  # out_of_scope: the groups this viewer may ask about
    known: tuple[str, ...] = ()  # unknown_group: every group the tracker knows


def _join(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class Row:
    """One action in a list."""

    ref: str
    title: str
    owner: str
    group: str
    due_date: date  # the original due date
    effective_due: date  # accepted revised date, else the original
    days_overdue: int  # 0 unless outstanding and past the original due date
    delay_reason: str | None
    revised_date: date | None  # the accepted revised due date
    status: str
    implemented_on: date | None = None
    kind: str = "action"


@dataclass(frozen=True)
class InspectionRow:
    """One HMICFRS recommendation or area for improvement in a list."""

    ref: str
    title: str  # the inspection's name
    item_kind: str  # rec | afi
    theme: str | None
    owner: str | None
    group: str | None
    due_date: date | None
    status: str
    days_overdue: int = 0
    kind: str = "inspection"


AnyRow = Union[Row, InspectionRow]


@dataclass(frozen=True)
class Page:
    rows: tuple[AnyRow, ...]
    number: int  # 0-based
    size: int
    total: int  # rows matching the question, over every page

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size)) if self.size else 1

    @property
    def has_previous(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return (self.number + 1) * self.size < self.total

    @property
    def first(self) -> int:
        """1-based position of the first row shown (0 when empty)."""
        return self.number * self.size + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.number * self.size + len(self.rows)


@dataclass(frozen=True)
class GroupFigures:
    group: str
    outstanding: int
    overdue: int

    @property
    def pct_overdue(self) -> int:
        return pct_half_up(self.overdue, self.outstanding) or 0  # 0% of nothing outstanding


@dataclass(frozen=True)
class Figures:
    """The counts of one answer; None where the question's kind does not compute it."""

    outstanding: int = 0
    overdue: int = 0
    overdue_with_revised: int = 0
    audits: int | None = None
    forthcoming: int | None = None
    due_by_quarter_end: int | None = None
    quarter_end: date | None = None
    window_from: date | None = None
    window_to: date | None = None
    delivered: int | None = None
    delivered_original: int | None = None
    delivered_follow_up: int | None = None
    stale: int | None = None
    stale_before: date | None = None
    with_delay_reason: int | None = None
    inspections_open: int | None = None
    new_actions: int | None = None  # actions of audits received in the window's quarters
    with_key_theme: int | None = None  # outstanding actions with a key theme

    @property
    def pct_overdue(self) -> int:
        return pct_half_up(self.overdue, self.outstanding) or 0  # 0% of nothing outstanding


@dataclass(frozen=True)
class Answer:
    intent: Intent
    text: str  # the question as asked
    scope: AnswerScope
    figures: Figures
    page: Page
    filters: tuple[FilterTerm | str, ...] = ()  # the filters applied (a str: words already chosen)
    charts: tuple[ChartData | Chart, ...] = ()  # (a Chart: words already chosen)
    by_group: tuple[GroupFigures, ...] = ()
    breakdown: tuple[tuple[str, int], ...] = ()  # delay reasons, themes or audits with counts
    params: dict[str, Any] = field(default_factory=dict)  # the question, for paging buttons
    notes: tuple[Note | str, ...] = ()  # (a str: words already chosen)
    today: date | None = None
    by: str | None = None  # what ``by_group`` goes by: group | owner | source (domain.question.BREAKDOWNS)
    percent: bool = False  # the question asked for a rate: the table is ranked by % overdue


@dataclass(frozen=True)
class HistoryLine:
    at: date
    actor: str
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class ActionDetail:
    ref: str
    description: str
    audit: str
    audit_received: str
    audit_kind: str
    assurance: str
    risk: str
    monitored: bool
    group: str
    owner: str
    owner_email: str
    status: str
    due_date: date
    revised_due_date: date | None
    effective_due: date
    days_overdue: int
    delay_reason: str | None
    key_theme: str | None
    implemented_on: date | None
    closed_on: date | None
    last_update_on: date | None
    last_update_note: str | None
    evidence_note: str | None
    evidence_link: str | None
    pending_revised_date: date | None
    history: tuple[HistoryLine, ...] = ()
    kind: str = "action"

    @classmethod
    def from_record(cls, record: ActionRecord, *, history: tuple[HistoryLine, ...] = ()) -> "ActionDetail":
        """The tab's names for the store's facts: these names are the keys of the JSON web/api.py returns."""
        return cls(
            ref=record.ref,
            description=record.description,
            audit=record.audit_title,
            audit_received=record.audit_received,
            audit_kind=record.audit_kind,
            assurance=record.assurance,
            risk=record.risk,
            monitored=record.monitored,
            group=record.business_group,
            owner=record.owner_name,
            owner_email=record.owner_email,
            status=record.status,
            due_date=record.due_date,
            revised_due_date=record.revised_due_date,
            effective_due=record.effective_due_date,
            days_overdue=record.days_overdue,
            delay_reason=record.delay_reason,
            key_theme=record.key_theme,
            implemented_on=record.implemented_on,
            closed_on=record.closed_on,
            last_update_on=record.last_update_on,
            last_update_note=record.last_update_note,
            evidence_note=record.evidence_note,
            evidence_link=record.evidence_link,
            pending_revised_date=record.pending_date,
            history=history,
        )


@dataclass(frozen=True)
class InspectionDetail:
    ref: str
    inspection: str
    inspection_year: str
    scope: str
    item_kind: str
    theme: str | None
    group: str | None
    owner: str | None
    due_date: date | None
    status: str
    progress_note: str | None
    evidence_note: str | None
    evidence_link: str | None
    last_update_on: date | None
    history: tuple[HistoryLine, ...] = ()
    kind: str = "inspection"
