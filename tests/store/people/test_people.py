"""Matching Teams users to people, and the scope each role gives."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.db.models import BusinessGroup, GroupLead, Person, PersonRole
from store.demo.builder import load_demo
from store.people.identity import identify
from store.people.viewers import find_viewer


def _aad(session: Session, email: str) -> str:
    return session.scalar(select(Person.aad_object_id).where(Person.email == email))


def test_match_by_aad_id_then_email_case_insensitively(session: Session, today: date, now: datetime) -> None:
    load_demo(session, today, now)
    by_aad = find_viewer(session, "00000000-0000-4000-8000-0000000000a4", None)
    assert by_aad.email == "olivia.owen@met.police.example" and by_aad.roles == {"owner"}
    # Olivia is known by her object id: another id presenting her e-mail is not her (issue 10 point 4).
    assert find_viewer(session, "not-a-known-id", "Olivia.OWEN@met.police.example ") is None
    assert find_viewer(session, None, "olivia.owen@met.police.example") is None
    assert find_viewer(session, "nobody", "nobody@example.org") is None
    # A person with no object id yet is matched by e-mail/UPN, case-insensitively.
    session.scalar(select(Person).where(Person.email == "olivia.owen@met.police.example")).aad_object_id = None
    by_upn = find_viewer(session, "not-a-known-id", "Olivia.OWEN@met.police.example ")
    assert by_upn.person_id == by_aad.person_id


def test_roles_and_led_groups(session: Session, today: date, now: datetime) -> None:
    load_demo(session, today, now)
    colin = find_viewer(session, "00000000-0000-4000-8000-0000000000a2", None)
    assert colin.is_chief_officer and colin.led_groups == ("Met Operations",)
    assert colin.may_see_group("Met Operations") and not colin.may_see_group("Professionalism")
    grace = find_viewer(session, "00000000-0000-4000-8000-0000000000a1", None)
    assert grace.is_governance and grace.may_see_group("Professionalism")
    sam = find_viewer(session, "00000000-0000-4000-8000-0000000000a3", None)
    assert sam.is_spoc and sam.spoc_groups == ("Met Operations",)
    olivia = find_viewer(session, "00000000-0000-4000-8000-0000000000a4", None)
    laura = find_viewer(session, _aad(session, "laura.mills@met.police.example"), None)
    # who may update Olivia's actions: herself, her delegate, the group's SPOC, governance
    assert olivia.may_act_for_owner(olivia.person_id, "Met Operations")
    assert laura.may_act_for_owner(olivia.person_id, "Met Operations")
    assert sam.may_act_for_owner(olivia.person_id, "Met Operations")
    assert not sam.may_act_for_owner(olivia.person_id, "Professionalism")
    assert grace.may_act_for_owner(olivia.person_id, "Met Operations")
    assert not colin.may_act_for_owner(olivia.person_id, "Met Operations")


def test_identify_prefers_the_stored_conversation(session: Session, today: date, now: datetime) -> None:
    from store.conversations.references import save_reference

    load_demo(session, today, now)
    olivia = find_viewer(session, "00000000-0000-4000-8000-0000000000a4", None)
    save_reference(
        session,
        {
            "conversation": {"id": "a:1", "conversationType": "personal"},
            "user": {"id": "29:o"},
            "serviceUrl": "http://127.0.0.1:1",
        },
        person_id=olivia.person_id,
        aad_object_id=None,
        now=now,
    )
    found = identify(
        session, conversation_id="a:1", user_id="29:o", aad_object_id="00000000-0000-4000-8000-0000000000a4"
    )
    assert found.person_id == olivia.person_id
    # ...but not for a user with another object id: that conversation is not Olivia's to hand out.
    assert identify(session, conversation_id="a:1", user_id="29:o", aad_object_id="changed-id") is None


def test_roles_are_pairs_of_role_and_group(session: Session, today: date, now: datetime) -> None:
    """A SPOC of Met Operations who is chief officer of Professionalism updates in Met Operations only."""
    load_demo(session, today, now)
    sam_person = session.scalar(select(Person).where(Person.email == "sam.spencer@met.police.example"))
    professionalism = session.scalar(select(BusinessGroup).where(BusinessGroup.name == "Professionalism"))
    sam_person.roles.append(PersonRole(role="chief_officer"))
    session.add(GroupLead(person_id=sam_person.id, business_group_id=professionalism.id, role="chief_officer"))
    session.flush()
    sam = find_viewer(session, sam_person.aad_object_id, None)
    assert set(sam.leads) == {("spoc", "Met Operations"), ("chief_officer", "Professionalism")}
    assert sam.spoc_groups == ("Met Operations",) and sam.groups_as("chief_officer") == ("Professionalism",)
    assert sam.may_see_group("Professionalism") and sam.may_see_group("Met Operations")
    someone_else = -1
    assert sam.may_act_for_owner(someone_else, "Met Operations")
    assert not sam.may_act_for_owner(someone_else, "Professionalism")
