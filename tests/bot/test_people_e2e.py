"""Issue 13 point 3 end to end over HTTP: reassign an action, name a cover, orphaned actions; the
replies are the cards a person sees, and the rows are checked in the database afterwards."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from domain.permissions import operator_viewer
from store.cycles.lifecycle import CycleScope, start_cycle
from store.db.engine import make_engine, make_sessionmaker
from store.db.models import Action, CycleItem, HistoryEntry, OutboxMessage, Person
from tests.cardcheck import assert_valid_cards
from tests.conftest import NOW
from tests.fakes.live_bot import LiveBot, card_buttons, card_inputs, card_text

TODAY = NOW.date()
OLIVIA, SAM = "olivia.owen@met.police.example", "sam.spencer@met.police.example"
COLIN, GRACE = "colin.chambers@met.police.example", "grace.gordon@met.police.example"


def clock() -> datetime:
    return NOW


async def my_refs(live: LiveBot, user) -> set[str]:
    """Every ref on every page of the user's 'my actions'."""
    refs: set[str] = set()
    page, seen = 0, -1
    while page != seen:
        seen = page
        reply = await live.click(user, "my_actions.page", {"page": page})
        [card] = reply.cards
        refs |= {b["data"]["ref"] for b in card_buttons(card) if b["verb"] == "action.edit"}
        nxt = [b for b in card_buttons(card) if b["verb"] == "my_actions.page" and b["data"]["page"] > page]
        page = nxt[0]["data"]["page"] if nxt else page
    return refs


async def test_a_spoc_reassigns_in_an_open_cycle_and_the_owner_cannot(database_url: str) -> None:
    async with LiveBot.running(database_url, clock=clock) as live:
        engine = make_engine(database_url)
        sessions = make_sessionmaker(engine)
        with sessions.begin() as s:
            start_cycle(
                s,
                operator_viewer(GRACE),
                scope=CycleScope("group", group="Met Operations"),
                deadline=TODAY + timedelta(days=14),
                message=None,
                now=NOW,
                today=TODAY,
            )
            olivia_id = s.scalar(select(Person.id).where(Person.email == OLIVIA))
            sam_id = s.scalar(select(Person.id).where(Person.email == SAM))
            ref = s.scalar(
                select(Action.ref)
                .join(CycleItem, CycleItem.action_id == Action.id)
                .where(CycleItem.owner_id == olivia_id)
                .order_by(Action.ref)
                .limit(1)
            )
        sam, olivia = live.user("sam"), live.user("olivia")
        assert ref not in await my_refs(live, sam)

        asked = await live.say(sam, f"reassign {ref}")
        [form] = asked.cards
        chooser = card_inputs(form)["to"]
        assert chooser["type"] == "Input.ChoiceSet" and chooser["style"] == "filtered"
        assert f"Reassign {ref}" in card_text(form) and "Olivia Owen" in card_text(form)
        assert OLIVIA not in [c["value"] for c in chooser["choices"]] and SAM in [
            c["value"] for c in chooser["choices"]
        ]
        save = next(b for b in card_buttons(form) if b["verb"] == "reassign.save")

        missing = await live.click(sam, "reassign.save", save["data"])  # no one chosen
        assert "Choose the new owner." in missing.card_text()
        refused = await live.click(olivia, "reassign.save", {**save["data"], "to": SAM})
        assert "Only Strategy & Governance or a business group's SPOC can reassign" in refused.card_text()
        done = await live.click(sam, "reassign.save", {**save["data"], "to": SAM})
        [done_card] = done.cards
        assert f"**{ref}** now belongs to **Sam Spencer** (it was Olivia Owen's)" in card_text(done_card)
        assert "asked about it in the open update cycle" in card_text(done_card)
        again = await live.click(sam, "reassign.save", {**save["data"], "to": SAM})
        assert f"Sam Spencer already owns {ref}" in again.card_text()

        with sessions() as s:
            action = s.scalar(select(Action).where(Action.ref == ref))
            assert action.owner_id == sam_id
            h = s.scalars(
                select(HistoryEntry).where(HistoryEntry.entity_ref == ref, HistoryEntry.field == "owner_email")
            ).one()
            assert (h.actor, h.channel, h.old_value, h.new_value) == (SAM, "teams", OLIVIA, SAM)
            assert s.scalar(select(CycleItem.owner_id).where(CycleItem.action_id == action.id)) == sam_id
            to_sam = s.scalars(
                select(OutboxMessage).where(OutboxMessage.person_id == sam_id, OutboxMessage.kind == "request")
            ).all()
            assert any(ref in [i["ref"] for i in m.payload["items"]] for m in to_sam)
        assert ref in await my_refs(live, sam)
        assert ref not in await my_refs(live, olivia)
        engine.dispose()
        assert_valid_cards(form, *missing.cards, *refused.cards, done_card, *again.cards)


