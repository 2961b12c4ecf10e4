"""A small hand-made tracker for the update-cycle, outbox and decision tests.

    t = build(session, TODAY)            # flushes; the test commits when it needs to
    t.install("olivia", "http://127.0.0.1:1/")   # a stored personal conversation reference

Met Operations: olivia (3 monitored outstanding actions: 2 overdue), laura (1), sam (SPOC, 1),
colin (chief officer). Corporate Services: amelia (1 overdue + 1 implemented), dev (SPOC).
Not monitored / not outstanding: a low-risk action, a medium-risk action of an adequate audit,
a closed one. HMICFRS: one open item owned by olivia, one holding, one open with no owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.conversations.references import save_reference
from store.db.models import Action, Audit, InspectionItem, Person
from tests.builders import HandTracker, groups_by_name

__all__ = ["CycleTracker", "build", "attach", "reference", "MET", "CORP"]

MET, CORP = "Met Operations", "Corporate Services"
PEOPLE = {
    "olivia": ("Olivia Owen", MET, ("owner",)),
    "laura": ("Laura Mills", MET, ("owner",)),
    "sam": ("Sam Spencer", MET, ("owner", "spoc")),
    "colin": ("Colin Chambers", MET, ("chief_officer",)),
    "grace": ("Grace Gordon", CORP, ("governance",)),
    "amelia": ("Amelia Hart", CORP, ("owner",)),
    "dev": ("Dev Patel", CORP, ("owner", "spoc")),
}


def reference(service_url: str, key: str) -> dict:
    """A conversation reference as the bot stores it for a personal chat with `key`."""
    return {
        "activityId": None,
        "user": {"id": f"29:{key}", "name": key},
        "bot": {"id": "28:bot", "name": "Tracker"},
        "conversation": {"id": f"a:personal-{key}", "conversationType": "personal", "tenantId": "tenant-1"},
        "channelId": "msteams",
        "locale": "en-GB",
        "serviceUrl": service_url,
    }


@dataclass
class CycleTracker(HandTracker):
    @property
    def now(self) -> datetime:
        return datetime.combine(self.today, datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=9)

    def install(self, key: str, service_url: str = "http://127.0.0.1:9/") -> None:
        save_reference(
            self.session, reference(service_url, key), person_id=self.people[key].id, aad_object_id=None, now=self.now
        )


def attach(session: Session, today: date) -> CycleTracker:
    """The helpers again, over a tracker built earlier (in another session)."""
    t = CycleTracker(session, today)
    t.people = {p.email.split("@")[0]: p for p in session.scalars(select(Person))}
    return t


def build(session: Session, today: date) -> CycleTracker:
    t = CycleTracker(session, today)
    groups = groups_by_name(session)
    t.add_people(PEOPLE)
    limited = Audit(
        audit_id="AUD-L",
        title="Key Financial Systems – Expenses",
        received="2025/26 Q1",
        kind="original",
        assurance="limited",
    )
    adequate = Audit(
        audit_id="AUD-A",
        title="Smarter Working Asset Management",
        received="2025/26 Q2",
        kind="follow-up",
        assurance="adequate",
    )
    session.add_all([limited, adequate])
    d = timedelta

    def add(
        ref: str,
        owner: str,
        due: date,
        *,
        group: str = MET,
        risk: str = "high",
        audit: Audit = limited,
        status: str = "in progress",
        **extra: object,
    ) -> None:
        session.add(
            Action(
                ref=ref,
                audit=audit,
                description=f"Deliver the {ref.lower()} plan",
                risk=risk,
                business_group=groups[group],
                owner=t.people[owner],
                due_date=due,
                status=status,
                version=1,
                **extra,
            )
        )

    add("MET-1", "olivia", today - d(30))
    add("MET-2", "olivia", today - d(90), status="open")
    add("MET-3", "olivia", today + d(20), risk="medium")  # medium of a limited audit: monitored
    add("MET-4", "laura", today + d(100), revised_due_date=today + d(10), audit=adequate)  # due within 30 (revised)
    add("MET-5", "sam", today + d(200), audit=adequate)
    add("CORP-1", "amelia", today - d(5), group=CORP)
    add(
        "CORP-2",
        "amelia",
        today - d(50),
        group=CORP,
        status="implemented",
        implemented_on=today - d(3),
        evidence_note="Signed-off policy",
    )
    add("LOW-1", "laura", today - d(10), risk="low")  # never monitored
    add("MED-1", "laura", today - d(10), risk="medium", audit=adequate)  # medium of adequate: not monitored
    add("CLS-1", "olivia", today - d(10), status="closed", closed_on=today - d(1))
    session.add_all(
        [
            InspectionItem(
                ref="HMI-1",
                inspection="PEEL 2025",
                inspection_year="2025/26",
                scope="force",
                kind="rec",
                theme="Vetting",
                business_group=groups[MET],
                owner=t.people["olivia"],
                due_date=today - d(3),
                status="open",
            ),
            InspectionItem(
                ref="HMI-2",
                inspection="PEEL 2025",
                inspection_year="2025/26",
                scope="nationwide",
                kind="afi",
                theme="Custody",
                business_group=groups[MET],
                owner=t.people["laura"],
                status="holding",
            ),
            InspectionItem(
                ref="HMI-3",
                inspection="Digital",
                inspection_year="2024/25",
                scope="force",
                kind="afi",
                theme="Data",
                business_group=groups[CORP],
                owner=None,
                status="open",
            ),
        ]
    )
    session.flush()
    return t
