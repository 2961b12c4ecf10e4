"""Issue 10's findings on identity and channels, reproduced over HTTP (points 4 and 5).

They were held as strict xfail until the identity work landed; they pass now and guard the fixes.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import NOW
from tests.fakes.connector import make_activity
from tests.fakes.live_bot import LiveBot

GRACE = "grace.gordon@met.police.example"
REFS = r"(?:DARA|HMI)-\d{4}-\d{3}"


def clock() -> datetime:
    return NOW


def _rows(url: str, sql: str, **params: Any) -> list[tuple]:
    engine = create_engine(url)
    with engine.connect() as c:
        rows = [tuple(r) for r in c.execute(text(sql), params)]
    engine.dispose()
    return rows


def _in(live: LiveBot, conversation: dict[str, Any], user: Any, **fields: Any) -> dict[str, Any]:
    activity = make_activity(
        live.connector.service_url,
        conversation_id=conversation["id"],
        user_id=user.user_id,
        user_name=user.name,
        aad_object_id=user.aad_object_id,
        **fields,
    )
    activity["conversation"].update(conversation)
    return activity


async def test_a_roster_email_does_not_take_over_a_person_known_by_another_object_id(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        grace = live.user("grace")
        await live.install(grace)
        [(grace_aad,)] = _rows(sqlite_url, "select aad_object_id from people where email = :e", e=GRACE)
        refs_before = _rows(sqlite_url, "select * from conversation_refs order by 1")
        intruder = {
            "id": "29:intruder",
            "name": "Intruder",
            "aadObjectId": "99999999-9999-4999-8999-999999999999",
            "email": GRACE,
            "userPrincipalName": GRACE,
        }
        live.connector.set_members("a:personal-intruder", [intruder])
        activity = make_activity(
            live.connector.service_url,
            conversation_id="a:personal-intruder",
            user_id=intruder["id"],
            user_name="Intruder",
            aad_object_id=intruder["aadObjectId"],
            text="decisions",
        )
        reply = await live.post(activity, expect=1)
        assert "That is for Strategy & Governance" in reply.card_text() or "Decisions" not in reply.card_text()
        assert _rows(sqlite_url, "select aad_object_id from people where email = :e", e=GRACE) == [(grace_aad,)]
        assert _rows(sqlite_url, "select * from conversation_refs order by 1")[: len(refs_before)] == refs_before, (
            "a person's conversation was repointed"
        )
        graces = _rows(
            sqlite_url,
            "select c.conversation_id, c.aad_object_id from conversation_refs c "
            "join people p on p.id = c.person_id where p.email = :e",
            e=GRACE,
        )
        assert graces == [("a:personal-grace", grace_aad)], f"the intruder was registered as Grace: {graces}"


@pytest.mark.parametrize(
    "conversation",
    [
        {"id": "19:team-channel@thread.tacv2", "conversationType": "channel", "isGroup": True},
        {"id": "19:group-chat@thread.v2", "conversationType": "groupChat", "isGroup": True},
    ],
)
async def test_scoped_lists_are_never_posted_where_others_read_them(
    sqlite_url: str, conversation: dict[str, Any]
) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        colin = live.user("colin")
        await live.install(colin)
        mention = {"type": "mention", "text": "<at>Tracker</at>", "mentioned": {"id": "28:bot", "name": "Tracker"}}
        asked = _in(live, conversation, colin, text="<at>Tracker</at> what's overdue in my group", entities=[mention])
        await live.post(asked, expect=1)
        in_shared = [
            r.activity for r in live.connector.records() if r.activity and r.conversation_id == conversation["id"]
        ]
        shown = str(in_shared)
        assert not re.search(REFS, shown), "refs of the group's actions were posted in the shared conversation"


async def test_one_persons_answer_does_not_continue_anothers_dialog(sqlite_url: str) -> None:
    conversation = {"id": "19:group-chat@thread.v2", "conversationType": "groupChat", "isGroup": True}
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        olivia, colin = live.user("olivia"), live.user("colin")
        for user in (olivia, colin):
            await live.install(user)
        await live.post(_in(live, conversation, olivia, text="update"), expect=1)
        before = len(live.connector.records())
        await live.post(_in(live, conversation, colin, text="1"), expect=1)
        answer = str([r.activity for r in live.connector.records()[before:] if r.activity])
        assert not re.search(REFS, answer), "Colin's '1' chose from Olivia's list of actions"
