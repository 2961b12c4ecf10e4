"""Issue 13 point 5 end to end over HTTP: an owner in an open update round clears a delay reason
with "No delay (back on track)", is refused a plain-http evidence link, then marks the action
implemented with two https links; the rows, the history and the card she sees are checked."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from domain.update_views import NO_DELAY
from store.db.models import Action, CycleItem, HistoryEntry, Person, UpdateCycle
from tests.bot.test_owner_e2e import NOW, OLIVIA, TODAY, button, clock, db
from tests.cardcheck import assert_valid_cards
from tests.fakes.live_bot import LiveBot, card_text

DEADLINE = TODAY + timedelta(days=14)
REASON = "Recruitment"
LINKS = "https://intranet.example.test/pack\r\nhttps://intranet.example.test/minutes"


def _prepare(url: str) -> tuple[str, int]:
    """Olivia's first action not yet past its due date gets a delay reason, and an open round asks about it."""
    engine, sessions = db(url)
    with sessions.begin() as s:
        olivia = s.scalar(select(Person).where(Person.email == OLIVIA))
        action = s.scalars(
            select(Action)
            .where(Action.owner_id == olivia.id, Action.due_date >= TODAY, Action.status.in_(("open", "in progress")))
            .order_by(Action.due_date, Action.ref)
        ).first()
        action.delay_reason = REASON
        cycle = UpdateCycle(
            opened_at=NOW - timedelta(days=1),
            opened_by="grace@example.test",
            deadline=DEADLINE,
            scope={"kind": "all"},
            status="open",
        )
        s.add(cycle)
        s.flush()
        item = CycleItem(cycle_id=cycle.id, owner_id=olivia.id, action_id=action.id, business_group="Met Operations")
        s.add(item)
        s.flush()
        ref, item_id = action.ref, item.id
    engine.dispose()
    return ref, item_id


def _choices(card: dict) -> list[tuple[str, str]]:
    node = next(n for n in card["body"] if n.get("id") == "delay_reason")
    return [(c["title"], c["value"]) for c in node["choices"]]


async def test_back_on_track_then_implemented_with_links(database_url: str) -> None:
    async with LiveBot.running(database_url, clock=clock) as live:  # builds the demo tracker
        ref, item_id = _prepare(database_url)
        olivia = live.user("olivia")
        [list_card] = (await live.say(olivia, "my actions")).cards
        edit = button(list_card, "action.edit")  # any; then the one prepared, as its own Update button would
        [form] = (await live.click(olivia, edit["verb"], {"ref": ref})).cards
        assert _choices(form)[0] == ("No delay (back on track)", NO_DELAY)
        save = button(form, "action.save")

        cleared = await live.click(
            olivia,
            "action.save",
            {**save["data"], "delay_reason": NO_DELAY, "progress_note": "Recruited; back on plan."},
        )
        [cleared_card] = cleared.cards
        text = card_text(cleared_card)
        assert "What happens next" in text and "Delay reason cleared: the action is back on track" in text
        assert f"answer to this quarter's update round (due {DEADLINE:%d %b %Y})" in text
        assert REASON not in text  # the card no longer shows the old reason

        engine, sessions = db(database_url)
        with sessions() as s:
            action = s.scalar(select(Action).where(Action.ref == ref))
            assert action.delay_reason is None and action.version == save["data"]["version"] + 1
            row = s.scalars(
                select(HistoryEntry).where(HistoryEntry.entity_ref == ref, HistoryEntry.field == "delay_reason")
            ).one()
            assert (row.old_value, row.new_value, row.actor, row.channel) == (REASON, None, OLIVIA, "teams")
            assert s.get(CycleItem, item_id).responded_at is not None

        again = button(cleared_card, "action.edit", "Update again")
        [form2] = (await live.click(olivia, "action.edit", again["data"])).cards
        save2 = button(form2, "action.save")
        refused = await live.click(
            olivia,
            "action.save",
            {**save2["data"], "status": "implemented", "evidence_link": "http://intranet.example.test/pack"},
        )
        [refused_card] = refused.cards
        assert "Evidence links must start with https://" in card_text(refused_card)
        assert "‘http://intranet.example.test/pack’ is not an https link" in card_text(refused_card)
        with sessions() as s:
            action = s.scalar(select(Action).where(Action.ref == ref))
            assert action.status != "implemented" and action.evidence_link is None
            assert action.version == save2["data"]["version"]

        done = await live.click(
            olivia,
            "action.save",
            {**save2["data"], "status": "implemented", "evidence_note": "Board minutes", "evidence_link": LINKS},
        )
        [done_card] = done.cards
        text = card_text(done_card)
        assert (
            "Strategy & Governance will review your closure request with this quarter's updates, once the "
            f"round closes on {DEADLINE:%d %b %Y}. If they accept it, the action is closed."
        ) in text
        assert "https://intranet.example.test/pack · https://intranet.example.test/minutes" in text
        with sessions() as s:
            action = s.scalar(select(Action).where(Action.ref == ref))
            assert (action.status, action.implemented_on, action.evidence_note, action.evidence_link) == (
                "implemented",
                TODAY,
                "Board minutes",
                "https://intranet.example.test/pack\nhttps://intranet.example.test/minutes",
            )
        engine.dispose()
        assert_valid_cards(list_card, form, cleared_card, form2, refused_card, done_card)
