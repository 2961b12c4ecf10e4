"""Issue 10, point 2: no secret is written in the code, and an authenticated server needs LINK_SECRET."""

from __future__ import annotations

import secrets
import subprocess
import sys

import pytest

import config
from cli import main
from config import PROJECT_ROOT, Settings

APP_ID = "00000000-0000-0000-0000-00000000abcd"
LONG_SECRET = secrets.token_urlsafe(48)  # a random one: "x" * 32 is refused as predictable (issue 25)


@pytest.mark.parametrize("link_secret", ["", "short-secret"])
def test_serve_refuses_to_start_with_an_app_id_and_no_proper_link_secret(monkeypatch, capsys, link_secret):
    monkeypatch.setenv("MicrosoftAppId", APP_ID)
    monkeypatch.setenv("MicrosoftAppPassword", "p" * 40)  # the app password is no longer a fallback
    monkeypatch.setenv("LINK_SECRET", link_secret)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///:memory:")
    built = []
    monkeypatch.setattr("bot.app.run", lambda *a, **k: built.append(a) or 0)
    assert main(["serve"]) == 1
    err = capsys.readouterr().err
    assert "LINK_SECRET" in err and "32" in err and "Traceback" not in err
    assert built == []  # nothing was built, nothing listens


def test_serve_starts_with_a_long_link_secret(monkeypatch):
    monkeypatch.setenv("MicrosoftAppId", APP_ID)
    monkeypatch.setenv("LINK_SECRET", LONG_SECRET)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///:memory:")
    built = []
    monkeypatch.setattr("bot.app.run", lambda settings, clock: built.append(settings) or 0)
    monkeypatch.setattr("cli.runtime.Runtime.require_up_to_date", lambda rt: None)  # ':memory:' is never migrated
    assert main(["serve"]) == 0
    assert built and built[0].link_key == LONG_SECRET


def test_anonymous_mode_signs_with_a_random_key_per_process():
    assert Settings().startup_problem() is None  # local mode needs no secret
    assert Settings().link_key == Settings().link_key and len(Settings().link_key) >= 32
    other = subprocess.run(
        [sys.executable, "-c", "from config import Settings; print(Settings().link_key)"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert other and other != Settings().link_key


def test_the_app_password_is_not_used_to_sign_links():
    settings = Settings.from_env({"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "p" * 40})
    assert settings.link_secret == "" and settings.link_key != "p" * 40
    assert "LINK_SECRET" in (settings.startup_problem() or "")


def test_no_link_secret_is_written_in_the_code():
    files = ("config.py", "config_secrets.py", "reports/links.py")
    source = "".join((PROJECT_ROOT / name).read_text() for name in files)
    assert "local-dev-secret" not in source
    assert Settings.model_fields["link_secret"].default == ""
    assert config.Settings().link_key not in source
