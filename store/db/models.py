"""SQLAlchemy 2 typed models for everything in the tracker spec.

Enumerated values are stored as plain strings (checked on the way in by the services and the
workbook import) so that the configurable lists never need a schema change.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy import true
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from domain.words import OUTSTANDING_STATUSES

__all__ = [
    "Base",
    "TrackerVersion",
    "BusinessGroup",
    "DelayReason",
    "Person",
    "PersonRole",
    "GroupLead",
    "Delegation",
    "Audit",
    "Action",
    "DueDateProposal",
    "InspectionItem",
    "HistoryEntry",
    "ConversationRef",
    "UpdateCycle",
    "CycleItem",
    "OutboxMessage",
    "DialogState",
    "ProcessedSubmission",
    "SendRate",
    "Cover",
    "ScheduleRun",
]


# The partial indexes' condition: outstanding actions (about a fifth of a long-running tracker).
# store.queries.filters.outstanding() writes the same literals into its queries so that the
# planners (SQLite; PostgreSQL with generic plans) can prove the index applies.
OUTSTANDING_SQL = "status IN (" + ", ".join(f"'{s}'" for s in OUTSTANDING_STATUSES) + ")"
# Columns the figures, filters and page order read, so outstanding questions never visit the table
# (status too: SQLite counts an index as covering only if it holds the columns of its condition;
# id too: PostgreSQL has no rowid in its indexes).
_OUTSTANDING_COVER = (
    "ref",
    "business_group_id",
    "risk",
    "audit_id",
    "revised_due_date",
    "owner_id",
    "delay_reason",
    "status",
    "id",
)


def _outstanding_index(name: str, *leading: str) -> Index:
    return Index(
        name,
        *leading,
        *(c for c in _OUTSTANDING_COVER if c not in leading),
        sqlite_where=text(OUTSTANDING_SQL),
        postgresql_where=text(OUTSTANDING_SQL),
    )


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON}


class BusinessGroup(Base):
    __tablename__ = "business_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


class DelayReason(Base):
    __tablename__ = "delay_reasons"
    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[str] = mapped_column(String(200), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Person(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower case
    name: Mapped[str] = mapped_column(String(200))
    business_group_id: Mapped[Optional[int]] = mapped_column(ForeignKey("business_groups.id"))
    aad_object_id: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    # False once they have left (the People sheet's `active` column): no messages go to them any more.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    business_group: Mapped[Optional[BusinessGroup]] = relationship()
    roles: Mapped[list["PersonRole"]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def role_names(self) -> set[str]:
        return {r.role for r in self.roles}


class PersonRole(Base):
    __tablename__ = "person_roles"
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class GroupLead(Base):
    """A chief officer or SPOC leading a business group (several groups are allowed)."""

    __tablename__ = "group_leads"
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    business_group_id: Mapped[int] = mapped_column(ForeignKey("business_groups.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class Delegation(Base):
    """``delegate`` may update the actions owned by ``owner``."""

    __tablename__ = "delegations"
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)


class Audit(Base):
    __tablename__ = "audits"
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    received: Mapped[str] = mapped_column(String(12))  # '2019/20 Q4'
    kind: Mapped[str] = mapped_column(String(12))
    assurance: Mapped[str] = mapped_column(String(20))
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)


class Action(Base):
    __tablename__ = "actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(60), unique=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    risk: Mapped[str] = mapped_column(String(10))
    business_group_id: Mapped[int] = mapped_column(ForeignKey("business_groups.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    due_date: Mapped[date] = mapped_column(Date)  # the original due date: read-only after import
    revised_due_date: Mapped[Optional[date]] = mapped_column(Date)  # accepted by governance
    status: Mapped[str] = mapped_column(String(20))
    delay_reason: Mapped[Optional[str]] = mapped_column(String(200))
    key_theme: Mapped[Optional[str]] = mapped_column(String(200))
    implemented_on: Mapped[Optional[date]] = mapped_column(Date)
    closed_on: Mapped[Optional[date]] = mapped_column(Date)
    last_update_on: Mapped[Optional[date]] = mapped_column(Date)
    last_update_note: Mapped[Optional[str]] = mapped_column(Text)
    evidence_note: Mapped[Optional[str]] = mapped_column(Text)
    evidence_link: Mapped[Optional[str]] = mapped_column(String(1000))
    # Bumped on every change, so a card built from an older state can be recognised as stale.
    version: Mapped[int] = mapped_column(Integer, default=1)
    audit: Mapped[Audit] = relationship(lazy="joined")
    business_group: Mapped[BusinessGroup] = relationship(lazy="joined")
    owner: Mapped[Person] = relationship(lazy="joined")

    __table_args__ = (
        # "Delivered in quarter Q", answered from the index alone (migration 0004_query_indexes).
        Index(
            "ix_actions_implemented_cover",
            "implemented_on",
            "ref",
            "business_group_id",
            "risk",
            "audit_id",
            "owner_id",
            "id",
        ),
        # Force-wide questions, pages in due-date order (migration 0004_query_indexes).
        _outstanding_index("ix_actions_outstanding_due", "due_date"),
        # One or a few groups: a chief officer's or SPOC's "my group" (migration 0004_query_indexes).
        _outstanding_index("ix_actions_outstanding_group", "business_group_id", "due_date"),
    )

    @property
    def effective_due_date(self) -> date:
        return self.revised_due_date or self.due_date


class DueDateProposal(Base):
    """An owner's proposed revised due date, waiting for governance (or decided)."""

    __tablename__ = "due_date_proposals"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    proposed_date: Mapped[date] = mapped_column(Date)
    delay_reason: Mapped[Optional[str]] = mapped_column(String(200))
    proposed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("people.id"))
    proposed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decision: Mapped[str] = mapped_column(String(10), default="pending")  # pending|accepted|rejected
    decided_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("people.id"))
    decided_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    decision_reason: Mapped[Optional[str]] = mapped_column(Text)
    action: Mapped[Action] = relationship()


