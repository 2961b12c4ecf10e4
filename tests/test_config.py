"""Settings read from the environment: the tracker's time zone (London unless TRACKER_TIMEZONE says
otherwise), and a zone that does not exist stops the start with the variable named."""

from __future__ import annotations

from config import Settings


def test_settings_read_tracker_timezone_with_london_by_default():
    assert Settings.from_env({}).timezone == "Europe/London"
    assert Settings.from_env({"TRACKER_TIMEZONE": "Asia/Tokyo"}).zone.key == "Asia/Tokyo"


def test_an_unknown_zone_is_a_startup_problem_naming_the_variable():
    problem = Settings(timezone="Mars/Olympus").startup_problem()
    assert problem and "TRACKER_TIMEZONE" in problem and "Europe/London" in problem


def test_database_pool_size_is_read_and_a_wrong_value_is_named():
    assert Settings.from_env({}).database_pool_size == 20
    assert Settings.from_env({"DATABASE_POOL_SIZE": "40"}).database_pool_size == 40
    for wrong in ("0", "many", "-3"):
        try:
            Settings.from_env({"DATABASE_POOL_SIZE": wrong})
        except ValueError as exc:
            assert "DATABASE_POOL_SIZE must be a whole number of connections, at least 1" in str(exc)
        else:
            raise AssertionError(f"{wrong!r} accepted")


async def test_the_server_keeps_that_many_connections_for_concurrent_turns(database_url: str) -> None:
    """Fewer would open and close a connection (a PostgreSQL backend) for every turn beyond the pool."""
    from bot.app import build_app

    _, services = build_app(Settings(database_url=database_url, database_pool_size=30), lambda: None)
    engine = services.sessions.kw["bind"]
    assert engine.sync_engine.pool.size() == 30
    await engine.dispose()
