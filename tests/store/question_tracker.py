"""A small hand-made tracker for the question tests, with the edges the figures must get right.

TODAY is 2026-11-26: financial quarter 2026/27 Q3 (1 Oct - 31 Dec 2026), stale cut-off
2024-04-01, one year ahead 2027-11-26. The expected figures are worked out in plain Python
(in the tests) from these rows, never through store.db.clauses or store.queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.db.models import Action, Audit, Delegation, DueDateProposal, InspectionItem, Person
from tests.builders import history_entry
from tests.fakes.people import add_person, groups_by_name, own_group_leads

__all__ = ["A", "AUDITS", "ACTIONS", "INSPECTIONS", "PEOPLE", "load", "D"]

D = date
CS, MO, PR = "Corporate Services", "Met Operations", "Professionalism"

# key -> (name, group, roles, leads)
PEOPLE = {
    "grace": ("Grace Gov", CS, ("governance",), ()),
    "carl": ("Carl Chief", CS, ("chief_officer",), (CS,)),
    "colin": ("Colin Chief", MO, ("chief_officer",), (MO,)),
    "sam": ("Sam Spoc", MO, ("owner", "spoc"), (MO,)),
    "olivia": ("Olivia Own", MO, ("owner",), ()),
    "laura": ("Laura Lee", MO, ("owner",), ()),
    "oscar": ("Oscar Ode", PR, ("owner",), ()),
    "amelia": ("Amelia Ash", CS, ("owner",), ()),
    "both": ("Bo Both", PR, ("chief_officer", "spoc"), (PR, CS)),
}
DELEGATIONS = (("olivia", "laura"),)  # olivia's actions may be handled by laura

# audit key -> (title, assurance, kind)
AUDITS = {
    "LIM": ("Limited Original Audit", "limited", "original"),
    "NOA": ("No Assurance Follow-up", "no assurance", "follow-up"),
    "ADQ": ("Adequate Original Audit", "adequate", "original"),
    "SUB": ("Substantial Follow-up", "substantial", "follow-up"),
}


@dataclass(frozen=True)
class A:
    ref: str
    audit: str
    risk: str
    group: str
    owner: str
    due: date
    status: str = "open"
    revised: date | None = None
    delay: str | None = None
    theme: str | None = None
    implemented: date | None = None


COVID, RESOURCE, RECRUIT, PROJECT = ("COVID-19 related delay", "Resource challenges", "Recruitment", "Project delay")
POLICY, OVERSIGHT = "Policy and process", "Management oversight and reporting"

ACTIONS = (
    # Met Operations
    A("M01", "LIM", "high", MO, "olivia", D(2026, 1, 10), delay=COVID, theme=POLICY),
    A("M02", "LIM", "medium", MO, "olivia", D(2026, 11, 26), "in progress", theme=POLICY),  # due exactly today
    A("M03", "ADQ", "medium", MO, "sam", D(2025, 6, 1)),  # medium, adequate: not monitored
    A("M04", "LIM", "low", MO, "sam", D(2025, 6, 1), delay=COVID),  # low: never counted
    A(
        "M05",
        "ADQ",
        "high",
        MO,
        "laura",
        D(2026, 3, 1),
        "in progress",
        revised=D(2027, 2, 1),
        delay=RESOURCE,
        theme=OVERSIGHT,
    ),
    A("M06", "NOA", "medium", MO, "laura", D(2027, 1, 15), revised=D(2026, 12, 31)),  # effective = quarter end
    A("M07", "LIM", "high", MO, "olivia", D(2024, 3, 31), revised=D(2027, 6, 30), delay=RECRUIT),  # stale
    A("M08", "LIM", "high", MO, "sam", D(2024, 4, 1)),  # exactly on the stale cut-off
    A("M09", "LIM", "high", MO, "olivia", D(2027, 11, 26), "in progress"),  # exactly one year ahead
    A("M10", "LIM", "high", MO, "sam", D(2027, 11, 27)),  # a day beyond the year
    A("M11", "LIM", "high", MO, "olivia", D(2026, 9, 1), "implemented", implemented=D(2026, 10, 1)),
    A("M12", "ADQ", "high", MO, "sam", D(2026, 8, 1), "closed", implemented=D(2026, 9, 30)),
    A("M13", "LIM", "high", MO, "laura", D(2025, 1, 1), "superseded"),
    A("M14", "SUB", "high", MO, "sam", D(2026, 12, 1), "implemented", implemented=D(2026, 12, 31)),
    A("M15", "ADQ", "low", MO, "olivia", D(2026, 9, 1), "implemented", implemented=D(2026, 10, 5)),
    # Corporate Services: 8 outstanding, 1 overdue -> 12.5% -> 13 (half up)
    A("C01", "LIM", "high", CS, "amelia", D(2026, 11, 25), delay=PROJECT, theme=POLICY),  # one day late
    A("C02", "ADQ", "high", CS, "amelia", D(2026, 12, 15), "in progress"),
    A("C03", "ADQ", "high", CS, "amelia", D(2027, 3, 31), delay=PROJECT),
    A("C04", "NOA", "medium", CS, "amelia", D(2027, 5, 1), theme=OVERSIGHT),
    A("C05", "LIM", "high", CS, "amelia", D(2027, 8, 1), "in progress"),
    A("C06", "SUB", "high", CS, "amelia", D(2028, 1, 1)),
    A("C07", "LIM", "medium", CS, "amelia", D(2027, 2, 2)),
    A("C08", "ADQ", "high", CS, "amelia", D(2026, 11, 27)),
    A("C09", "ADQ", "medium", CS, "amelia", D(2025, 1, 1)),  # not monitored
    A("C10", "NOA", "high", CS, "amelia", D(2026, 10, 1), "implemented", implemented=D(2026, 11, 1)),
    # Professionalism
    A("P01", "LIM", "high", PR, "oscar", D(2023, 1, 1), delay=RECRUIT),  # stale
    A("P02", "NOA", "high", PR, "oscar", D(2026, 6, 30), "in progress", revised=D(2026, 12, 1), delay=COVID),
    A("P03", "LIM", "high", PR, "oscar", D(2026, 8, 1)),
)

# (ref, group, owner, theme, status, due)
INSPECTIONS = (
    ("I01", MO, "olivia", "Vulnerability", "open", D(2026, 12, 1)),
    ("I02", MO, "sam", "PEEL", "holding", None),
    ("I03", CS, "amelia", "Vulnerability", "submitted for closure", D(2026, 10, 1)),
    ("I04", PR, "oscar", None, "open", D(2027, 1, 1)),
    ("I05", MO, "olivia", "PEEL", "closed", D(2026, 1, 1)),
)

_AT = datetime(2026, 11, 1, 10, 0, tzinfo=timezone.utc)


def load(session: Session) -> dict[str, Person]:
    """Insert the tracker (the default groups must exist); returns the people by key."""
    groups = groups_by_name(session)
    people: dict[str, Person] = {}
    for key, (name, group, roles, leads) in PEOPLE.items():
        pairs = tuple(pair for led in leads for pair in own_group_leads(roles, led))
        people[key] = add_person(session, key, name, group=group, roles=roles, leads=pairs)
    for owner, delegate in DELEGATIONS:
        session.add(Delegation(owner_id=people[owner].id, delegate_id=people[delegate].id))
    audits = {}
    for key, (title, assurance, kind) in AUDITS.items():
        audits[key] = Audit(audit_id=key, title=title, received="2025/26 Q1", kind=kind, assurance=assurance)
        session.add(audits[key])
    for a in ACTIONS:
        session.add(
            Action(
                ref=a.ref,
                audit=audits[a.audit],
                description=f"Action {a.ref} — do the thing",
                risk=a.risk,
                business_group=groups[a.group],
                owner=people[a.owner],
                due_date=a.due,
                revised_due_date=a.revised,
                status=a.status,
                delay_reason=a.delay,
                key_theme=a.theme,
                implemented_on=a.implemented,
                version=1,
            )
        )
    for ref, group, owner, theme, status, due in INSPECTIONS:
        session.add(
            InspectionItem(
                ref=ref,
                inspection=f"Inspection {ref}",
                inspection_year="2019/20",
                scope="force",
                kind="rec",
                theme=theme,
                business_group=groups[group],
                owner=people[owner],
                due_date=due,
                status=status,
                version=1,
            )
        )
    session.flush()
    m01 = session.scalar(select(Action).where(Action.ref == "M01"))
    session.add(
        DueDateProposal(
            action_id=m01.id,
            proposed_date=D(2027, 3, 1),
            delay_reason=COVID,
            proposed_by_id=people["olivia"].id,
            proposed_at=_AT,
        )
    )
    session.add_all(
        [
            history_entry("M01", "delay_reason", None, COVID, at=_AT, actor="olivia@example.test"),
            history_entry("M01", "_created", None, "M01", at=_AT, actor="import", channel="import"),
        ]
    )
    session.flush()
    return people