async def test_an_owner_names_a_cover_who_then_updates_for_them(database_url: str) -> None:
    async with LiveBot.running(database_url, clock=clock) as live:
        engine = make_engine(database_url)
        sessions = make_sessionmaker(engine)
        olivia, colin = live.user("olivia"), live.user("colin")
        olivias = await my_refs(live, olivia)
        ref = sorted(olivias)[0]
        refused = await live.click(colin, "action.edit", {"ref": ref})
        assert f"You can't update {ref}" in refused.card_text()

        asked = await live.say(olivia, "I am on annual leave")
        [form] = asked.cards
        assert card_inputs(form)["cover"]["style"] == "filtered" and "owner" not in card_inputs(form)
        first, last = TODAY.isoformat(), (TODAY + timedelta(days=7)).isoformat()
        wrong = await live.click(olivia, "cover.save", {"cover": COLIN, "from": last, "to": first})
        assert "The last day is before the first day." in wrong.card_text()
        blank = await live.click(olivia, "cover.save", {"cover": "", "from": first, "to": "soon"})
        assert "Choose who covers." in blank.card_text() and "Choose the last day." in blank.card_text()
        saved = await live.click(olivia, "cover.save", {"cover": COLIN, "from": first, "to": last})
        assert "**Colin Chambers** covers **Olivia Owen**" in saved.card_text()

        assert olivias <= await my_refs(live, colin)
        edit = await live.click(colin, "action.edit", {"ref": ref})
        [edit_card] = edit.cards
        version = next(b for b in card_buttons(edit_card) if b["verb"] == "action.save")["data"]["version"]
        update = await live.click(
            colin,
            "action.save",
            {
                "ref": ref,
                "version": version,
                "status": "in progress",
                "progress_note": "Covering: chased the supplier",
                "delay_reason": "Resource challenges",
            },
        )
        assert "Saved." in update.card_text()
        with sessions() as s:
            row = s.scalar(
                select(HistoryEntry).where(HistoryEntry.entity_ref == ref, HistoryEntry.field == "last_update_note")
            )
            assert (row.actor, row.on_behalf_of, row.new_value) == (COLIN, OLIVIA, "Covering: chased the supplier")
        engine.dispose()
        assert_valid_cards(form, *wrong.cards, *blank.cards, *saved.cards, edit_card, *update.cards)


async def test_orphaned_actions_for_governance_and_the_group(database_url: str) -> None:
    async with LiveBot.running(database_url, clock=clock) as live:
        engine = make_engine(database_url)
        sessions = make_sessionmaker(engine)
        grace, colin, _olivia = live.user("grace"), live.user("colin"), live.user("olivia")
        none_yet = await live.say(grace, "orphaned actions")
        assert "No orphaned actions" in none_yet.card_text()
        with sessions.begin() as s:
            s.scalar(select(Person).where(Person.email == OLIVIA)).active = False
        listed = await live.say(grace, "which actions have an owner who has left?")
        [card] = listed.cards
        assert "Orphaned actions:" in card_text(card) and "Olivia Owen" in card_text(card)
        assert any(b["verb"] == "reassign.form" for b in card_buttons(card))
        for_colin = await live.say(colin, "orphaned actions")
        assert "Met Operations" in for_colin.card_text() and "Olivia Owen" in for_colin.card_text()
        assert not any(b["verb"] == "reassign.form" for b in card_buttons(for_colin.cards[0]))  # not a SPOC
        form = await live.click(
            grace, "reassign.form", next(b for b in card_buttons(card) if b["verb"] == "reassign.form")["data"]
        )
        assert OLIVIA not in [c["value"] for c in card_inputs(form.cards[0])["to"]["choices"]]  # she has left
        engine.dispose()
        assert_valid_cards(*none_yet.cards, card, *for_colin.cards, *form.cards)
