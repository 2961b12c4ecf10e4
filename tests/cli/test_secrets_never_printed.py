"""Issue 25 findings 6 and 7: no secret in a banner, a log line or the settings' repr, and a weak or
reused LINK_SECRET stops the server with a message that says how to make one.

Every command runs as an operator would run it (a process of its own, `-v` for every log line), on a
PostgreSQL database reached through a URL that carries a password (the test server trusts loopback,
so any password connects), with every secret set; nothing either stream shows may contain one.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from config import MAKE_A_SECRET, PROJECT_ROOT, Settings
from observability.redaction import redact_urls
from tests.fakes.databases import fresh_database_url, pg_skip_reason

DB_PASSWORD = "Db-pa55word-" + secrets.token_hex(6)
APP_PASSWORD = "App-pa55word-" + secrets.token_hex(8)
LINK_SECRET = secrets.token_urlsafe(48)
METRICS_TOKEN = "Metrics-" + secrets.token_hex(12)
SECRETS = (DB_PASSWORD, APP_PASSWORD, LINK_SECRET, METRICS_TOKEN)
DEADLINE = (date.today() + timedelta(days=14)).isoformat()


def with_password(url: str, password: str) -> str:
    return re.sub(r"^(postgresql(?:\+\w+)?://)([^:@/]+)@", rf"\g<1>\g<2>:{password}@", url)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    if reason := pg_skip_reason():
        pytest.skip(reason)
    with fresh_database_url("postgresql", tmp_path) as url:
        assert "@" in url
        yield {
            **os.environ,
            "DATABASE_URL": with_password(url, DB_PASSWORD),
            "MicrosoftAppId": "00000000-0000-0000-0000-00000000abcd",
            "MicrosoftAppPassword": APP_PASSWORD,
            "LINK_SECRET": LINK_SECRET,
            "METRICS_TOKEN": METRICS_TOKEN,
            "HOST": "127.0.0.1",
            "PORT": "0",
            "TRACKER_SCHEDULES": "off",
        }


def app(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    done = subprocess.run(
        [sys.executable, "app.py", "-v", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return done.stdout + done.stderr


def serve_until_banner(env: dict[str, str], *, deadline: float = 60) -> str:
    """Start `serve`, read until the banner's database line, then stop it with SIGTERM."""
    server = subprocess.Popen(
        [sys.executable, "app.py", "-v", "serve"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen: list[str] = []
    try:
        end = time.monotonic() + deadline
        assert server.stdout is not None
        while time.monotonic() < end:
            line = server.stdout.readline()
            if not line and server.poll() is not None:
                break
            seen.append(line)
            if "database:" in line:
                break
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            rest, _ = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            rest, _ = server.communicate()
    return "".join(seen) + (rest or "")


def assert_no_secret(output: str, what: str) -> None:
    for secret in SECRETS:
        assert secret not in output, f"{what} printed a secret:\n{output}"


def test_no_command_prints_a_secret(env: dict[str, str], tmp_path: Path) -> None:
    book, closures, pack = tmp_path / "tracker.xlsx", tmp_path / "closures.xlsx", tmp_path / "pack"
    runs = {
        "migrate": ["migrate"],
        "demo": ["demo"],
        "export": ["export", str(book)],
        "import": ["import", str(book)],
        "report": ["report", "--out", str(pack)],
        "cycle preview": ["cycle", "preview", "--scope", "all"],
        "cycle start": ["cycle", "start", "--scope", "all", "--deadline", DEADLINE],
        "cycle status": ["cycle", "status"],
        "cycle remind": ["cycle", "remind"],
        "worker": ["worker", "--until-idle", "--timeout", "0.5", "--lease", "4"],
        "cycle close": ["cycle", "close"],
        "export-closures": ["export-closures", str(closures)],
        "reassign": ["reassign", "NO-SUCH-REF", "--to", "x@example.org", "--by", "y@example.org"],
        "cover": ["cover", "x@example.org", "--by", "y@example.org", "--from", DEADLINE, "--to", DEADLINE],
    }
    for name, args in runs.items():
        assert_no_secret(app(env, *args), name)
    banner = serve_until_banner(env)
    assert "database:" in banner and "postgresql" in banner, banner
    assert_no_secret(banner, "serve")


def test_a_database_that_cannot_be_reached_is_named_without_its_password(env: dict[str, str]) -> None:
    env = {**env, "DATABASE_URL": f"postgresql://tracker:{DB_PASSWORD}@127.0.0.1:1/tracker"}
    for args in (["migrate"], ["export", "x.xlsx"], ["worker", "--until-idle"], ["serve"]):
        assert_no_secret(app(env, *args, timeout=60), " ".join(args))


def test_the_settings_repr_hides_every_secret() -> None:
    settings = Settings.from_env(
        {
            "DATABASE_URL": f"postgresql://tracker:{DB_PASSWORD}@db.internal:5432/tracker",
            "MicrosoftAppId": "app",
            "MicrosoftAppPassword": APP_PASSWORD,
            "LINK_SECRET": LINK_SECRET,
            "METRICS_TOKEN": METRICS_TOKEN,
        }
    )
    shown = repr(settings) + str(settings)
    assert_no_secret(shown, "repr(Settings)")
    assert "postgresql://tracker:***@db.internal:5432/tracker" in shown and "app_password='***'" in shown


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://tracker:{DB_PASSWORD}@db:5432/tracker",
        f"postgresql+psycopg://tracker:{DB_PASSWORD}@db/tracker?sslmode=require",
        f"postgresql://tracker@db/tracker?sslmode=require&password={DB_PASSWORD}",
        f"see postgresql://:{DB_PASSWORD}@db/tracker and redis://u:{DB_PASSWORD}@cache:6379",
    ],
)
def test_the_redaction_hides_the_password_of_any_url(url: str) -> None:
    shown = redact_urls(url)
    assert DB_PASSWORD not in shown and "***" in shown and "tracker" in shown


