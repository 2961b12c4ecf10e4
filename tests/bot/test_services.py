"""The bot's collaborators: today is the tracker's local date, as for the command line."""

from __future__ import annotations

from datetime import date, datetime, timezone

from bot.services import BotServices
from config import Settings


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def test_bot_today_is_local():
    services = BotServices(settings=Settings(), sessions=None, clock=lambda: utc(2027, 3, 31, 23, 30))
    assert services.today() == date(2027, 4, 1)


async def test_run_in_thread_is_one_transaction_off_the_event_loop(engine, database_url: str) -> None:
    """The schedules' jobs run there: their work must not hold up the turns on the event loop."""
    import threading

    from sqlalchemy import func, select

    from store.db.models import BusinessGroup

    services = BotServices(settings=Settings(database_url=database_url), sessions=None, clock=datetime.now)
    loop_thread = threading.get_ident()

    def add_group(session, name):  # noqa: ANN001, ANN202
        session.add(BusinessGroup(name=name))
        session.flush()
        return threading.get_ident(), session.scalar(select(func.count()).select_from(BusinessGroup))

    thread, counted = await services.run_in_thread(add_group, "Cyber Crime")
    assert thread != loop_thread
    with engine.connect() as conn:  # committed: another connection sees it
        assert conn.scalar(select(func.count()).select_from(BusinessGroup)) == counted

    def fail(session):  # noqa: ANN001, ANN202
        session.add(BusinessGroup(name="Never"))
        session.flush()
        raise RuntimeError("the job failed")

    try:
        await services.run_in_thread(fail)
    except RuntimeError:
        pass
    with engine.connect() as conn:  # rolled back
        assert conn.scalar(select(func.count()).select_from(BusinessGroup).where(BusinessGroup.name == "Never")) == 0


async def test_the_app_builds_the_services_once_with_everything_and_they_stay_as_built(sqlite_url: str) -> None:
    import dataclasses

    import pytest

    from bot.app import build_app

    app, services = build_app(Settings(database_url=sqlite_url), datetime.now)
    try:
        assert services.host is not None and services.routes.verbs and services.owner_dialogs is not None
        assert services.answers is not None and services.answers.size == 512
        for name, value in (("host", None), ("routes", None), ("wake_outbox", lambda: None)):
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(services, name, value)
        woken: list[int] = []
        services.wake_outbox()  # no sender yet: nothing to wake, nothing fails
        services.wake_outbox.connect(lambda: woken.append(1))  # what the server's sender does when it starts
        services.wake_outbox()
        assert woken == [1]
    finally:
        await services.sessions.kw["bind"].dispose()
        services.dispose()
