"""Settings read once from the environment and injected everywhere else."""

from __future__ import annotations

import math
import os
import secrets
from collections import Counter
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Mapping
from zoneinfo import ZoneInfo

from domain.localtime import DEFAULT_TIMEZONE, zone_named
from observability.redaction import REDACTED, redact_urls

__all__ = [
    "Settings",
    "PROJECT_ROOT",
    "DEFAULT_SQLITE_PATH",
    "MIN_LINK_SECRET_LENGTH",
    "MIN_LINK_SECRET_BITS",
    "MAKE_A_SECRET",
    "link_secret_problem",
]

PROJECT_ROOT = Path(__file__).resolve().parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "tracker.db"
MIN_LINK_SECRET_LENGTH = 32
# What the secret's own characters say it holds at least (length x Shannon entropy of its character
# frequencies): 40 spaces or "a" x 36 hold nothing; token_urlsafe(48) holds about 350 bits.
MIN_LINK_SECRET_BITS = 128
MAKE_A_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
# Fields that hold a secret: never shown by repr (the database URL is shown with its password hidden).
_SECRET_FIELDS = frozenset({"app_password", "link_secret", "metrics_token"})
# Anonymous local mode signs download links with a key nobody can know: a new one each process,
# so links die with the process, which is all a local trial needs.
_PROCESS_LINK_SECRET = secrets.token_urlsafe(32)


def estimated_bits(secret: str) -> float:
    """An upper estimate of the entropy in ``secret``: its length times the Shannon entropy of the
    frequencies of its characters (so repeats and a small alphabet count for little)."""
    if not secret:
        return 0.0
    counts = Counter(secret).values()
    per_character = -sum(n / len(secret) * math.log2(n / len(secret)) for n in counts)
    return per_character * len(secret)


def _url_password(url: str) -> str:
    from sqlalchemy.engine import make_url  # only when a secret is checked: config stays light
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).password or ""
    except (ArgumentError, ValueError):
        return ""


def link_secret_problem(secret: str, *, other_secrets: Mapping[str, str]) -> str | None:
    """Why ``secret`` must not sign download links, naming what to do instead; None when it may."""
    how = f"Make one with `{MAKE_A_SECRET}`; it signs the panel pack's download links."
    if not secret:
        return (
            "LINK_SECRET is not set. With MicrosoftAppId set, set LINK_SECRET to a random value of at least "
            f"{MIN_LINK_SECRET_LENGTH} characters. {how}"
        )
    if len(secret) < MIN_LINK_SECRET_LENGTH:
        return (
            f"LINK_SECRET is only {len(secret)} characters: it needs at least {MIN_LINK_SECRET_LENGTH} "
            f"random ones. {how}"
        )
    if estimated_bits(secret) < MIN_LINK_SECRET_BITS:
        return (
            "LINK_SECRET is too predictable (too few different characters, or the same ones repeated): "
            f"it needs a random value. {how}"
        )
    for name, other in other_secrets.items():
        if other and secret == other:
            return f"LINK_SECRET must not be the same as {name}: each secret needs a value of its own. {how}"
    return None


