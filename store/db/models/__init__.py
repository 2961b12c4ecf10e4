"""SQLAlchemy 2 typed models for everything in the tracker spec, in two modules: the tracker's own
tables (tracker.py) and those that keep the bot running between turns (running.py).

Enumerated values are stored as plain strings (checked on the way in by the services and the
workbook import) so that the configurable lists never need a schema change.
"""

from store.db.models.running import (
    ConversationRef,
    CycleItem,
    DialogState,
    OutboxMessage,
    ProcessedSubmission,
    ScheduleRun,
    SendRate,
    UpdateCycle,
)
from store.db.models.tracker import (
    OUTSTANDING_SQL,
    Action,
    Audit,
    Base,
    BusinessGroup,
    Cover,
    DelayReason,
    Delegation,
    DueDateProposal,
    GroupLead,
    HistoryEntry,
    InspectionItem,
    Person,
    PersonRole,
    PortalFigure,
    TrackerVersion,
)

__all__ = [
    "Base",
    "OUTSTANDING_SQL",
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
    "PortalFigure",
]
