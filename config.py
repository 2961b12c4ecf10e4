"""Settings: one typed model (pydantic-settings), read once from the environment by the command line
(`Settings.from_env`, cli/runtime.py) and injected everywhere else; nothing reads the environment at
import time. Each field names the variable it is read from (its alias) and the range it must be in: a
bad value stops the start with one line naming both (`SettingsError`), never a traceback.
"""

from __future__ import annotations

import math
import os
import secrets
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

# The secrets' rules and the environment's names live beside this model; their public names stay
# importable from config.
from config_secrets import (
    MAKE_A_SECRET,
    MIN_LINK_SECRET_BITS,
    MIN_LINK_SECRET_LENGTH,
    link_secret_problem,
    shown,
    url_password,
)
from config_sources import SDK, environment_values, problem, read_from
from domain.localtime import DEFAULT_TIMEZONE, zone_named

__all__ = [
    "Settings",
    "SettingsError",
    "DEFAULT_SEND_RATE",
    "PROJECT_ROOT",
    "DEFAULT_SQLITE_PATH",
    "MIN_LINK_SECRET_LENGTH",
    "MIN_LINK_SECRET_BITS",
    "MAKE_A_SECRET",
    "link_secret_problem",
]

PROJECT_ROOT = Path(__file__).resolve().parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "tracker.db"
DEFAULT_SEND_RATE = 20.0  # messages a second for the whole tenant (Teams allows 50 per app per tenant)
# Anonymous local mode signs download links with a key nobody can know: a new one each process,
# so links die with the process, which is all a local trial needs.
_PROCESS_LINK_SECRET = secrets.token_urlsafe(32)
_OFF = ("off", "0", "false", "no")


class SettingsError(ValueError):
    """Settings that must not be used, in one line naming each variable and what it must be."""


def _whole(name: str, raw: object, *, unit: str, low: int) -> int:
    """A whole-number setting at least ``low``; a wrong value names the variable and the range."""
    if isinstance(raw, bool):
        raise ValueError(f"{name} must be a whole number of {unit}, at least {low}, not {raw!r}")
    try:
        value = raw if isinstance(raw, int) else int(str(raw).strip())
    except ValueError:
        value = low - 1
    if value < low:
        raise ValueError(f"{name} must be a whole number of {unit}, at least {low}, not {raw!r}")
    return value


