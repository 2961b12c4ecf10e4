"""Issue 24: "who hasn't responded" typed by governance lists the non-responders by group (the cycle
status alone shows only the figures); a chief officer sees only their own group's."""

from __future__ import annotations

from datetime import datetime

from tests.bot.cycle_forms import cycle_form
from tests.bot.test_cycles_e2e import find_action
from tests.cardcheck import assert_valid_cards
from tests.conftest import NOW
from tests.fakes.live_bot import LiveBot


def clock() -> datetime:
    return NOW


async def test_who_has_not_responded_lists_them_by_group_within_scope(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        grace, colin = live.user("grace"), live.user("colin")
        for user in (grace, colin):
            await live.install(user)
        form = cycle_form(days="30")
        preview = await live.click(grace, "cycle.preview", form)
        await live.click(grace, "cycle.confirm", find_action(preview.cards[0], "cycle.confirm"), expect=1)

        figures = await live.say(grace, "cycle status")
        assert "Olivia Owen" not in figures.card_text()  # the figures alone, as before

        for text in ("who hasn't responded", "Who hasnt replied yet?", "non responders"):
            listed = await live.say(grace, text)
            shown = listed.card_text()
            assert "Not yet responded" in shown and "Olivia Owen" in shown, (text, shown)
            assert "Met Operations" in shown and "Corporate Services" in shown, text

        theirs = await live.say(colin, "who hasn't responded")
        assert "Olivia Owen" in theirs.card_text() and "Corporate Services" not in theirs.card_text()
        assert_valid_cards(*listed.cards, *theirs.cards)
