"""Issue 10, point 5 over HTTP: in a team channel or group chat everyone reads the bot's replies.

Scoped answers (lists, details, the update dialog's questions) go to the asker's personal chat; the
shared conversation gets a short note, or a line telling the asker to open the personal chat when
the bot cannot reach them there. Dialog state belongs to one user: another member's "yes" in the
same group chat does not finish someone else's "mark ... implemented".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.db.models import Action, Person
from tests.conftest import NOW
from tests.fakes.live_bot import LiveBot, Reply, TeamsUser, card_text

GROUP = "19:meeting-group-1@thread.v2"
CHANNEL = "19:general-channel@thread.tacv2;messageid=1"


def clock() -> datetime:
    return NOW


def shared(
    live: LiveBot, user: TeamsUser, conversation_id: str = GROUP, kind: str = "groupChat", **fields: Any
) -> dict[str, Any]:
    """An activity from `user` in a group chat (or a channel), as Teams posts it."""
    conversation = {"id": conversation_id, "conversationType": kind, "isGroup": True, "tenantId": "tenant-1"}
    if "text" in fields:
        fields["text"] = f"<at>Tracker</at> {fields['text']}"
        fields["entities"] = [
            {"type": "mention", "text": "<at>Tracker</at>", "mentioned": {"id": "28:bot", "name": "Tracker"}}
        ]
    return live._activity(user, conversation=conversation, **fields)


def seen_in(live: LiveBot, conversation_id: str, since: int = 0) -> str:
    """Everything a reader of the conversation can see (texts and cards) from record `since` on."""
    acts = [r.activity for r in live.connector.records(conversation_id, accepted_only=True)[since:] if r.activity]
    out = []
    for activity in acts:
        out.append(activity.get("text") or "")
        out += [card_text(a["content"]) for a in activity.get("attachments") or []]
    return "\n".join(out)


def count(live: LiveBot, conversation_id: str) -> int:
    return len(live.connector.records(conversation_id, accepted_only=True))


async def say_in_group(live: LiveBot, user: TeamsUser, text: str, expect: int = 2, **kw: Any) -> Reply:
    return await live.post(shared(live, user, text=text, **kw), expect=expect)


def olivias_first_outstanding(session: Session) -> str:
    return session.scalar(
        select(Action.ref)
        .join(Person, Person.id == Action.owner_id)
        .where(Person.email == "olivia.owen@met.police.example", Action.status.in_(("open", "in progress")))
        .order_by(Action.ref)
        .limit(1)
    )


def status_of(ref: str):
    return lambda s: s.scalar(select(Action.status).where(Action.ref == ref))


async def test_a_scoped_list_asked_in_a_group_chat_goes_to_the_personal_chat(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        colin = live.user("colin")
        await live.install(colin)
        before_personal = count(live, colin.conversation_id)

        reply = await say_in_group(live, colin, "what's overdue in my group")
        assert reply.status == 200
        in_group = seen_in(live, GROUP)
        assert "personal chat" in in_group
        assert "Met Operations" not in in_group and "DARA" not in in_group and "overdue" not in in_group.lower()
        assert not any(a.get("attachments") for a in live.connector.activities(GROUP))
        private = seen_in(live, colin.conversation_id, before_personal)
        assert "Met Operations" in private and "DARA" in private

        # A channel is treated the same; "my actions" from a SPOC as well.
        sam = live.user("sam")
        await live.install(sam)
        before_personal = count(live, sam.conversation_id)
        await say_in_group(live, sam, "my actions", conversation_id=CHANNEL, kind="channel")
        assert "DARA" not in seen_in(live, CHANNEL) and "personal chat" in seen_in(live, CHANNEL)
        assert "DARA" in seen_in(live, sam.conversation_id, before_personal)


async def test_a_button_clicked_in_a_group_chat_answers_in_the_personal_chat(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        olivia = live.user("olivia")
        await live.install(olivia)
        ref = await live.services.run(olivias_first_outstanding)
        before_personal = count(live, olivia.conversation_id)
        value = {"action": {"type": "Action.Execute", "verb": "action.edit", "data": {"ref": ref}}, "trigger": "manual"}
        reply = await live.post(shared(live, olivia, type="invoke", name="adaptiveCard/action", value=value), expect=1)
        assert reply.status == 200
        assert ref not in card_text(reply.body["value"]) and "personal chat" in card_text(reply.body["value"])
        assert seen_in(live, GROUP) == ""
        assert f"Update {ref}" in seen_in(live, olivia.conversation_id, before_personal)


async def test_without_a_personal_chat_the_asker_is_told_to_open_one(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        colin = live.user("colin")  # never installed the bot for himself: no personal conversation
        reply = await say_in_group(live, colin, "what's overdue in my group", expect=1)
        assert reply.status == 200
        in_group = seen_in(live, GROUP)
        assert "open" in in_group.lower() and "personal chat" in in_group.lower()
        assert "Met Operations" not in in_group and "DARA" not in in_group
        assert live.connector.activities(colin.conversation_id) == []


async def test_two_members_dialogs_in_one_group_chat_stay_apart(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        olivia, sam = live.user("olivia"), live.user("sam")
        await live.install(olivia)
        await live.install(sam)
        ref = await live.services.run(olivias_first_outstanding)
        start = count(live, olivia.conversation_id)

        await say_in_group(live, olivia, f"mark {ref} implemented")
        assert f"Mark **{ref}**" in seen_in(live, olivia.conversation_id, start)
        assert ref not in seen_in(live, GROUP)

        # Sam (her group's SPOC, who may update her actions) says "yes" in the same chat: not her dialog.
        sam_start = count(live, sam.conversation_id)
        await say_in_group(live, sam, "yes")
        assert "evidence" not in seen_in(live, sam.conversation_id, sam_start).lower()
        assert await live.services.run(status_of(ref)) != "implemented"

        # Olivia answers (in her personal chat, where the question reached her): her dialog goes on.
        asked = count(live, olivia.conversation_id)
        await live.say(olivia, "yes")
        assert "What is the evidence" in seen_in(live, olivia.conversation_id, asked)
        await say_in_group(live, olivia, "Published on the intranet https://intranet.example.test/p")
        assert await live.services.run(status_of(ref)) == "implemented"
        assert "intranet" not in seen_in(live, GROUP)