class Settings(BaseSettings):
    """Everything configurable, with defaults that give a working local bot.

    ``Settings(field=value, ...)`` is the defaults plus what is given (tests, the benches): it reads no
    environment. ``Settings.from_env()`` reads the variables named by each field's alias.
    """

    model_config = SettingsConfigDict(
        frozen=True, extra="ignore", case_sensitive=True, populate_by_name=True, env_ignore_empty=True
    )

    database_url: str = Field(f"sqlite:///{DEFAULT_SQLITE_PATH}", validation_alias=read_from("DATABASE_URL"))
    host: str = Field("127.0.0.1", validation_alias=read_from("HOST"))
    port: int = Field(3978, validation_alias=read_from("PORT"))  # 0: any free port (tests)
    app_id: str = Field("", validation_alias=read_from("MicrosoftAppId", SDK + "CLIENTID"))
    app_password: str = Field("", validation_alias=read_from("MicrosoftAppPassword", SDK + "CLIENTSECRET"))
    app_tenant_id: str = Field("", validation_alias=read_from("MicrosoftAppTenantId", SDK + "TENANTID"))
    # new multi-tenant bot registrations are deprecated (July 2025)
    app_type: str = Field("SingleTenant", validation_alias=read_from("MicrosoftAppType"))
    # Which Teams SDK hosts the bot: "agents" (Microsoft 365 Agents SDK, the default) or "botbuilder"
    # (botbuilder 4.17.1, archived upstream). See bot/platform/.
    bot_sdk: str = Field("agents", validation_alias=read_from("BOT_SDK"))
    # The Agents SDK's own settings (CONNECTIONS__..., CONNECTIONSMAP__..., AGENTAPPLICATION__...), passed
    # to it as given; they win over MicrosoftAppId and friends, which are mapped onto them. Every
    # variable under those prefixes (from_env collects them), so it is read from no single name.
    agents_env: tuple[tuple[str, str], ...] = ()
    # Public base URL of this bot (for signed download links); defaults to http://HOST:PORT.
    public_url: str = Field("", validation_alias=read_from("PUBLIC_URL"))
    # Secret for signing short-lived download links. Required (>= 32 characters) with an app id; empty
    # in anonymous local mode, where a random per-process key is used (see `link_key`).
    link_secret: str = Field("", validation_alias=read_from("LINK_SECRET"))
    # Tenants whose activities are served (lower case, comma-separated in the variable); empty means
    # any tenant (local mode). from_env falls back to the app's own tenant.
    allowed_tenant_ids: Annotated[tuple[str, ...], NoDecode] = Field(
        (), validation_alias=read_from("ALLOWED_TENANT_IDS")
    )
    # Proactive sending: messages a second for the whole tenant (Teams allows 50 per app per tenant).
    send_rate_per_second: float = Field(DEFAULT_SEND_RATE, validation_alias=read_from("SEND_RATE_PER_SECOND"))
    # Who to ask when someone is not on the tracker.
    governance_contact: str = Field("the Strategy & Governance team", validation_alias=read_from("GOVERNANCE_CONTACT"))
    # GET /metrics: loopback clients always; others only with `Authorization: Bearer <this>` when set.
    metrics_token: str = Field("", validation_alias=read_from("METRICS_TOKEN"))
    # "json": one JSON object per log line; anything else: plain text.
    log_format: str = Field("text", validation_alias=read_from("LOG_FORMAT"))
    # The tracker's local time: decides "today", overdue, quarters, report days and the schedules' send
    # window. An IANA name (tzdata is pinned so slim images know it); an unknown one is a startup problem.
    timezone: str = Field(DEFAULT_TIMEZONE, validation_alias=read_from("TRACKER_TIMEZONE"))
    # The bot's own schedules (reminders, due-date nudges, the weekly digest) run beside every sender;
    # TRACKER_SCHEDULES=off stops them (for example while a tracker is being migrated).
    schedules: bool = Field(True, validation_alias=read_from("TRACKER_SCHEDULES"))
    # Cards answering questions and "my actions" pages kept per process while the tracker's version is
    # unchanged (0 turns the cache off). Safe with several instances: every change bumps the version in
    # the database in the same transaction (migration 0009), read at the start of each turn.
    answer_cache_size: int = Field(512, validation_alias=read_from("ANSWER_CACHE_SIZE"))
    # Database connections each server process keeps open, up to 10 more under bursts: at least the
    # concurrent turns expected. processes x (this + 10) must fit PostgreSQL's max_connections (100 by
    # default) with the workers' and the command line's.
    database_pool_size: int = Field(20, validation_alias=read_from("DATABASE_POOL_SIZE"))
    # YYYY-MM-DD: run as on that date (loading a force's history, rehearsals): the clock's local date
    # starts there and time runs on from it (cli/runtime.py clock_on). None: the real date.
    today: date | None = Field(None, validation_alias=read_from("TRACKER_TODAY"))

    @field_validator("port", mode="before")
    @classmethod
    def _port(cls, raw: object) -> int:
        try:
            value = _whole("PORT", raw, unit="", low=0)
        except ValueError:
            value = -1
        if not 0 <= value <= 65535:
            raise ValueError(f"PORT must be a TCP port, a whole number from 0 to 65535, not {raw!r}")
        return value

    @field_validator("bot_sdk", mode="before")
    @classmethod
    def _bot_sdk(cls, raw: object) -> str:
        value = str(raw).strip().lower()
        if value not in ("agents", "botbuilder"):
            raise ValueError(f"BOT_SDK must be 'agents' (the default) or 'botbuilder', not {raw!r}")
        return value

    @field_validator("allowed_tenant_ids", mode="before")
    @classmethod
    def _tenants(cls, raw: object) -> tuple[str, ...]:
        names = raw.split(",") if isinstance(raw, str) else list(raw) if isinstance(raw, (list, tuple)) else []
        return tuple(dict.fromkeys(str(t).strip().lower() for t in names if str(t).strip()))

    @field_validator("send_rate_per_second", mode="before")
    @classmethod
    def _rate(cls, raw: object) -> float:
        try:
            value = float(raw if isinstance(raw, (int, float)) and not isinstance(raw, bool) else str(raw).strip())
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"SEND_RATE_PER_SECOND must be a number of messages a second above 0, not {raw!r}")
        return value

    @field_validator("log_format", mode="before")
    @classmethod
    def _log_format(cls, raw: object) -> str:
        return str(raw).strip().lower() or "text"

    @field_validator("timezone", mode="before")
    @classmethod
    def _timezone(cls, raw: object) -> str:
        return str(raw).strip() or DEFAULT_TIMEZONE  # an unknown zone is a startup problem (startup_problem)

    @field_validator("schedules", mode="before")
    @classmethod
    def _schedules(cls, raw: object) -> bool:
        return raw if isinstance(raw, bool) else str(raw).strip().lower() not in _OFF

    @field_validator("answer_cache_size", mode="before")
    @classmethod
    def _answer_cache_size(cls, raw: object) -> int:
        return _whole("ANSWER_CACHE_SIZE", raw, unit="cards (0 turns the cache off)", low=0)

    @field_validator("database_pool_size", mode="before")
    @classmethod
    def _pool(cls, raw: object) -> int:
        return _whole("DATABASE_POOL_SIZE", raw, unit="connections", low=1)

    @field_validator("today", mode="before")
    @classmethod
    def _today(cls, raw: object) -> date | None:
        if raw is None or isinstance(raw, date):
            return raw
        text = str(raw).strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"TRACKER_TODAY must be a date written YYYY-MM-DD (e.g. 2020-11-30), not {raw!r}"
            ) from None

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        """Every setting, secrets hidden (config_secrets.shown): repr and str both come from here."""
        for name in type(self).model_fields:
            yield name, shown(name, getattr(self, name))

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

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"

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
                "the password in DATABASE_URL": url_password(self.database_url) if self.link_secret else "",
            }
            return link_secret_problem(self.link_secret, other_secrets=others)
        return None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Only what is given: the environment is read by from_env, explicitly, never as a side effect
        # of building settings (a test's Settings(database_url=...) must not pick up the shell's).
        return (init_settings,)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The settings in ``env`` (default: this process's environment); SettingsError naming every
        variable that holds a value out of its range."""
        values, agents = environment_values(cls, os.environ if env is None else env)
        try:
            return cls(**values, agents_env=agents)
        except ValidationError as err:
            raise SettingsError("; ".join(problem(e) for e in err.errors())) from None
