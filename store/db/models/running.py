"""The tables that keep the bot running between turns: conversations, dialog state, update cycles,
the outbox and its send rate, processed submissions, schedule runs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.db.models.tracker import Base

__all__ = [
    "ConversationRef",
    "UpdateCycle",
    "CycleItem",
    "OutboxMessage",
    "DialogState",
    "ProcessedSubmission",
    "SendRate",
    "ScheduleRun",
]


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
    """Each user's unfinished typed conversation (dialogs/state.py), so any instance can serve any turn."""

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
    """The tenant's proactive send rate shared by every sender on PostgreSQL (store/outbox/pacing.py):
    the next free send slot, in the database's clock (seconds since the epoch)."""

    __tablename__ = "send_rate"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    next_slot: Mapped[float] = mapped_column(Float, default=0.0)


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
