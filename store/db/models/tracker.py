"""The tracker's tables: groups, people and their roles, audits, actions, HMICFRS items, history, covers.

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
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from domain.words import OUTSTANDING_STATUSES

__all__ = [
    "Base",
    "OUTSTANDING_SQL",
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
    "TrackerVersion",
    "Cover",
    "PortalFigure",
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
    received: Mapped[str] = mapped_column(String(12))  # '2019/20 Q4', or only the year: '2017/18'
    kind: Mapped[str] = mapped_column(String(12))
    assurance: Mapped[str] = mapped_column(String(20))
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    # A follow-up's original, by its audit_id as the workbook writes it (migration 0011_audit_lineage).
    follows: Mapped[Optional[str]] = mapped_column(String(60))


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
    kind: Mapped[str] = mapped_column(String(12))  # rec | afi | afi & rec
    theme: Mapped[Optional[str]] = mapped_column(String(300))
    business_group_id: Mapped[Optional[int]] = mapped_column(ForeignKey("business_groups.id"))
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("people.id"), index=True)
    due_date: Mapped[Optional[date]] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(24), index=True)
    progress_note: Mapped[Optional[str]] = mapped_column(Text)
    evidence_note: Mapped[Optional[str]] = mapped_column(Text)
    evidence_link: Mapped[Optional[str]] = mapped_column(String(1000))
    last_update_on: Mapped[Optional[date]] = mapped_column(Date)
    submitted_on: Mapped[Optional[date]] = mapped_column(Date)  # submitted for closure (migration 0011)
    closed_on: Mapped[Optional[date]] = mapped_column(Date)
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


class TrackerVersion(Base):
    """One row, bumped with any change an answer could read (migration 0009's triggers): bot/answer_cache.py."""

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


class PortalFigure(Base):
    """The HMICFRS monitoring portal's own count of open recommendations (and AFIs) in a theme on a date:
    a second source, reported beside the force's inspection tracker (migration 0011_audit_lineage)."""

    __tablename__ = "portal_figures"
    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    theme: Mapped[str] = mapped_column(String(300))
    recommendations: Mapped[int] = mapped_column(Integer)
    afis: Mapped[Optional[int]] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("as_of", "theme", name="uq_portal_figures_as_of_theme"),)