def _tenant_list(raw: str | None, fallback: str) -> tuple[str, ...]:
    names = [t.strip().lower() for t in (raw or "").split(",") if t.strip()]
    if not names and fallback.strip():
        names = [fallback.strip().lower()]
    return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with defaults that give a working local bot."""

    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    host: str = "127.0.0.1"
    port: int = 3978
    app_id: str = ""
    app_password: str = ""
    app_tenant_id: str = ""
    app_type: str = "SingleTenant"  # new multi-tenant bot registrations are deprecated (July 2025)
    # Which Teams SDK hosts the bot (BOT_SDK): "agents" (Microsoft 365 Agents SDK, the default) or
    # "botbuilder" (botbuilder 4.17.1, archived upstream). See bot/platform/.
    bot_sdk: str = "agents"
    # The Agents SDK's own settings (CONNECTIONS__..., CONNECTIONSMAP__..., AGENTAPPLICATION__...), passed
    # to it as given; they win over MicrosoftAppId and friends, which are mapped onto them.
    agents_env: tuple[tuple[str, str], ...] = ()
    # Public base URL of this bot (for signed download links); defaults to http://HOST:PORT.
    public_url: str = ""
    # Secret for signing short-lived download links (LINK_SECRET). Required (>= 32 characters) with an
    # app id; empty in anonymous local mode, where a random per-process key is used (see `link_key`).
    link_secret: str = ""
    # Tenants whose activities are served (lower case); empty means any tenant (local mode).
    allowed_tenant_ids: tuple[str, ...] = ()
    # Proactive sending: global messages per second (Teams allows 50 per app per tenant).
    send_rate_per_second: float = 20.0
    # Who to ask when someone is not on the tracker.
    governance_contact: str = "the Strategy & Governance team"
    # GET /metrics: loopback clients always; others only with `Authorization: Bearer <this>` when set.
    metrics_token: str = ""
    # "json": one JSON object per log line; anything else: plain text.
    log_format: str = "text"
    # The tracker's local time (TRACKER_TIMEZONE): decides "today", overdue, quarters, report days and
    # the schedules' send window. An IANA name; tzdata is pinned so slim images know it.
    timezone: str = DEFAULT_TIMEZONE
    # The bot's own schedules (reminders, due-date nudges, the weekly digest) run beside every
    # sender; TRACKER_SCHEDULES=off stops them (for example while a tracker is being migrated).
    schedules: bool = True
    # Cards answering questions and "my actions" pages kept per process while the tracker is unchanged
    # (ANSWER_CACHE_SIZE entries; 0 turns the cache off). Safe with several instances: every change
    # bumps a version in the database in the same transaction (migration 0009), read on each turn.
    answer_cache_size: int = 512
    # Database connections each server process keeps open (DATABASE_POOL_SIZE), up to 10 more under
    # bursts: at least the concurrent turns expected. processes x (this + 10) must fit PostgreSQL's
    # max_connections (100 by default) with the workers' and the command line's.
    database_pool_size: int = 20
    # TRACKER_TODAY=YYYY-MM-DD: run as on that date (loading a force's history, rehearsals): the clock's
    # local date starts there and time runs on from it (cli/runtime.py clock_on). None: the real date.
    today: date | None = None

    def __repr__(self) -> str:
        """Every setting but the secrets: those show as set or not, the database URL without its password."""
        shown = []
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name in _SECRET_FIELDS:
                value = REDACTED if value else ""
            elif field.name == "database_url":
                value = redact_urls(value)
            shown.append(f"{field.name}={value!r}")
        return f"Settings({', '.join(shown)})"

    @property
    def anonymous(self) -> bool:
        """Local mode: no Bot Framework authentication when no app id is configured."""
        return not self.app_id

    @property
    def link_key(self) -> str:
        """The key download links are signed with: LINK_SECRET, else this process's random key."""
        return self.link_secret or _PROCESS_LINK_SECRET

    @property
    def zone(self) -> ZoneInfo:
        """The tracker's time zone (ValueError naming TRACKER_TIMEZONE when it is not one)."""
        return zone_named(self.timezone)

    def startup_problem(self) -> str | None:
        """Why the server must not start with these settings, in words naming the variable to set."""
        try:
            zone_named(self.timezone)
        except ValueError as err:
            return str(err)
        if self.app_id or self.link_secret:  # anonymous mode without one signs with a random key
            others = {
                "MicrosoftAppPassword": self.app_password,
                "METRICS_TOKEN": self.metrics_token,
                "the password in DATABASE_URL": _url_password(self.database_url) if self.link_secret else "",
            }
            return link_secret_problem(self.link_secret, other_secrets=others)
        return None

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        defaults = cls()
        return cls(
            database_url=env.get("DATABASE_URL") or defaults.database_url,
            host=env.get("HOST") or defaults.host,
            port=int(env.get("PORT") or defaults.port),
            app_id=env.get("MicrosoftAppId") or env.get(_SDK + "CLIENTID", ""),
            app_password=env.get("MicrosoftAppPassword") or env.get(_SDK + "CLIENTSECRET", ""),
            app_tenant_id=env.get("MicrosoftAppTenantId") or env.get(_SDK + "TENANTID", ""),
            app_type=env.get("MicrosoftAppType") or defaults.app_type,
            bot_sdk=_bot_sdk(env.get("BOT_SDK")),
            agents_env=tuple(sorted((k, v) for k, v in env.items() if k.startswith(_SDK_SECTIONS))),
            public_url=env.get("PUBLIC_URL", ""),
            link_secret=env.get("LINK_SECRET", ""),
            allowed_tenant_ids=_tenant_list(
                env.get("ALLOWED_TENANT_IDS"), env.get("MicrosoftAppTenantId") or env.get(_SDK + "TENANTID", "")
            ),
            send_rate_per_second=float(env.get("SEND_RATE_PER_SECOND") or defaults.send_rate_per_second),
            governance_contact=env.get("GOVERNANCE_CONTACT") or defaults.governance_contact,
            metrics_token=env.get("METRICS_TOKEN", ""),
            log_format=(env.get("LOG_FORMAT") or defaults.log_format).strip().lower(),
            timezone=(env.get("TRACKER_TIMEZONE") or "").strip() or defaults.timezone,
            schedules=(env.get("TRACKER_SCHEDULES") or "on").strip().lower() not in ("off", "0", "false", "no"),
            answer_cache_size=_whole(
                env, "ANSWER_CACHE_SIZE", "cards (0 turns the cache off)", defaults.answer_cache_size
            ),
            database_pool_size=_whole(env, "DATABASE_POOL_SIZE", "connections", defaults.database_pool_size, low=1),
            today=_day(env, "TRACKER_TODAY"),
        )


def _day(env: Mapping[str, str], name: str) -> date | None:
    """A date setting written YYYY-MM-DD; a wrong value is a startup problem that names the variable."""
    raw = (env.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{name} must be a date written YYYY-MM-DD (e.g. 2020-11-30), not {raw!r}") from None


_SDK = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
_SDK_SECTIONS = ("CONNECTIONS__", "CONNECTIONSMAP__", "AGENTAPPLICATION__")


def _bot_sdk(raw: str | None) -> str:
    value = (raw or "agents").strip().lower()
    if value not in ("agents", "botbuilder"):
        raise ValueError(f"BOT_SDK must be 'agents' (the default) or 'botbuilder', not {raw!r}")
    return value


def _whole(env: Mapping[str, str], name: str, unit: str, default: int, *, low: int = 0) -> int:
    """A whole-number setting; a wrong value is a startup problem that names the variable."""
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = low - 1
    if value < low:
        raise ValueError(f"{name} must be a whole number of {unit}, at least {low}, not {raw!r}")
    return value
