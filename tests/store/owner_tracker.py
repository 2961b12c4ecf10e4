"""A small hand-made tracker for the owner-update tests: every role and edge the rules care about.

t = build(session, TODAY)     # flushes; the test commits if it needs to
t.viewer("olivia"), t.action("OVR-1"), ...
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.update_views import ACTION, UpdateOutcome
from store.db.models import Action, Audit, Delegation, HistoryEntry, InspectionItem
from store.history import ChangeContext
from store.updates.pipeline import apply_update
from tests.builders import HandTracker, groups_by_name

__all__ = ["OwnerTracker", "build", "PEOPLE", "REASON", "at", "save", "history", "count"]

REASON = "Resource challenges"  # one of the configured delay reasons

MET, CORP = "Met Operations", "Corporate Services"
# key -> (name, group, roles); SPOCs and chief officers lead their own group
PEOPLE = {
    "olivia": ("Olivia Owen", MET, ("owner",)),
    "laura": ("Laura Mills", MET, ("owner",)),  # olivia's delegate
    "sam": ("Sam Spencer", MET, ("owner", "spoc")),  # Met Operations SPOC
    "colin": ("Colin Chambers", MET, ("chief_officer",)),
    "grace": ("Grace Gordon", CORP, ("governance",)),
    "dev": ("Dev Patel", CORP, ("owner", "spoc")),  # SPOC of another group
    "amelia": ("Amelia Hart", CORP, ("owner",)),
}


OwnerTracker = HandTracker  # the name the owner-update tests give their tracker


def build(session: Session, today: date) -> OwnerTracker:
    t = OwnerTracker(session, today)
    groups = groups_by_name(session)
    t.add_people(PEOPLE)
    session.add(Delegation(owner_id=t.people["olivia"].id, delegate_id=t.people["laura"].id))
    audit = Audit(
        audit_id="AUD-1",
        title="Case File Management – Disclosure",
        received="2025/26 Q1",
        kind="original",
        assurance="limited",
    )
    session.add(audit)
    d = timedelta

    def add(ref: str, owner: str, due: date, status: str = "in progress", group: str = MET, **extra: object) -> None:
        session.add(
            Action(
                ref=ref,
                audit=audit,
                description=f"Deliver the {ref.lower()} improvement plan",
                risk="high",
                business_group=groups[group],
                owner=t.people[owner],
                due_date=due,
                status=status,
                version=1,
                **extra,
            )
        )

    add("OVR-1", "olivia", today - d(30))  # overdue 30 days, no delay reason yet
    add("OVR-2", "olivia", today - d(90), status="open")  # overdue 90 days: most urgent
    add("FUT-1", "olivia", today + d(40))
    add("FUT-3", "olivia", today + d(60), status="open")
    add("FUT-2", "olivia", today + d(10), revised_due_date=today + d(100))  # effective date later
    add("CLS-1", "olivia", today - d(200), status="closed", closed_on=today - d(20))
    add("IMP-1", "olivia", today - d(5), status="implemented", implemented_on=today - d(3))
    add("LAU-1", "laura", today + d(5))
    add("AME-1", "amelia", today + d(20), group=CORP)

    def item(ref: str, owner: str, status: str, due: date | None, group: str = MET) -> None:
        session.add(
            InspectionItem(
                ref=ref,
                inspection="PEEL (Integrated)",
                inspection_year="2018/19",
                scope="force",
                kind="afi",
                theme="PEEL",
                business_group=groups[group],
                owner=t.people[owner],
                due_date=due,
                status=status,
                version=1,
            )
        )

    item("HMI-1", "olivia", "open", today - d(5))
    item("HMI-2", "olivia", "holding", today + d(30))
    item("HMI-3", "olivia", "closed", today - d(50))
    item("HMI-4", "amelia", "open", today + d(3), group=CORP)
    session.flush()
    return t


def at(today: date, hour: int = 9) -> datetime:
    return datetime(today.year, today.month, today.day, hour, 30, tzinfo=timezone.utc)


def save(
    t: OwnerTracker,
    who: str,
    ref: str,
    *,
    version: int | None = -1,
    key: str | None = None,
    hour: int = 9,
    kind: str = ACTION,
    **inputs: object,
) -> UpdateOutcome:
    """Submit an update of an action (or, ``kind``, an HMICFRS item) as ``who`` would from a card
    (version -1 = the card is current)."""
    viewer = t.viewer(who)
    if version == -1:
        model = Action if kind == ACTION else InspectionItem
        current = t.session.scalar(select(model.version).where(model.ref == ref))
        version = current if current is not None else 1
    ctx = ChangeContext(viewer.email, "teams", at(t.today, hour))
    return apply_update(
        t.session,
        viewer,
        kind=kind,
        ref=ref,
        submission=inputs,
        expected_version=version,
        idempotency_key=key,
        ctx=ctx,
        today=t.today,
    )


def history(t: OwnerTracker, ref: str, entity: str = "action") -> dict[str, tuple[str | None, str | None]]:
    rows = t.session.execute(
        select(HistoryEntry).where(HistoryEntry.entity == entity, HistoryEntry.entity_ref == ref)
    ).scalars()
    return {r.field: (r.old_value, r.new_value) for r in rows}


def count(t: OwnerTracker, model: type) -> int:
    return t.session.scalar(select(func.count()).select_from(model)) or 0
