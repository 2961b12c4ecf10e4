"""Settings read from the environment: the tracker's time zone (London unless TRACKER_TIMEZONE says
otherwise), and a zone that does not exist stops the start with the variable named."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pydantic import ValidationError

from cli import main
from config import Settings, SettingsError


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


def test_a_send_rate_of_0_or_below_is_refused_naming_the_variable_and_its_range() -> None:
    assert Settings.from_env({"SEND_RATE_PER_SECOND": "2.5"}).send_rate_per_second == 2.5
    for wrong in ("0", "-5", "fast", "nan", "inf"):
        with pytest.raises(SettingsError) as caught:
            Settings.from_env({"SEND_RATE_PER_SECOND": wrong})
        assert str(caught.value) == f"SEND_RATE_PER_SECOND must be a number of messages a second above 0, not {wrong!r}"


def test_every_bad_value_is_named_in_one_line() -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"PORT": "70000", "DATABASE_POOL_SIZE": "0", "BOT_SDK": "teams-ai", "TRACKER_TODAY": "soon"})
    message = str(caught.value)
    assert "\n" not in message
    for words in (
        "PORT must be a TCP port, a whole number from 0 to 65535, not '70000'",
        "DATABASE_POOL_SIZE must be a whole number of connections, at least 1, not '0'",
        "BOT_SDK must be 'agents' (the default) or 'botbuilder', not 'teams-ai'",
        "TRACKER_TODAY must be a date written YYYY-MM-DD",
    ):
        assert words in message


def test_serve_with_a_send_rate_of_0_says_so_in_one_line_and_stops(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SEND_RATE_PER_SECOND", "0")
    started: list[object] = []
    monkeypatch.setattr("bot.app.run", lambda *a, **k: started.append(a) or 0)
    assert main(["serve"]) != 0
    err = capsys.readouterr().err
    assert err == "error: SEND_RATE_PER_SECOND must be a number of messages a second above 0, not '0'\n"
    assert started == []


def test_serve_refuses_a_database_older_than_the_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'never-migrated.db'}")
    monkeypatch.setenv("PORT", "0")
    started: list[object] = []
    monkeypatch.setattr("bot.app.run", lambda *a, **k: started.append(a) or 0)
    assert main(["serve"]) == 1
    assert "the database is not up to date: run `python app.py migrate`" in capsys.readouterr().err
    assert started == []


SECRETS = {
    "MicrosoftAppPassword": "app-password-Zq81",
    "LINK_SECRET": "link-secret-Kx0c7PLv2Q9mW4sT8yB1nR6dF3hJ5gA",
    "METRICS_TOKEN": "metrics-token-Wd42",
    "DATABASE_URL": "postgresql://tracker:db-password-Lp07@db.example:5432/tracker",
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET": "sdk-secret-Rt55",
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CERTPEMFILE": "/run/secrets/bot-cert-Hh11.pem",
}


def test_secrets_never_appear_in_repr_str_or_a_log_line(caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings.from_env({"MicrosoftAppId": "app-1", **SECRETS})
    assert settings.app_password == "app-password-Zq81"  # the value itself is there for the SDK
    log = logging.getLogger("tests.config")
    with caplog.at_level(logging.INFO):
        log.info("settings: %s", settings)
        log.info("settings: %r", settings)
        log.info("settings: %s", [settings])
    shown = "\n".join((repr(settings), str(settings), f"{settings}", caplog.text))
    for value in ("app-password-Zq81", "link-secret-", "metrics-token-Wd42", "db-password-Lp07", "sdk-secret", "Hh11"):
        assert value not in shown, value
    assert "app_id='app-1'" in repr(settings) and "db.example" in repr(settings)  # the rest is shown


def test_settings_built_in_code_read_no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://somewhere/else")
    monkeypatch.setenv("SEND_RATE_PER_SECOND", "0")
    assert Settings(port=0).database_url.startswith("sqlite:///")  # only from_env reads the environment
    with pytest.raises(SettingsError, match="SEND_RATE_PER_SECOND"):
        Settings.from_env()


def test_settings_are_immutable() -> None:
    settings = Settings()
    with pytest.raises(ValidationError):
        settings.port = 1  # type: ignore[misc]
