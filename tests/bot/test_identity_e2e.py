"""Issue 10, point 4 over HTTP: who a Teams user is.

A user is matched by Entra object id; by e-mail/UPN only to a person the tracker does not yet know
by object id (the id is then recorded). A user whose roster e-mail equals a known person's e-mail,
but whose object id differs, is a stranger: not that person, and never given that person's
conversation. Roles are (role, group) pairs: a SPOC of one group who is chief officer of another may
update in the first group only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from store.db.models import Action, BusinessGroup, ConversationRef, GroupLead, Person, PersonRole
from tests.conftest import NOW
from tests.fakes.live_bot import LiveBot, TeamsUser

GRACE = "grace.gordon@met.police.example"
TRACY = "tracy.rylance@met.police.example"  # governance, demo data
MALLORY = TeamsUser("Mallory Mole", "66666666-0000-4000-8000-00000000000f", "29:mallory", "a:personal-mallory")
NEWCOMER = TeamsUser("Tracy Rylance", "77777777-0000-4000-8000-000000000007", "29:tracy", "a:personal-tracy")


def clock() -> datetime:
    return NOW


def roster(user: TeamsUser, email: str) -> dict:
    """What Teams' member lookup says about the user (the e-mail/UPN is whatever the tenant says)."""
    return {
        "id": user.user_id,
        "name": user.name,
        "aadObjectId": user.aad_object_id,
        "email": email,
        "userPrincipalName": email,
    }


def references(session: Session) -> dict[str, tuple[int | None, str | None]]:
    rows = session.execute(
        select(ConversationRef.conversation_id, ConversationRef.person_id, ConversationRef.aad_object_id)
    ).all()
    return {cid: (pid, aad) for cid, pid, aad in rows}


def person(session: Session, email: str) -> tuple[int, str | None]:
    row = session.execute(select(Person.id, Person.aad_object_id).where(Person.email == email)).one()
    return row.id, row.aad_object_id


async def test_a_roster_email_does_not_take_over_a_person_known_by_object_id(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        grace = live.user("grace")
        await live.install(grace)
        grace_id, grace_aad = await live.services.run(person, GRACE)
        live.connector.set_members(None, [roster(MALLORY, GRACE.upper())])

        welcome = await live.install(MALLORY)
        asked = await live.say(MALLORY, "pending decisions")
        for reply in (welcome, asked):
            text = reply.card_text()
            assert "Grace" not in text and "couldn't find you on the audit action tracker" in text, text
        assert "Pending decisions" not in asked.card_text()
        clicked = await live.click(MALLORY, "decisions.show", {})
        assert "Pending decisions" not in clicked.card_text()

        refs = await live.services.run(references)
        assert refs[MALLORY.conversation_id] == (None, MALLORY.aad_object_id)
        assert refs[grace.conversation_id] == (grace_id, grace_aad)  # her proactive messages still go to her
        assert await live.services.run(person, GRACE) == (grace_id, grace_aad)


async def test_an_old_reference_pointing_at_another_users_person_is_not_trusted(sqlite_url: str) -> None:
    """A reference stored before the fix (Mallory's conversation recorded as Grace's) gives Mallory nothing."""
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        await live.install(live.user("grace"))
        await live.install(MALLORY)
        grace_id, _ = await live.services.run(person, GRACE)

        def poison(session: Session) -> None:
            row = session.scalar(select(ConversationRef).where(ConversationRef.user_id == MALLORY.user_id))
            row.person_id = grace_id
            row.updated_at = NOW.replace(hour=23)  # newer than Grace's own: would win "newest personal"

        await live.services.run(poison)
        asked = await live.say(MALLORY, "pending decisions")
        assert "Pending decisions" not in asked.card_text()
        assert (await live.services.run(references))[MALLORY.conversation_id] == (None, MALLORY.aad_object_id)

        from store.conversations.references import personal_reference

        newest = await live.services.run(lambda s: personal_reference(s, grace_id).conversation_id)
        assert newest == live.user("grace").conversation_id


async def test_a_person_without_an_object_id_is_matched_by_email_once_then_by_id(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        await live.services.run(
            lambda s: setattr(s.scalar(select(Person).where(Person.email == TRACY)), "aad_object_id", None)
        )
        live.connector.set_members(None, [roster(NEWCOMER, TRACY.title())])
        greeted = await live.install(NEWCOMER)
        assert "Tracy" in greeted.card_text()
        tracy_id, recorded = await live.services.run(person, TRACY)
        assert recorded == NEWCOMER.aad_object_id
        assert (await live.services.run(references))[NEWCOMER.conversation_id] == (tracy_id, NEWCOMER.aad_object_id)

        # Now that Tracy is known by her object id, a second account with her e-mail is a stranger.
        second = TeamsUser("Tracy R", "88888888-0000-4000-8000-000000000008", "29:tracy-2", "a:personal-tracy-2")
        live.connector.set_members(None, [roster(second, TRACY)])
        await live.install(second)
        assert "Pending decisions" not in (await live.say(second, "pending decisions")).card_text()
        assert (await live.services.run(references))[second.conversation_id] == (None, second.aad_object_id)
        assert await live.services.run(person, TRACY) == (tracy_id, NEWCOMER.aad_object_id)


def _make_sam_chief_of(group: str):
    def change(session: Session) -> None:
        sam = session.scalar(select(Person).where(Person.email == "sam.spencer@met.police.example"))
        group_id = session.scalar(select(BusinessGroup.id).where(BusinessGroup.name == group))
        session.execute(delete(PersonRole).where(PersonRole.person_id == sam.id, PersonRole.role == "chief_officer"))
        session.add(PersonRole(person_id=sam.id, role="chief_officer"))
        session.add(GroupLead(person_id=sam.id, business_group_id=group_id, role="chief_officer"))

    return change


def _an_action(group: str, not_owner_email: str):
    def find(session: Session) -> str:
        return session.scalar(
            select(Action.ref)
            .join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
            .join(Person, Person.id == Action.owner_id)
            .where(
                BusinessGroup.name == group, Action.status.in_(("open", "in progress")), Person.email != not_owner_email
            )
            .order_by(Action.ref)
            .limit(1)
        )

    return find


async def test_a_spoc_of_one_group_who_is_chief_officer_of_another_updates_only_in_the_first(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        sam = live.user("sam")
        await live.install(sam)
        await live.services.run(_make_sam_chief_of("Corporate Services"))
        other_group = await live.services.run(_an_action("Corporate Services", "sam.spencer@met.police.example"))
        own_group = await live.services.run(_an_action("Met Operations", "sam.spencer@met.police.example"))

        refused = await live.click(sam, "action.edit", {"ref": other_group})
        assert f"You can't update {other_group}" in refused.card_text()
        allowed = await live.click(sam, "action.edit", {"ref": own_group})
        assert f"Update {own_group}" in allowed.card_text()

        # As chief officer of Corporate Services he still sees that group's figures.
        seen = await live.say(sam, "what's overdue in Corporate Services")
        assert "Corporate Services" in seen.card_text() and "only ask about" not in seen.card_text().lower()
