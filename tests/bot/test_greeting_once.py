"""Issue 24: reopening the Playground showed "Hello" twice. A client announces one arrival twice at once
(installationUpdate and conversationUpdate); when the person's conversation was stored a while ago, both
turns read the old row, both judged it fresh, and both greeted. The greeting is now claimed by one
conditional write, so whatever the client replays, and however the turns interleave, it is sent once."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from tests.conftest import NOW
from tests.fakes.live_bot import LiveBot


async def test_a_replayed_arrival_is_greeted_once(database_url: str) -> None:
    url = database_url
    now = [NOW]

    def clock() -> datetime:
        return now[0]

    async with LiveBot.running(url, clock=clock) as live:
        users = [live.user(key) for key in ("olivia", "sam", "colin", "grace")]
        for user in users:
            await live.install(user)
        for _reopen in range(5):
            now[0] += timedelta(minutes=10)  # the Playground reopened later: the stored row is old
            before = len(live.connector.records())
            announcements = []
            for user in users:
                announcements += [
                    live._activity(user, type="installationUpdate", action="add"),
                    live._activity(user, type="conversationUpdate", membersAdded=[{"id": "28:bot"}]),
                    live._activity(user, type="conversationUpdate", membersAdded=[{"id": "28:bot"}]),
                ]
            replies = await asyncio.gather(*(live.post(a) for a in announcements))
            assert all(r.status == 200 for r in replies)
            await live.connector.wait_for(before + len(users))
            greeted = [r.conversation_id for r in live.connector.records()[before:]]
            assert sorted(greeted) == sorted(u.conversation_id for u in users), greeted