def test_redaction_leaves_urls_without_a_password_alone() -> None:
    for text in ("sqlite:///var/tracker.db", "http://127.0.0.1:3978/api/messages", "https://h:8443/a@b"):
        assert redact_urls(text) == text


WEAK = {
    "forty spaces": " " * 40,
    "one letter": "a" * 36,
    "a short one": secrets.token_urlsafe(16),
    "two letters": "ab" * 20,
}


@pytest.mark.parametrize("name", WEAK)
def test_a_weak_link_secret_stops_the_server_saying_how_to_make_one(name: str) -> None:
    problem = Settings(app_id="app", link_secret=WEAK[name]).startup_problem()
    assert problem and "LINK_SECRET" in problem and MAKE_A_SECRET in problem, name


@pytest.mark.parametrize("other", ["app_password", "metrics_token", "database_url"])
def test_a_link_secret_equal_to_another_secret_stops_the_server(other: str) -> None:
    values = {"app_password": LINK_SECRET, "metrics_token": LINK_SECRET}
    values["database_url"] = f"postgresql://tracker:{LINK_SECRET}@db/tracker"
    settings = Settings(app_id="app", link_secret=LINK_SECRET, **{other: values[other]})
    problem = settings.startup_problem()
    assert problem and "must not be the same" in problem and MAKE_A_SECRET in problem
    assert LINK_SECRET not in problem


def test_a_random_link_secret_is_accepted() -> None:
    for _ in range(50):
        assert Settings(app_id="app", link_secret=secrets.token_urlsafe(48)).startup_problem() is None
        assert Settings(app_id="app", link_secret=secrets.token_hex(32)).startup_problem() is None


def test_serve_refuses_the_app_password_as_link_secret_before_listening(env: dict[str, str]) -> None:
    output = app({**env, "LINK_SECRET": APP_PASSWORD * 2, "MicrosoftAppPassword": APP_PASSWORD * 2}, "serve")
    assert "LINK_SECRET must not be the same as MicrosoftAppPassword" in output and MAKE_A_SECRET in output
    assert "Traceback" not in output and "listening" not in output
    assert APP_PASSWORD not in output
