"""The rows an import names, found once per import (store/workbook/apply.py uses them).

Issue 25: 20,000 actions made about five queries each when every cell that named a group, a person
or an audit looked it up again. Only rows that exist are kept: a name not found is looked up again,
since the import may create it further on.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.db.models import Action, Audit, BusinessGroup, Delegation, GroupLead, Person

__all__ = ["Lookups", "person_links"]


def person_links(session: Session, person: Person) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(groups led, delegate emails) of a person, as the workbook writes them."""
    led = tuple(
        session.scalars(
            select(BusinessGroup.name)
            .join(GroupLead, GroupLead.business_group_id == BusinessGroup.id)
            .where(GroupLead.person_id == person.id)
            .distinct()
            .order_by(BusinessGroup.name)
        )
    )
    delegates = tuple(
        sorted(
            session.scalars(
                select(Person.email)
                .join(Delegation, Delegation.delegate_id == Person.id)
                .where(Delegation.owner_id == person.id)
            )
        )
    )
    return led, delegates


class Lookups:
    """Groups (created when first named), people, audits and the sheet's stored actions, by name."""

    def __init__(self, session: Session, *, canonical_groups: dict[str, str]) -> None:
        self.s = session
        self.group_names = canonical_groups
        self._groups: dict[str, BusinessGroup] = {}
        self._people: dict[str, Person] = {}
        self._audits: dict[str, Audit] = {}
        self._actions: dict[str, Action] = {}

    def group(self, name: str | None) -> BusinessGroup | None:
        if not name:
            return None
        canonical = self.group_names[name.lower()]
        group = self._groups.get(canonical) or self.s.scalar(
            select(BusinessGroup).where(BusinessGroup.name == canonical)
        )
        if group is None:
            group = BusinessGroup(name=canonical)
            self.s.add(group)
            self.s.flush()
        self._groups[canonical] = group
        return group

    def person(self, email: str | None) -> Person | None:
        if not email:
            return None
        person = self._people.get(email.lower()) or self.s.scalar(select(Person).where(Person.email == email.lower()))
        if person is not None:
            self._people[email.lower()] = person
        return person

    def audit(self, audit_id: str) -> Audit | None:
        audit = self._audits.get(audit_id) or self.s.scalar(select(Audit).where(Audit.audit_id == audit_id))
        if audit is not None:
            self._audits[audit_id] = audit
        return audit

    def load_actions(self, refs: list[str]) -> None:
        """The stored actions the sheet names, a few hundred refs a query instead of one query each."""
        for start in range(0, len(refs), 500):
            chunk = refs[start : start + 500]
            self._actions.update((a.ref, a) for a in self.s.scalars(select(Action).where(Action.ref.in_(chunk))))

    def action(self, ref: str) -> Action | None:
        """A stored action ``load_actions`` found; None for one the sheet adds."""
        return self._actions.get(ref)

    def known_person(self, email: str) -> Person:
        """A person the importer's reference checks found (in the store or earlier in the file)."""
        person = self.person(email)
        assert person is not None, email
        return person

    def known_group(self, name: str) -> BusinessGroup:
        group = self.group(name)
        assert group is not None, name
        return group

    def known_audit(self, audit_id: str) -> Audit:
        audit = self.audit(audit_id)
        assert audit is not None, audit_id  # the importer's reference checks found it
        return audit
