"""Who someone is on the tracker, and what they may see: the role rules, in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.words import CHIEF_OFFICER, GOVERNANCE, OWNER, SPOC
from store.db.models import BusinessGroup, Cover, Delegation, GroupLead, Person

__all__ = ["Viewer", "match_person", "is_same_user", "viewer_for", "find_viewer", "group_leads"]


@dataclass(frozen=True)
class Viewer:
    """A person as the bot sees them: roles and the scope those roles give.

    A leading role is a pair (role, group): a SPOC of one group who is chief officer of another is
    a SPOC in the first only. Every permission below reads the pairs; nothing else decides.
    """

    person_id: int
    name: str
    email: str
    roles: frozenset[str]
    group: str | None
    leads: tuple[tuple[str, str], ...] = ()  # (role, group): SPOC or chief officer of that group
    acts_for: tuple[int, ...] = field(default=())  # owners who have delegated to them, or whom they cover today
    covering: tuple[int, ...] = field(default=())  # owners whose cover they are today (also in acts_for)

    @property
    def is_governance(self) -> bool:
        return GOVERNANCE in self.roles

    @property
    def is_chief_officer(self) -> bool:
        return CHIEF_OFFICER in self.roles

    @property
    def is_spoc(self) -> bool:
        return SPOC in self.roles

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name else ""

    def groups_as(self, role: str) -> tuple[str, ...]:
        """The groups in which they hold ``role``."""
        return tuple(group for r, group in self.leads if r == role)

    @property
    def led_groups(self) -> tuple[str, ...]:
        """Groups they lead in any role (as SPOC or chief officer): the groups whose figures they see."""
        return tuple(dict.fromkeys(group for _role, group in self.leads))

    @property
    def spoc_groups(self) -> tuple[str, ...]:
        return self.groups_as(SPOC)

    def may_see_group(self, group: str) -> bool:
        return self.is_governance or group in self.led_groups

    def may_act_for_owner(self, owner_id: int, owner_group: str | None) -> bool:
        """Owner, a recorded delegate, SPOC of the action's group, or governance (issue 3 rule 7).

        Only the SPOC pair counts: chief officers follow their group's actions but do not update them.
        """
        if self.is_governance or owner_id == self.person_id or owner_id in self.acts_for:
            return True
        return owner_group is not None and owner_group in self.spoc_groups

    def may_reassign(self, group: str | None) -> bool:
        """Governance, or the SPOC of the action's business group (issue 13)."""
        return self.is_governance or (group is not None and group in self.spoc_groups)

    def may_name_cover(self, owner_id: int, owner_group: str | None) -> bool:
        """The owner themselves, their group's SPOC, or governance."""
        return owner_id == self.person_id or self.may_reassign(owner_group)

    def covers(self, owner_id: int) -> bool:
        """Acting today as this owner's cover (history then shows "X for Y")."""
        return owner_id in self.covering and owner_id != self.person_id


def match_person(session: Session, aad_object_id: str | None, email_or_upn: str | None) -> Person | None:
    """By aad_object_id; by email/UPN (case-insensitively) only a person who has no object id yet.

    The spec's rule, and the one that stops a takeover: a user whose roster e-mail equals a known
    person's, but whose object id differs, is not that person.
    """
    if aad_object_id:
        person = session.scalar(select(Person).where(Person.aad_object_id == aad_object_id))
        if person is not None:
            return person
    if email_or_upn:
        return session.scalar(
            select(Person).where(
                func.lower(Person.email) == email_or_upn.strip().lower(), Person.aad_object_id.is_(None)
            )
        )
    return None


def covered_owner_ids(session: Session, cover_id: int, today: date) -> tuple[int, ...]:
    """Owners whose cover this person is on `today` (a local day)."""
    return tuple(
        session.scalars(
            select(Cover.owner_id)
            .where(Cover.cover_id == cover_id, Cover.starts_on <= today, Cover.ends_on >= today)
            .order_by(Cover.owner_id)
            .distinct()
        )
    )


def is_same_user(person: Person, *aad_object_ids: str | None) -> bool:
    """False when the person is known by an object id and any of the given ids is another one."""
    return person.aad_object_id is None or all(a is None or a == person.aad_object_id for a in aad_object_ids)


def viewer_for(session: Session, person: Person, today: date | None = None) -> Viewer:
    """`today` (local) brings in the owners this person covers that day; without it, none."""
    led = session.execute(
        select(BusinessGroup.name, GroupLead.role)
        .join(GroupLead, GroupLead.business_group_id == BusinessGroup.id)
        .where(GroupLead.person_id == person.id)
        .order_by(BusinessGroup.name, GroupLead.role)
    ).all()
    roles = frozenset(person.role_names or {OWNER})
    leads = tuple((role, name) for name, role in led if role in roles)
    # in a fixed order: a Viewer is part of the answer cache's keys, and equal viewers must be equal
    acts_for = tuple(
        session.scalars(
            select(Delegation.owner_id).where(Delegation.delegate_id == person.id).order_by(Delegation.owner_id)
        )
    )
    covering = covered_owner_ids(session, person.id, today) if today is not None else ()
    acts_for = tuple(dict.fromkeys((*acts_for, *covering)))
    return Viewer(
        person_id=person.id,
        name=person.name,
        email=person.email,
        roles=roles,
        group=person.business_group.name if person.business_group else None,
        leads=leads,
        acts_for=acts_for,
        covering=covering,
    )


def find_viewer(
    session: Session, aad_object_id: str | None, email_or_upn: str | None, today: date | None = None
) -> Viewer | None:
    person = match_person(session, aad_object_id, email_or_upn)
    return viewer_for(session, person, today) if person else None


def group_leads(session: Session, group: str, role: str) -> list[Person]:
    return list(
        session.scalars(
            select(Person)
            .join(GroupLead, GroupLead.person_id == Person.id)
            .join(BusinessGroup, BusinessGroup.id == GroupLead.business_group_id)
            .where(BusinessGroup.name == group, GroupLead.role == role)
            .order_by(Person.name)
        )
    )
