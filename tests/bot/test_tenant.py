"""Issue 10, point 3: only allowed tenants are served, checked before every turn in every mode;
the verified tenant id is stored with the conversation reference."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config import Settings
from store.db.models import Base, ConversationRef
from tests.conftest import NOW
from tests.fakes.live_bot import LiveBot

OURS = "11111111-aaaa-4bbb-8ccc-000000000001"
THEIRS = "99999999-aaaa-4bbb-8ccc-000000000009"


def clock() -> datetime:
    return NOW


def row_counts(session: Session) -> dict[str, int]:
    return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def stored_tenants(session: Session) -> list[tuple[str, str | None]]:
    return list(session.execute(select(ConversationRef.conversation_id, ConversationRef.tenant_id)).tuples())


def test_allowed_tenants_come_from_the_environment():
    assert Settings.from_env({}).allowed_tenant_ids == ()
    assert Settings.from_env({"MicrosoftAppTenantId": OURS.upper()}).allowed_tenant_ids == (OURS,)
    both = Settings.from_env({"MicrosoftAppTenantId": OURS, "ALLOWED_TENANT_IDS": f" {THEIRS} , {OURS},"})
    assert both.allowed_tenant_ids == (THEIRS, OURS)


async def test_another_tenants_message_gets_no_answer_and_stores_nothing(sqlite_url: str) -> None:
    settings = Settings(  # anonymous mode: still checked; no schedules (their nudges are not the visitor's)
        database_url=sqlite_url, allowed_tenant_ids=(OURS,), schedules=False
    )
    async with LiveBot.running(sqlite_url, clock=clock, settings=settings) as live:
        olivia = live.user("olivia")
        before = await live.services.run(row_counts)
        for activity in (
            live._activity(olivia, type="installationUpdate", action="add", tenant_id=THEIRS),
            live._activity(olivia, text="my actions", tenant_id=THEIRS),
            live._activity(olivia, text="my actions", tenant_id=None),  # no tenant at all
            live._activity(olivia, text="my actions", channelData="not an object"),
        ):
            reply = await live.post(activity)
            assert reply.status == 200 and reply.activities == []
        invoke = live._activity(
            olivia,
            type="invoke",
            name="adaptiveCard/action",
            tenant_id=THEIRS,
            value={"action": {"type": "Action.Execute", "verb": "greet", "data": {}}},
        )
        assert (await live.post(invoke)).status == 403
        assert await live.services.run(row_counts) == before
        assert live.connector.stats()["received"] == 0

        # The same user from the allowed tenant (any case) is served, and the tenant is stored.
        reply = await live.post(live._activity(olivia, text="my actions", tenant_id=OURS.upper()), expect=1)
        assert reply.status == 200 and reply.activities
        await live.post(live._activity(olivia, type="installationUpdate", action="add", tenant_id=OURS), expect=1)
        assert await live.services.run(stored_tenants) == [(olivia.conversation_id, OURS)]


async def test_without_an_allow_list_the_tenant_is_still_stored(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        await live.install(live.user("grace"))
        assert await live.services.run(stored_tenants) == [(live.user("grace").conversation_id, "tenant-1")]


def test_migration_fills_the_tenant_of_older_references(database_url: str) -> None:
    from sqlalchemy import insert

    from store.db.engine import make_engine, make_sessionmaker
    from store.db.migrate import upgrade

    engine = make_engine(database_url)
    upgrade(engine, "0002")
    with make_sessionmaker(engine).begin() as s:
        for cid, conversation in (("a:1", {"id": "a:1", "tenantId": OURS.upper()}), ("a:2", {"id": "a:2"})):
            s.execute(
                insert(ConversationRef.__table__).values(
                    user_id="29:u",
                    conversation_id=cid,
                    conversation_type="personal",
                    service_url="https://x",
                    reference={"conversation": conversation},
                    updated_at=NOW,
                )
            )
    upgrade(engine)
    with make_sessionmaker(engine)() as s:
        assert sorted(stored_tenants(s)) == [("a:1", OURS), ("a:2", None)]
    engine.dispose()