class InspectionItem(Base):
    """An HMICFRS recommendation (rec) or area for improvement (afi)."""

    __tablename__ = "inspection_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(60), unique=True)
    inspection: Mapped[str] = mapped_column(String(400))
    inspection_year: Mapped[str] = mapped_column(String(9))  # '2018/19'
    scope: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(4))
    theme: Mapped[Optional[str]] = mapped_column(String(300))
    business_group_id: Mapped[Optional[int]] = mapped_column(ForeignKey("business_groups.id"))
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("people.id"), index=True)
    due_date: Mapped[Optional[date]] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(24), index=True)
    progress_note: Mapped[Optional[str]] = mapped_column(Text)
    evidence_note: Mapped[Optional[str]] = mapped_column(Text)
    evidence_link: Mapped[Optional[str]] = mapped_column(String(1000))
    last_update_on: Mapped[Optional[date]] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    business_group: Mapped[Optional[BusinessGroup]] = relationship(lazy="joined")
    owner: Mapped[Optional[Person]] = relationship(lazy="joined")


class HistoryEntry(Base):
    """Append-only: one row per changed field. Past states are rebuilt from these rows."""

    __tablename__ = "history"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(254))  # email of the person, or 'import'
    channel: Mapped[str] = mapped_column(String(10))  # import | teams | cli
    entity: Mapped[str] = mapped_column(String(20))  # action | inspection | person | audit | ...
    entity_ref: Mapped[str] = mapped_column(String(254))
    field: Mapped[str] = mapped_column(String(60))  # '_created' marks a new row
    old_value: Mapped[Optional[str]] = mapped_column(Text)
    new_value: Mapped[Optional[str]] = mapped_column(Text)
    # The owner's email when the actor changed this as their cover ("X for Y").
    on_behalf_of: Mapped[Optional[str]] = mapped_column(String(254))

    __table_args__ = (Index("ix_history_entity", "entity", "entity_ref", "at"),)


