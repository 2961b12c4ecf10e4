"""Cards kept per process (bot/answer_cache.py) are served again only while nothing they read has
changed, whoever changed it: another instance, the command line, or this instance itself."""

from __future__ import annotations

from contextlib import AsyncExitStack

from sqlalchemy import select, update

from store.db.engine import make_engine, make_sessionmaker
from store.db.models import Action, BusinessGroup
from tests.bot.test_owner_e2e import button, olivias_outstanding
from tests.bot.test_scale_out import two_instances
from tests.conftest import NOW
from tests.fakes.live_bot import card_text

HEADLINE = 1  # the figures sentence on an answer card: body[1]


def overdue_in_met_ops(url: str) -> list[str]:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        refs = s.scalars(
            select(Action.ref)
            .join(BusinessGroup, BusinessGroup.id == Action.business_group_id)
            .where(
                BusinessGroup.name == "Met Operations",
                Action.status.in_(("open", "in progress")),
                Action.due_date < NOW.date(),
            )
            .order_by(Action.due_date, Action.ref)
        ).all()
    engine.dispose()
    return list(refs)


def close_outside_the_bot(url: str, ref: str) -> None:
    """What `app.py import` or a DBA does: a write no bot process knows about."""
    engine = make_engine(url)
    with make_sessionmaker(engine).begin() as s:
        s.execute(update(Action).where(Action.ref == ref).values(status="implemented", implemented_on=NOW.date()))
    engine.dispose()


async def test_a_repeated_question_is_served_again_until_any_writer_changes_the_tracker(database_url: str) -> None:
    async with AsyncExitStack() as stack:
        a, b = await two_instances(stack, database_url)
        colin = a.user("colin")
        await a.install(colin)
        first = (await a.say(colin, "what's overdue in my group")).cards[0]
        assert first["body"][HEADLINE]["text"] == "49 outstanding in Met Operations, 16 overdue (33%)"
        cache = a.services.answers
        hits, misses = cache.hits, cache.misses
        again = (await a.say(colin, "what's overdue in my group")).cards[0]
        assert again == first
        # no statement but the version read (the counts say which way it went if it did not)
        assert (cache.hits, cache.misses) == (hits + 1, misses), (cache._version, list(cache._cards))

        # the command line (or a DBA) closes one of them: no process was told, the version tells them
        close_outside_the_bot(database_url, overdue_in_met_ops(database_url)[0])
        after = (await a.say(colin, "what's overdue in my group")).cards[0]
        assert after["body"][HEADLINE]["text"] == "48 outstanding in Met Operations, 15 overdue (31%)"

        # the other instance saves an owner's update: this instance's "my actions" page follows
        olivia = a.user("olivia")
        await a.install(olivia)
        before = (await a.say(olivia, "my actions")).cards[0]
        ref = olivias_outstanding(database_url)[0]
        [form] = (await b.click(olivia, "action.edit", {"ref": ref})).cards
        typed = {"delay_reason": "Awaiting Chief Officer decision/sign off", "progress_note": "Board in March."}
        saved = await b.click(olivia, "action.save", {**button(form, "action.save")["data"], **typed})
        assert "Saved" in card_text(saved.cards[0])
        now_mine = (await a.say(olivia, "my actions")).cards[0]
        assert "last update 26 Nov 2026" not in card_text(before)
        assert "last update 26 Nov 2026" in card_text(now_mine)  # her note, saved on the other instance


async def test_answer_cache_size_0_builds_every_card(database_url: str) -> None:
    async with AsyncExitStack() as stack:
        a, _ = await two_instances(stack, database_url)
        a.services.answers.size = 0  # ANSWER_CACHE_SIZE=0
        colin = a.user("colin")
        await a.install(colin)
        await a.say(colin, "what's overdue in my group")
        await a.say(colin, "what's overdue in my group")
        assert a.services.answers.hits == 0 and a.services.answers.misses == 0


async def test_a_repeated_question_costs_one_statement(database_url: str) -> None:
    """Who is asking, their dialog row, the vocabulary and the card all come from caches keyed on the
    tracker version, read with the dialog row in the turn's one statement."""
    from sqlalchemy import event

    async with AsyncExitStack() as stack:
        a, _ = await two_instances(stack, database_url)
        colin = a.user("colin")
        await a.install(colin)
        await a.say(colin, "what's overdue in my group")
        statements: list[str] = []
        engines = [a.services.sessions.kw["bind"].sync_engine, a.services.transaction_engine]
        listen = [e for e in engines if e is not None]
        for engine in listen:
            event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        await a.say(colin, "what's overdue in my group")
        assert len(statements) == 1, statements
        assert "tracker_version" in statements[0] and "dialog_state" in statements[0]
