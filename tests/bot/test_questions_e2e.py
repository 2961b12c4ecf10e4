"""Issue 4 end to end over HTTP: typed questions to /api/messages, cards caught by the fake
Bot Connector, figures checked against an independent count from the database."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select

from store.db.engine import make_engine, make_sessionmaker
from store.db.models import Action, Audit, BusinessGroup, Person
from tests.cardcheck import assert_valid_cards
from tests.conftest import NOW
from tests.fakes.live_bot import LiveBot, card_text

TODAY = NOW.date()


def clock() -> datetime:
    return NOW


def tracker(url: str) -> list[dict[str, Any]]:
    """Every action as plain values (the test's own copy, read straight from the tables)."""
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        rows = s.execute(
            select(
                Action.ref,
                Action.risk,
                Action.status,
                Action.due_date,
                Action.revised_due_date,
                Audit.assurance,
                BusinessGroup.name,
                Person.name,
            )
            .join(Audit, Audit.id == Action.audit_id)
            .join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
            .join(Person, Person.id == Action.owner_id)
        ).all()
    engine.dispose()
    keys = ("ref", "risk", "status", "due", "revised", "assurance", "group", "owner")
    return [dict(zip(keys, r)) for r in rows]


def outstanding(actions, **where) -> list[dict[str, Any]]:
    def monitored(a) -> bool:
        return a["risk"] == "high" or (a["risk"] == "medium" and a["assurance"] in ("limited", "no assurance"))

    return [
        a
        for a in actions
        if monitored(a) and a["status"] in ("open", "in progress") and all(a[k] == v for k, v in where.items())
    ]


def late(actions) -> list[dict[str, Any]]:
    return sorted((a for a in actions if a["due"] < TODAY), key=lambda a: (a["due"], a["ref"]))


def pct(part: int, whole: int) -> int:
    return int((Decimal(100 * part) / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP)) if whole else 0


def buttons(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = {}
    for element in card["body"]:
        if element.get("type") == "ActionSet":
            found.update({a["title"]: a for a in element["actions"]})
    return found


def item_refs(card: dict[str, Any]) -> list[str]:
    return [el["selectAction"]["data"]["ref"] for el in card["body"] if el.get("selectAction")]


async def test_chief_officer_overdue_in_my_group_pages_and_opens_detail(database_url: str) -> None:
    async with LiveBot.running(database_url, clock=clock) as live:
        colin = live.user("colin")
        reply = await live.say(colin, "what's overdue in my group")
        [card] = reply.cards
        mine = outstanding(tracker(database_url), group="Met Operations")
        overdue = late(mine)
        sentence = (
            f"{len(mine)} outstanding in Met Operations, {len(overdue)} overdue ({pct(len(overdue), len(mine))}%)"
        )
        assert card["body"][1]["text"] == sentence
        assert sentence == "49 outstanding in Met Operations, 16 overdue (33%)"  # the demo mirrors the seed
        assert item_refs(card) == [a["ref"] for a in overdue[:10]]
        chart = next(el for el in card["body"] if el["type"].startswith("Chart."))
        assert chart["fallback"]["type"] == "Table" and sum(p["y"] for p in chart["data"]) == len(overdue)

        nxt = buttons(card)["Next"]
        page2 = await live.click(colin, nxt["verb"], nxt["data"])
        [card2] = page2.cards
        assert item_refs(card2) == [a["ref"] for a in overdue[10:20]]
        assert card2["body"][1]["text"] == sentence and "Previous" in buttons(card2)
        prev = buttons(card2)["Previous"]
        back = await live.click(colin, prev["verb"], prev["data"])
        assert item_refs(back.cards[0]) == item_refs(card)

        first = next(el for el in card2["body"] if el.get("selectAction"))["selectAction"]
        detail = await live.click(colin, first["verb"], first["data"])
        [detail_card] = detail.cards
        text = card_text(detail_card)
        assert overdue[10]["ref"] in text and "Original due date" in text and "Recent history" in text
        [to_list] = detail_card["actions"][:1]
        again = await live.click(colin, to_list["verb"], to_list["data"])
        assert item_refs(again.cards[0]) == item_refs(card2)

        submitted = await live.submit(colin, nxt["fallback"]["data"])  # clients without Universal Actions
        assert item_refs(submitted.cards[0]) == item_refs(card2)
        assert_valid_cards(card, card2, detail_card, submitted.cards[0])


async def test_chief_officer_is_refused_another_group_even_by_a_forged_click(database_url: str) -> None:
    async with LiveBot.running(database_url, clock=clock) as live:
        colin = live.user("colin")
        reply = await live.say(colin, "what's overdue in Corporate Services?")
        text = reply.card_text()
        assert "Sorry, I can't share that" in text and "Corporate Services is outside the groups you lead" in text
        assert "DARA-" not in text
        forged = await live.click(
            colin,
            "question.page",
            {"q": {"intent": "overdue", "text": "x", "groups": ["Corporate Services"]}, "page": 0},
        )
        assert "Sorry, I can't share that" in forged.card_text()
        elsewhere = outstanding(tracker(database_url), group="Corporate Services")[0]["ref"]
        grace_only = await live.click(colin, "question.detail", {"ref": elsewhere, "kind": "action"})
        assert "I can't show that item" in grace_only.card_text()
        assert_valid_cards(*reply.cards, *forged.cards, *grace_only.cards)


async def test_governance_summary_and_late_for_met_ops(database_url: str) -> None:
    async with LiveBot.running(database_url, clock=clock) as live:
        grace = live.user("grace")
        actions = tracker(database_url)
        everything = outstanding(actions)
        reply = await live.say(grace, "summary")
        [card] = reply.cards
        overdue = late(everything)
        assert card["body"][1]["text"] == (
            f"{len(everything)} outstanding across the force, {len(overdue)} overdue "
            f"({pct(len(overdue), len(everything))}%)"
        )
        table = next(el for el in card["body"] if el["type"] == "Table")
        by_group = {
            r["cells"][0]["items"][0]["text"]: [c["items"][0]["text"] for c in r["cells"][1:]]
            for r in table["rows"][1:]
        }
        for group, (n, o, p) in by_group.items():
            mine = outstanding(actions, group=group)
            assert (int(n), int(o), p) == (len(mine), len(late(mine)), f"{pct(len(late(mine)), len(mine))}%")
        facts = {f["title"]: f["value"] for el in card["body"] if el["type"] == "FactSet" for f in el["facts"]}
        assert facts["Overdue with a revised date"] == str(len([a for a in overdue if a["revised"]]))

        met = await live.say(grace, "anything late for Met Ops?")
        mine = outstanding(actions, group="Met Operations")
        assert met.cards[0]["body"][1]["text"] == (
            f"{len(mine)} outstanding in Met Operations, {len(late(mine))} overdue ({pct(len(late(mine)), len(mine))}%)"
        )
        assert set(item_refs(met.cards[0])) <= {a["ref"] for a in late(mine)}
        assert_valid_cards(card, *met.cards)


async def test_owner_sees_only_her_own(database_url: str) -> None:
    async with LiveBot.running(database_url, clock=clock) as live:
        olivia = live.user("olivia")
        reply = await live.say(olivia, "what's overdue")
        [card] = reply.cards
        hers = outstanding(tracker(database_url), owner="Olivia Owen")
        overdue = late(hers)
        assert card["body"][1]["text"] == (
            f"{len(hers)} of your actions outstanding, {len(overdue)} overdue ({pct(len(overdue), len(hers))}%)"
        )
        assert item_refs(card) == [a["ref"] for a in overdue][:10] and overdue
        group = await live.say(olivia, "what's overdue in Met Operations")
        refs = item_refs(group.cards[0])
        assert refs == item_refs(card)  # naming her group does not widen what she sees
        assert "You can see your own actions" in group.card_text()
        assert_valid_cards(card, *group.cards)
