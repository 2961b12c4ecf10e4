"""A realistic demo tracker, with dates relative to today so it never goes stale.

Shaped like the position in the January 2021 panel report: its business groups, audits,
overdue shares, delay reasons and HMICFRS themes, with back-dated history so that past
quarters can be rebuilt from it as for a real tracker.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.calendar import Quarter
from domain.words import DEFAULT_DELAY_REASONS
from store.db.models import Action, Audit, BusinessGroup, Delegation, GroupLead, InspectionItem, Person, PersonRole
from store.demo.data import (
    ACTION_TEMPLATES,
    AUDITS,
    GROUP_SHAPE,
    INSPECTIONS,
    KEY_THEMES,
    LEADERS,
    OTHER_GOVERNANCE,
    OWNERS,
    PLAYGROUND_PEOPLE,
)
from store.history import Change, ChangeContext, record, record_created

__all__ = ["load_demo", "DEMO_DOMAIN"]

DEMO_DOMAIN = "met.police.example"
# Weights follow the seed's 'Delay reasons for current actions' table.
_REASON_WEIGHTS = (16, 14, 9, 5, 5, 4, 4, 4, 3, 3, 2, 1, 1, 1, 1)
_TOPICS = (
    "expenses approval",
    "asset register",
    "disclosure",
    "vetting",
    "deployment",
    "contract",
    "budget monitoring",
    "access control",
    "wellbeing",
    "custody",  # "Reconcile custody records", "the custody policy"
    "risk register",
)


def _email(name: str) -> str:
    return f"{name.lower().replace(' ', '.')}@{DEMO_DOMAIN}"


def _at(d: date) -> datetime:
    return datetime.combine(d, time(10, 0), tzinfo=timezone.utc)


class _Builder:
    def __init__(self, session: Session, today: date):
        self.s, self.today, self.rng = session, today, random.Random(2021)
        self.quarter = Quarter.containing(today)
        self.groups = {g.name: g for g in session.scalars(select(BusinessGroup))}
        self.people: dict[str, Person] = {}
        self.owners: dict[str, list[Person]] = {}
        self.counter = 0

    def person(self, email: str, name: str, group: str, roles: tuple[str, ...], aad: str | None = None) -> Person:
        p = Person(
            email=email,
            name=name,
            business_group=self._group(group),
            aad_object_id=aad or str(uuid.uuid5(uuid.NAMESPACE_DNS, email)),
            roles=[PersonRole(role=r) for r in roles],
        )
        self.s.add(p)
        self.s.flush()
        for role in set(roles) & {"chief_officer", "spoc"}:
            self.s.add(GroupLead(person_id=p.id, business_group_id=p.business_group_id, role=role))
        self.people[email] = p
        record_created(
            self.s, ChangeContext("import", "import", _at(self.today - timedelta(days=400))), "person", email
        )
        return p

    def _group(self, name: str) -> BusinessGroup:
        if name not in self.groups:
            self.groups[name] = BusinessGroup(name=name)
            self.s.add(self.groups[name])
        return self.groups[name]

    def cast(self) -> None:
        for email, name, group, roles, aad in PLAYGROUND_PEOPLE:
            self.person(email, name, group, roles, aad)
        for email, name in OTHER_GOVERNANCE:
            self.person(email, name, "Corporate Services", ("governance",))
        for group, (chief, spoc) in LEADERS.items():
            self.person(_email(chief), chief, group, ("chief_officer",))
            self.person(_email(spoc), spoc, group, ("owner", "spoc"))
        for group, names in OWNERS.items():
            self.owners[group] = [self.person(_email(n), n, group, ("owner",)) for n in names]
        olivia, sam = self.people[PLAYGROUND_PEOPLE[3][0]], self.people[PLAYGROUND_PEOPLE[2][0]]
        self.owners["Met Operations"] += [sam]
        self.s.add(Delegation(owner_id=olivia.id, delegate_id=self.people[_email("Laura Mills")].id))

    def audits(self) -> dict[str, list[Audit]]:
        by_group: dict[str, list[Audit]] = {}
        q = self.quarter
        for audit_id, title, back, kind, assurance, group in AUDITS:
            received = q
            for _ in range(back):
                received = received.previous()
            audit = Audit(
                audit_id=audit_id,
                title=title,
                received=received.label,
                kind=kind,
                assurance=assurance,
                restricted=False,
            )
            self.s.add(audit)
            by_group.setdefault(group, []).append(audit)
        self.s.flush()
        return by_group

    def action(self, audit: Audit, group: str, owner: Person, risk: str, due: date, **fields: Any) -> Action:
        self.counter += 1
        theme = self.rng.choice(KEY_THEMES)
        text = self.rng.choice(ACTION_TEMPLATES[theme]).format(topic=self.rng.choice(_TOPICS))
        action = Action(
            ref=f"{audit.audit_id}-{self.counter:03d}",
            audit=audit,
            description=text,
            risk=risk,
            business_group=self._group(group),
            owner=owner,
            due_date=due,
            key_theme=theme,
            version=1,
            **{"status": "in progress", **fields},
        )
        self.s.add(action)
        created = Quarter.parse(audit.received).start + timedelta(days=14)
        record_created(self.s, ChangeContext("import", "import", _at(min(created, self.today))), "action", action.ref)
        return action

    def change(self, action: Action, when: date, actor: str, **changes: tuple[Any, Any]) -> None:
        ctx = ChangeContext(actor, "teams", _at(min(when, self.today)))
        record(self.s, ctx, "action", action.ref, [Change(k, old, new) for k, (old, new) in changes.items()])


def _due_between(b: _Builder, audit: Audit, latest: date) -> date:
    earliest = Quarter.parse(audit.received).start + timedelta(days=45)
    span = max(1, (latest - earliest).days)
    return earliest + timedelta(days=b.rng.randrange(span))


def _outstanding(b: _Builder, group: str, audits: list[Audit]) -> None:
    total, overdue, by_quarter_end, _ = GROUP_SHAPE[group]
    owners = b.owners[group]
    olivia = b.people[PLAYGROUND_PEOPLE[3][0]]
    for i in range(total):
        audit = audits[i % len(audits)]
        risk = "medium" if audit.assurance == "limited" and i % 3 == 0 else "high"
        owner = olivia if group == "Met Operations" and i % 8 == 0 else owners[i % len(owners)]
        if i < overdue:
            due = _due_between(b, audit, b.today - timedelta(days=3))
        elif i < overdue + by_quarter_end:
            due = b.today + timedelta(days=b.rng.randint(1, max(1, (b.quarter.end - b.today).days)))
        else:
            due = b.quarter.end + timedelta(days=b.rng.randint(10, 330))
        action = b.action(audit, group, owner, risk, due, status="open" if i % 5 == 0 else "in progress")
        if i < overdue and b.rng.random() < 0.75:
            reason = b.rng.choices(DEFAULT_DELAY_REASONS, _REASON_WEIGHTS)[0]
            revised = b.today + timedelta(days=b.rng.randint(20, 300))
            said = due + timedelta(days=b.rng.randint(1, 20))
            action.delay_reason, action.revised_due_date = reason, revised
            b.change(action, said, owner.email, delay_reason=(None, reason))
            b.change(action, said + timedelta(days=7), PLAYGROUND_PEOPLE[0][0], revised_due_date=(None, revised))
        if b.rng.random() < 0.6:
            when = b.today - timedelta(days=b.rng.randint(5, 120))
            note = "Work under way; draft reviewed by the command board."
            action.last_update_on, action.last_update_note = when, note
            b.change(action, when, owner.email, last_update_note=(None, note), last_update_on=(None, when))


def _delivered(b: _Builder, group: str, audits: list[Audit]) -> None:
    delivered = GROUP_SHAPE[group][3]
    # Digital Policing delivered everything from Smarter Working Asset Management this quarter.
    preferred = [a for a in audits if a.title == "Smarter Working Asset Management"] or audits
    for i in range(delivered):
        audit = preferred[i % len(preferred)]
        done = b.quarter.start + timedelta(days=b.rng.randrange(max(1, (b.today - b.quarter.start).days)))
        owner = b.owners[group][i % len(b.owners[group])]
        action = b.action(
            audit,
            group,
            owner,
            "high",
            _due_between(b, audit, b.quarter.start),
            status="implemented",
            implemented_on=done,
            evidence_note="Evidence pack sent to DARA.",
            last_update_on=done,
        )
        b.change(action, done, owner.email, status=("in progress", "implemented"), implemented_on=(None, done))
    for i in range(6):  # closed last quarter: part of the history, not of this quarter's figures
        audit = audits[i % len(audits)]
        done = b.quarter.previous().start + timedelta(days=10 + 9 * i)
        owner = b.owners[group][i % len(b.owners[group])]
        action = b.action(
            audit,
            group,
            owner,
            "high",
            _due_between(b, audit, done),
            status="closed",
            implemented_on=done,
            closed_on=done + timedelta(days=20),
        )
        b.change(action, done, owner.email, status=("in progress", "implemented"), implemented_on=(None, done))
        b.change(
            action,
            done + timedelta(days=20),
            "dara",
            status=("implemented", "closed"),
            closed_on=(None, done + timedelta(days=20)),
        )
    for i, risk in enumerate(("low", "low", "medium")):  # below the monitoring threshold
        audit = next((a for a in audits if a.assurance != "limited"), audits[0])
        b.action(
            audit,
            group,
            b.owners[group][i % len(b.owners[group])],
            risk if audit.assurance != "limited" else "low",
            b.today + timedelta(days=60 + i),
        )


def _inspections(b: _Builder) -> int:
    groups = [g for g in OWNERS if g != "Digital Policing"]
    n = 0
    for year, scope, kind, inspection, theme, count, status in INSPECTIONS:
        for _ in range(count):
            n += 1
            group = groups[n % len(groups)]
            owner = b.owners[group][n % len(b.owners[group])]
            if group == "Met Operations" and (n // 4) % 3 == 0:  # Olivia owns some HMICFRS items too
                owner = b.people[PLAYGROUND_PEOPLE[3][0]]
            item = InspectionItem(
                ref=f"HMI-{year[:4]}-{n:03d}",
                inspection=inspection,
                inspection_year=year,
                scope=scope,
                kind=kind,
                theme=theme,
                business_group=b._group(group),
                owner=owner,
                due_date=b.today + timedelta(days=30 + 7 * (n % 40)),
                status=status,
                version=1,
            )
            b.s.add(item)
            record_created(
                b.s, ChangeContext("import", "import", _at(b.today - timedelta(days=200))), "inspection", item.ref
            )
    return n


def load_demo(session: Session, today: date, now: datetime) -> dict[str, int]:
    """Fill an empty tracker; returns what was created. The caller owns the transaction."""
    b = _Builder(session, today)
    with session.no_autoflush:
        b.cast()
        audits = b.audits()
        for group in GROUP_SHAPE:
            _outstanding(b, group, audits[group])
            _delivered(b, group, audits[group])
        inspections = _inspections(b)
    session.flush()
    return {"people": len(b.people), "audits": len(AUDITS), "actions": b.counter, "inspection items": inspections}
