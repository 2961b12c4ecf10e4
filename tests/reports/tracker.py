"""A small hand-made tracker whose figures the tests work out by hand.

Report date D = 2026-11-26 (quarter 2026/27 Q3: 1 Oct - 31 Dec 2026; previous quarter ends
2026-09-30). The history runs to 5 December 2026, so some changes are AFTER D and must be undone
when the tracker is rebuilt as at D.

Audits (received, kind, assurance):
  L1 2025/26 Q2 original  limited      | L2 2026/27 Q3 follow-up limited
  AD 2025/26 Q4 follow-up adequate     | NA 2026/27 Q2 original  no assurance

Actions (group CS = Corporate Services, MO = Met Operations; `created` = its _created entry):
  ref  audit risk   grp due         revised     status now   notes
  A01  L1    high   CS  2026-06-30  2027-02-15  in progress  revised date + reason set 2026-10-05
  A02  L1    medium CS  2026-12-31  -           open         due exactly on the quarter end
  A03  AD    medium MO  2026-01-01  -           open         medium in an ADEQUATE audit: never monitored
  A04  AD    high   MO  2026-11-26  -           in progress  due exactly on D; reason changed 2026-12-04
  A05  AD    low    MO  2020-01-01  -           open         low risk: never counted
  A06  NA    medium MO  2024-03-31  -           open         medium in a no-assurance audit; stale
  A07  AD    high   MO  2027-11-26  -           open         due exactly D + 1 year
  A08  AD    high   MO  2027-11-27  -           in progress  due D + 1 year + 1 day
  A09  L1    high   CS  2026-09-15  -           implemented  implemented 2026-10-01 (first day of Q3)
  A10  AD    high   MO  2026-06-01  -           closed       implemented 2026-09-30 (last day of Q2), closed 10-10
  A11  AD    high   MO  2026-12-15  -           closed       implemented 2026-11-20, closed 11-25
  A12  AD    medium MO  2026-10-15  -           implemented  not monitored
  A13  NA    high   CS  2026-08-31  -           in progress  implemented 2026-09-15, REOPENED 2026-10-20
  A14  L2    high   CS  2027-03-31  -           open         created 2026-10-15 (new this quarter)
  A15  L2    medium MO  2027-06-30  -           open         created 2026-10-15 (new this quarter)
  A16  L2    low    MO  2027-01-31  -           open         created 2026-10-15, low
  A17  AD    high   CS  2026-09-30  -           in progress  due exactly on the previous quarter end
  A18  AD    high   MO  2024-04-01  -           in progress  due exactly on the stale cut-off
  A19  AD    high   CS  2026-11-01  -           implemented  implemented 2026-12-03 (after D)
  A20  AD    high   MO  2026-12-20  -           open         created 2026-12-02 (after D)
  A21  AD    high   CS  2027-01-31  -           in progress  moved from MO to CS on 2026-12-05 (after D)

Inspection items: I1..I7 (I6 created after D; I7 closed after D). Update cycles: C1 (July),
C2 (opened 10 Oct, closed 5 Nov), C3 (opened 1 Dec, after D).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy.orm import Session

from store.db.models import Action, Audit, CycleItem, InspectionItem, Person, UpdateCycle
from tests.builders import history_entry
from tests.fakes.people import groups_by_name

__all__ = ["build_tracker", "D", "at", "TITLES"]

D = date(2026, 11, 26)
CS, MO = "Corporate Services", "Met Operations"
TITLES = {
    "L1": "Key Financial Systems – Expenses",
    "L2": "Framework Supporting Inclusion & Diversity Strategy",
    "AD": 'Vetting "Arrangements" <2026>',
    "NA": "=Smarter Working Asset Management",  # starts with '=': must stay text in Excel
}
AUDITS = (
    ("L1", "2025/26 Q2", "original", "limited"),
    ("L2", "2026/27 Q3", "follow-up", "limited"),
    ("AD", "2025/26 Q4", "follow-up", "adequate"),
    ("NA", "2026/27 Q2", "original", "no assurance"),
)
# ref, audit, risk, group, due, revised, status, delay reason, key theme, implemented_on, closed_on, created
ACTIONS: tuple[tuple[Any, ...], ...] = (
    (
        "A01",
        "L1",
        "high",
        CS,
        "2026-06-30",
        "2027-02-15",
        "in progress",
        "Resource challenges",
        "Policy and process",
        None,
        None,
        "2026-01-05",
    ),
    ("A02", "L1", "medium", CS, "2026-12-31", None, "open", None, "Policy and process", None, None, "2026-01-05"),
    ("A03", "AD", "medium", MO, "2026-01-01", None, "open", "COVID-19 related delay", None, None, None, "2026-01-05"),
    (
        "A04",
        "AD",
        "high",
        MO,
        "2026-11-26",
        None,
        "in progress",
        "Recruitment",
        "Training and awareness",
        None,
        None,
        "2026-01-05",
    ),
    ("A05", "AD", "low", MO, "2020-01-01", None, "open", None, "Policy and process", None, None, "2026-01-05"),
    ("A06", "NA", "medium", MO, "2024-03-31", None, "open", "Recruitment", None, None, None, "2026-07-10"),
    ("A07", "AD", "high", MO, "2027-11-26", None, "open", None, "Training and awareness", None, None, "2026-01-05"),
    ("A08", "AD", "high", MO, "2027-11-27", None, "in progress", None, None, None, None, "2026-01-05"),
    ("A09", "L1", "high", CS, "2026-09-15", None, "implemented", None, None, "2026-10-01", None, "2026-01-05"),
    (
        "A10",
        "AD",
        "high",
        MO,
        "2026-06-01",
        None,
        "closed",
        "Project delay",
        None,
        "2026-09-30",
        "2026-10-10",
        "2026-01-05",
    ),
    ("A11", "AD", "high", MO, "2026-12-15", None, "closed", None, None, "2026-11-20", "2026-11-25", "2026-01-05"),
    ("A12", "AD", "medium", MO, "2026-10-15", None, "implemented", None, None, "2026-11-01", None, "2026-01-05"),
    (
        "A13",
        "NA",
        "high",
        CS,
        "2026-08-31",
        None,
        "in progress",
        None,
        "Data quality and records",
        None,
        None,
        "2026-07-10",
    ),
    ("A14", "L2", "high", CS, "2027-03-31", None, "open", None, "Policy and process", None, None, "2026-10-15"),
    ("A15", "L2", "medium", MO, "2027-06-30", None, "open", None, None, None, None, "2026-10-15"),
    ("A16", "L2", "low", MO, "2027-01-31", None, "open", None, None, None, None, "2026-10-15"),
    ("A17", "AD", "high", CS, "2026-09-30", None, "in progress", None, None, None, None, "2026-01-10"),
    ("A18", "AD", "high", MO, "2024-04-01", None, "in progress", None, None, None, None, "2026-01-05"),
    ("A19", "AD", "high", CS, "2026-11-01", None, "implemented", None, None, "2026-12-03", None, "2026-01-05"),
    ("A20", "AD", "high", MO, "2026-12-20", None, "open", None, None, None, None, "2026-12-02"),
    ("A21", "AD", "high", CS, "2027-01-31", None, "in progress", None, None, None, None, "2026-01-05"),
)
# (when, ref, field, old, new) for actions
CHANGES = (
    ("2026-10-05T11:00", "A01", "delay_reason", None, "Resource challenges"),
    ("2026-10-05T11:00", "A01", "revised_due_date", None, "2027-02-15"),
    ("2026-12-04T09:00", "A04", "delay_reason", "Awaiting Chief Officer decision/sign off", "Recruitment"),
    ("2026-10-01T10:00", "A09", "status", "in progress", "implemented"),
    ("2026-10-01T10:00", "A09", "implemented_on", None, "2026-10-01"),
    ("2026-09-30T15:00", "A10", "status", "in progress", "implemented"),
    ("2026-09-30T15:00", "A10", "implemented_on", None, "2026-09-30"),
    ("2026-10-10T10:00", "A10", "status", "implemented", "closed"),
    ("2026-10-10T10:00", "A10", "closed_on", None, "2026-10-10"),
    ("2026-11-20T10:00", "A11", "status", "in progress", "implemented"),
    ("2026-11-20T10:00", "A11", "implemented_on", None, "2026-11-20"),
    ("2026-11-25T10:00", "A11", "status", "implemented", "closed"),
    ("2026-11-25T10:00", "A11", "closed_on", None, "2026-11-25"),
    ("2026-11-01T10:00", "A12", "status", "in progress", "implemented"),
    ("2026-09-15T10:00", "A13", "status", "in progress", "implemented"),
    ("2026-09-15T10:00", "A13", "implemented_on", None, "2026-09-15"),
    ("2026-10-20T10:00", "A13", "status", "implemented", "in progress"),
    ("2026-10-20T10:00", "A13", "implemented_on", "2026-09-15", None),
    ("2026-12-03T10:00", "A19", "status", "in progress", "implemented"),
    ("2026-12-03T10:00", "A19", "implemented_on", None, "2026-12-03"),
    ("2026-12-05T10:00", "A21", "business_group", MO, CS),
)
# ref, inspection, year, scope, kind, theme, status now, created
INSPECTIONS = (
    ("I1", "National Child Protection Inspection", "2018/19", "force", "rec", "Vulnerability", "open", "2026-01-05"),
    ("I2", "Policing and Mental Health", "2018/19", "nationwide", "rec", "Vulnerability", "holding", "2026-01-05"),
    ("I3", "PEEL (Integrated)", "2019/20", "force", "afi", "PEEL", "submitted for closure", "2026-01-05"),
    ("I4", "PEEL (Integrated)", "2019/20", "force", "afi", "PEEL", "closed", "2026-01-05"),
    ("I5", "Undercover Policing", "2013/14", "nationwide", "rec", None, "open", "2026-01-05"),
    ("I6", "Fraud: Time to Choose", "2019/20", "force", "rec", "Fraud", "open", "2026-12-05"),
    ("I7", "PEEL (Integrated)", "2019/20", "force", "rec", "PEEL", "closed", "2026-01-05"),
)
INSPECTION_CHANGES = (("2026-12-02T10:00", "I7", "status", "open", "closed"),)


def at(text: str) -> datetime:
    """'2026-10-05' or '2026-10-05T11:00' as an aware UTC datetime (10:00 when no time is given)."""
    moment = datetime.fromisoformat(text if "T" in text else f"{text}T10:00")
    return moment.replace(tzinfo=timezone.utc)


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _history(session: Session, when: str, entity: str, ref: str, field: str, old: str | None, new: str | None) -> None:
    session.add(history_entry(ref, field, old, new, at=at(when), entity=entity, channel="import"))


def build_tracker(session: Session) -> dict[str, int]:
    """Add the tracker (the session's default lists must exist); returns action ids by ref. Flushes."""
    groups = groups_by_name(session)
    owners = {
        name: Person(
            email=f"owner.{name.split()[0].lower()}@example.org", name=f"Owner {name}", business_group=groups[name]
        )
        for name in (CS, MO)
    }
    session.add_all(owners.values())
    audits = {
        key: Audit(audit_id=key, title=TITLES[key], received=received, kind=kind, assurance=assurance)
        for key, received, kind, assurance in AUDITS
    }
    session.add_all(audits.values())
    for key in audits:
        _history(session, "2025-07-01", "audit", key, "_created", None, key)
    actions = {}
    for ref, audit, risk, group, due, revised, status, reason, theme, done, closed, created in ACTIONS:
        actions[ref] = Action(
            ref=ref,
            audit=audits[audit],
            description=f"Action {ref}",
            risk=risk,
            business_group=groups[group],
            owner=owners[group],
            due_date=_d(due),
            revised_due_date=_d(revised),
            status=status,
            delay_reason=reason,
            key_theme=theme,
            implemented_on=_d(done),
            closed_on=_d(closed),
            version=1,
        )
        _history(session, created, "action", ref, "_created", None, ref)
    session.add_all(actions.values())
    for when, ref, field, old, new in CHANGES:
        _history(session, when, "action", ref, field, old, new)
    items = {}
    for ref, name, year, scope, kind, theme, status, created in INSPECTIONS:
        items[ref] = InspectionItem(
            ref=ref,
            inspection=name,
            inspection_year=year,
            scope=scope,
            kind=kind,
            theme=theme,
            business_group=groups[MO],
            status=status,
            version=1,
        )
        _history(session, created, "inspection", ref, "_created", None, ref)
    session.add_all(items.values())
    for when, ref, field, old, new in INSPECTION_CHANGES:
        _history(session, when, "inspection", ref, field, old, new)
    session.flush()
    _cycles(session, actions, items, owners)
    session.flush()
    return {ref: a.id for ref, a in actions.items()}


def _cycles(
    session: Session, actions: dict[str, Action], items: dict[str, InspectionItem], owners: dict[str, Person]
) -> None:
    def cycle(opened: str, closed: str | None) -> UpdateCycle:
        c = UpdateCycle(
            opened_at=at(opened),
            opened_by="grace@example.org",
            deadline=at(opened).date(),
            scope={"kind": "all"},
            status="closed" if closed else "open",
            closed_at=at(closed) if closed else None,
        )
        session.add(c)
        session.flush()
        return c

    def item(c: UpdateCycle, ref: str, responded: str | None) -> None:
        thing = actions.get(ref) or items[ref]
        group = thing.business_group.name
        session.add(
            CycleItem(
                cycle_id=c.id,
                owner_id=owners[group].id,
                business_group=group,
                action_id=thing.id if ref in actions else None,
                inspection_id=thing.id if ref in items else None,
                responded_at=at(responded) if responded else None,
            )
        )

    c1 = cycle("2026-07-01", "2026-07-31")
    for ref, responded in (("A01", "2026-07-05"), ("A02", "2026-07-06"), ("A04", "2026-07-07"), ("A07", None)):
        item(c1, ref, responded)
    # C2: six items asked; A06 answered after the cycle closed (not counted); I1 never answered.
    c2 = cycle("2026-10-10", "2026-11-05")
    for ref, responded in (
        ("A01", "2026-10-12"),
        ("A02", None),
        ("A04", "2026-10-20"),
        ("A06", "2026-11-10"),
        ("A07", None),
        ("I1", None),
    ):
        item(c2, ref, responded)
    c3 = cycle("2026-12-01", None)  # opened after D: not the latest cycle as at D
    item(c3, "A01", "2026-12-02")
