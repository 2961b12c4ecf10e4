"""Issue 3 end to end over HTTP: 'my actions' -> Update -> Save through /api/messages, replies caught
by the fake Bot Connector (or in the invoke response body), and the database checked afterwards.

Set OWNER_TRANSCRIPT=path to write the text rendering of the cards (used for docs/journeys/owner.md).
"""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from store.db.engine import make_engine, make_sessionmaker
from store.db.models import Action, DueDateProposal, HistoryEntry, InspectionItem, Person
from tests.cardcheck import assert_valid_cards
from tests.conftest import NOW
from tests.fakes.live_bot import LiveBot, card_buttons, card_text

TODAY = NOW.date()
REVISED = date(2027, 6, 30)
OLIVIA = "olivia.owen@met.police.example"


def clock() -> datetime:
    return NOW


def db(url: str):
    engine = make_engine(url)
    return engine, make_sessionmaker(engine)


def olivias_outstanding(url: str) -> list[str]:
    """Independently: her open / in-progress actions, overdue first by original date, then by effective date."""
    engine, sessions = db(url)
    with sessions() as s:
        rows = s.execute(
            select(Action.ref, Action.due_date, Action.revised_due_date)
            .join(Person, Person.id == Action.owner_id)
            .where(Person.email == OLIVIA, Action.status.in_(("open", "in progress")))
        ).all()
    engine.dispose()
    return [
        r.ref
        for r in sorted(
            rows,
            key=lambda r: (
                r.due_date >= TODAY,
                r.due_date if r.due_date < TODAY else (r.revised_due_date or r.due_date),
                r.ref,
            ),
        )
    ]


executes = card_buttons


def button(card: dict[str, Any], verb: str, title: str | None = None) -> dict[str, Any]:
    return next(b for b in executes(card) if b["verb"] == verb and (title is None or b["title"] == title))


def render(card: dict[str, Any]) -> str:
    """A plain-text rendering of a card, for the README transcript."""
    lines: list[str] = []

    def walk(nodes: list[dict[str, Any]], indent: str = "") -> None:
        for n in nodes:
            kind = n.get("type")
            if kind == "TextBlock":
                lines.append(indent + n["text"])
            elif kind == "FactSet":
                lines.extend(f"{indent}  {f['title']}: {f['value']}" for f in n["facts"])
            elif kind in ("Container",):
                walk(n["items"], indent)
            elif kind == "ColumnSet":
                for col in n["columns"]:
                    walk(col["items"], indent)
            elif kind == "ActionSet":
                lines.append(indent + "  ".join(f"[ {a['title']} ]" for a in n["actions"]))
            elif kind and kind.startswith("Input."):
                shown = n.get("value", "")
                if kind == "Input.ChoiceSet" and not shown:
                    shown = "(choose: " + " | ".join(c["title"] for c in n["choices"][:3]) + " ...)"
                lines.append(f"{indent}{n['label']}: [{shown}]")

    walk(card["body"])
    if card.get("actions"):
        lines.append("  ".join(f"[ {a['title']} ]" for a in card["actions"]))
    return "\n".join(lines)