class ConversationRef(Base):
    """A stored conversation reference, so the bot can message a person proactively."""

    __tablename__ = "conversation_refs"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[Optional[int]] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[str] = mapped_column(String(200))  # the channel's user id (Teams: 29:...)
    aad_object_id: Mapped[Optional[str]] = mapped_column(String(64), index=True)
    conversation_id: Mapped[str] = mapped_column(String(400))
    conversation_type: Mapped[str] = mapped_column(String(20), default="personal")
    service_url: Mapped[str] = mapped_column(String(400))
    tenant_id: Mapped[Optional[str]] = mapped_column(String(64))
    reference: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (UniqueConstraint("conversation_id", "user_id", name="uq_conversation_user"),)


class UpdateCycle(Base):
    __tablename__ = "update_cycles"
    id: Mapped[int] = mapped_column(primary_key=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    opened_by: Mapped[str] = mapped_column(String(254))
    deadline: Mapped[date] = mapped_column(Date)
    message: Mapped[Optional[str]] = mapped_column(Text)
    scope: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | closed
    closed_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    # Where the governance user's progress card lives, so it can be updated in place.
    progress_conversation: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    progress_activity_id: Mapped[Optional[str]] = mapped_column(String(200))
    # Days before the deadline on which non-responders are reminded ([7, 2, 0] when None).
    reminder_days: Mapped[Optional[list[int]]] = mapped_column(JSON)


class CycleItem(Base):
    """One action (or inspection item) asked about in a cycle, and whether its owner responded."""

    __tablename__ = "cycle_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("update_cycles.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    action_id: Mapped[Optional[int]] = mapped_column(ForeignKey("actions.id"))
    inspection_id: Mapped[Optional[int]] = mapped_column(ForeignKey("inspection_items.id"))
    business_group: Mapped[Optional[str]] = mapped_column(String(120))
    responded_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))


class OutboxMessage(Base):
    """One proactive message to one recipient: the durable send pipeline's unit of work."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # request | reminder | digest | outcome | progress
    cycle_id: Mapped[Optional[int]] = mapped_column(ForeignKey("update_cycles.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[Optional[int]] = mapped_column(ForeignKey("people.id"))
    # Stops the same logical message being queued twice (e.g. 'cycle:3:person:17:request').
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="queued")  # queued|sending|sent|failed|not_installed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    locked_by: Mapped[Optional[str]] = mapped_column(String(100))
    locked_until: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    last_status: Mapped[Optional[int]] = mapped_column(Integer)
    last_error: Mapped[Optional[str]] = mapped_column(Text)
    activity_id: Mapped[Optional[str]] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),)


class DialogState(Base):
    """botbuilder Storage rows (conversation and user state), so any instance can serve any turn."""

    __tablename__ = "dialog_state"
    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    etag: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProcessedSubmission(Base):
    """Idempotency: a card submission seen once is not applied twice (double clicks, retries)."""

    __tablename__ = "processed_submissions"
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)


class SendRate(Base):
    """The tenant's proactive send rate shared by every sender on PostgreSQL (store/send_rate.py):
    the next free send slot, in the database's clock (seconds since the epoch)."""

    __tablename__ = "send_rate"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    next_slot: Mapped[float] = mapped_column(Float, default=0.0)


class TrackerVersion(Base):
    """One row whose number changes in the same transaction as anything an answer reads (triggers,
    migration 0009): answers cached per process are served again while it stays the same."""

    __tablename__ = "tracker_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


class Cover(Base):
    """``cover`` stands in for ``owner`` from ``starts_on`` to ``ends_on`` (inclusive, local days):
    sees and updates the owner's actions and gets the owner's requests and reminders."""

    __tablename__ = "covers"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    cover_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ScheduleRun(Base):
    """One run of a scheduled job on one local day (store/cycles/schedules.py): the unique (job, run_on)
    makes every instance agree that it runs once; claimed with SKIP LOCKED on PostgreSQL."""

    __tablename__ = "schedule_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(40))  # cycle_reminders | due_nudges | weekly_digest
    run_on: Mapped[date] = mapped_column(Date)  # the tracker's local day
    status: Mapped[str] = mapped_column(String(10), default="due")  # due | done
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    finished_by: Mapped[Optional[str]] = mapped_column(String(100))
    queued: Mapped[int] = mapped_column(Integer, default=0)  # outbox messages the run queued
    __table_args__ = (UniqueConstraint("job", "run_on", name="uq_schedule_runs_job_day"),)
