"""Matching Teams users to people, and the scope each role gives."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from store.demo.builder import load_demo
from store.people.identity import identify
from store.people.viewers import find_viewer


def test_match_by_aad_id_then_email_case_insensitively(session: Session, today: date, now: datetime) -> None:
    load_demo(session, today, now)
    by_aad = find_viewer(session, "00000000-0000-4000-8000-0000000000a4", None)
    assert by_aad.email == "olivia.owen@met.police.example" and by_aad.roles == {"owner"}
    by_upn = find_viewer(session, "not-a-known-id", "Olivia.OWEN@met.police.example ")
    assert by_upn.person_id == by_aad.person_id
    assert find_viewer(session, "nobody", "nobody@example.org") is None


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
    laura = find_viewer(session, None, "laura.mills@met.police.example")
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
    save_reference(session, {"conversation": {"id": "a:1", "conversationType": "personal"}, "user": {"id": "29:o"},
                             "serviceUrl": "http://127.0.0.1:1"}, person_id=olivia.person_id, aad_object_id=None, now=now)
    found = identify(session, conversation_id="a:1", user_id="29:o", aad_object_id="changed-id")
    assert found.person_id == olivia.person_id