async def test_owner_goes_from_my_actions_to_a_saved_update_in_two_clicks(database_url: str) -> None:
    transcript: list[str] = []
    async with LiveBot.running(database_url, clock=clock) as live:
        olivia = live.user("olivia")
        listing = await live.say(olivia, "my actions")
        [list_card] = listing.cards
        expected = olivias_outstanding(database_url)
        assert "Your outstanding actions" in card_text(list_card)
        updates = [b for b in executes(list_card) if b["verb"] == "action.edit"]
        assert [b["data"]["ref"] for b in updates] == expected[:8]
        transcript += ["> Olivia: my actions", render(list_card)]

        ref = updates[0]["data"]["ref"]  # the most overdue
        edit = await live.click(olivia, "action.edit", updates[0]["data"])  # click 1
        [form] = edit.cards
        save = button(form, "action.save")
        assert save["data"]["ref"] == ref and edit.activities == []  # replaced in place, no new message
        typed = {
            "status": "in progress",
            "progress_note": "Draft policy agreed; awaiting the March board.",
            "delay_reason": "Awaiting Chief Officer decision/sign off",
            "revised_date": REVISED.isoformat(),
        }
        transcript += [f"> Olivia clicks Update on {ref}", render(form)]

        saved = await live.click(olivia, "action.save", {**save["data"], **typed})  # click 2 (Teams merges inputs)
        [saved_card] = saved.cards
        assert saved.activities == []  # the form is replaced by the saved state, in place
        assert "Saved. Revised date 30 Jun 2027 proposed — awaiting Strategy & Governance." in card_text(saved_card)
        transcript += ["> Olivia chooses a delay reason, types a note and a date, clicks Save", render(saved_card)]

        engine, sessions = db(database_url)
        with sessions() as s:
            action = s.scalar(select(Action).where(Action.ref == ref))
            assert (action.delay_reason, action.last_update_note, action.last_update_on, action.version) == (
                typed["delay_reason"],
                typed["progress_note"],
                TODAY,
                save["data"]["version"] + 1,
            )
            revised_before = action.revised_due_date  # only governance's acceptance changes it
            proposal = s.scalars(select(DueDateProposal).where(DueDateProposal.action_id == action.id)).one()
            assert (proposal.proposed_date, proposal.decision) == (REVISED, "pending")
            rows = s.scalars(
                select(HistoryEntry).where(
                    HistoryEntry.entity_ref == ref,
                    HistoryEntry.channel == "teams",
                    HistoryEntry.actor == OLIVIA,
                    HistoryEntry.at == NOW,
                )
            ).all()
            assert {"last_update_note", "last_update_on", "proposed_date"} <= {r.field for r in rows}
            history_count = len(rows)

        again = await live.click(olivia, "action.save", {**save["data"], **typed})  # a double click / retry
        assert "nothing was saved twice" in again.card_text()
        stale = await live.click(olivia, "action.save", {**save["data"], "progress_note": "From the old card"})
        assert "was changed after this card was sent" in stale.card_text()
        assert button(stale.cards[0], "action.save")["data"]["version"] == save["data"]["version"] + 1
        with sessions() as s:
            action = s.scalar(select(Action).where(Action.ref == ref))
            assert action.version == save["data"]["version"] + 1 and action.revised_due_date == revised_before
            assert action.last_update_note == typed["progress_note"]
            assert len(s.scalars(select(DueDateProposal).where(DueDateProposal.action_id == action.id)).all()) == 1
            assert (
                len(s.scalars(select(HistoryEntry).where(HistoryEntry.entity_ref == ref, HistoryEntry.at == NOW)).all())
                == history_count
            )

        colin = live.user("colin")
        refused_edit = await live.click(colin, "action.edit", {"ref": ref})
        refused_save = await live.click(
            colin, "action.save", {"ref": ref, "version": action.version, "progress_note": "Chief officer's note"}
        )
        for reply in (refused_edit, refused_save):
            assert f"You can't update {ref}" in reply.card_text()

        invalid = await live.click(
            olivia,
            "action.save",
            {"ref": ref, "version": action.version, "revised_date": "2026-01-01", "progress_note": "Keep me"},
        )
        [invalid_card] = invalid.cards
        assert "A revised date must be in the future" in card_text(invalid_card)
        assert "Keep me" in card_text(invalid_card)

        fallback = await live.submit(
            olivia,
            {
                **save["fallback"]["data"],
                "version": action.version,
                "progress_note": "Sent from a client without Universal Actions",
            },
        )
        [fallback_card] = fallback.cards
        assert "Saved." in card_text(fallback_card) and fallback.activities  # sent as a new message
        with sessions() as s:
            action = s.scalar(select(Action).where(Action.ref == ref))
            assert action.last_update_note == "Sent from a client without Universal Actions"
            assert action.version == save["data"]["version"] + 2
        with sessions() as s:
            unchanged = s.scalar(select(Action.last_update_note).where(Action.ref == ref))
            assert unchanged != "Chief officer's note"
        engine.dispose()
        assert_valid_cards(
            list_card,
            form,
            saved_card,
            *again.cards,
            *stale.cards,
            *refused_edit.cards,
            *refused_save.cards,
            invalid_card,
            fallback_card,
        )
    if path := os.environ.get("OWNER_TRANSCRIPT"):
        with open(path, "w", encoding="utf-8") as out:
            out.write("\n\n".join(transcript) + "\n")


async def test_hmicfrs_items_and_paging_over_http(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        engine, sessions = db(sqlite_url)
        with sessions.begin() as s:  # the demo gives Olivia no HMICFRS item: hand her two of Met Operations'
            olivia_id = s.scalar(select(Person.id).where(Person.email == OLIVIA))
            for item in s.scalars(
                select(InspectionItem)
                .where(InspectionItem.status == "open", InspectionItem.business_group.has(name="Met Operations"))
                .order_by(InspectionItem.ref)
                .limit(2)
            ):
                item.owner_id = olivia_id
        engine.dispose()
        olivia = live.user("olivia")
        [list_card] = (await live.say(olivia, "my actions")).cards
        to_items = button(list_card, "my_inspections.page")
        items = await live.click(olivia, to_items["verb"], to_items["data"])
        [items_card] = items.cards
        first = button(items_card, "inspection.edit")
        [form] = (await live.click(olivia, "inspection.edit", first["data"])).cards
        save = button(form, "inspection.save")
        refused = await live.click(olivia, "inspection.save", {**save["data"], "status": "submitted for closure"})
        assert "Evidence is required when submitting an item for closure" in refused.card_text()
        done = await live.click(
            olivia,
            "inspection.save",
            {**save["data"], "status": "submitted for closure", "evidence_link": "https://intranet.example.test/hmi"},
        )
        assert "Submitted for closure — awaiting Strategy & Governance." in done.card_text()
        assert_valid_cards(list_card, items_card, form, *refused.cards, *done.cards)


async def test_typing_update_and_a_number_opens_the_card(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        olivia = live.user("olivia")
        chooser = await live.say(olivia, "update")
        assert "Which of your" in chooser.card_text()
        first = olivias_outstanding(sqlite_url)[0]
        reply = await live.say(olivia, "1")
        assert f"Update {first}" in reply.card_text()
        question = await live.say(olivia, "what's overdue in my group")  # not swallowed by the dialog
        text = question.card_text()
        assert text and "Which of your" not in text and "Update DARA" not in text
