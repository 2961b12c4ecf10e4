"""Settings read once from the environment and injected everywhere else."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

__all__ = ["Settings", "PROJECT_ROOT", "DEFAULT_SQLITE_PATH"]

PROJECT_ROOT = Path(__file__).resolve().parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "tracker.db"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with defaults that give a working local bot."""

    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    host: str = "127.0.0.1"
    port: int = 3978
    app_id: str = ""
    app_password: str = ""
    app_tenant_id: str = ""
    app_type: str = "MultiTenant"
    # Public base URL of this bot (for signed download links); defaults to http://HOST:PORT.
    public_url: str = ""
    # Secret for signing short-lived download links; derived from the app password when unset.
    link_secret: str = "local-dev-secret"
    # Proactive sending: global messages per second (Teams allows 50 per app per tenant).
    send_rate_per_second: float = 20.0
    # Who to ask when someone is not on the tracker.
    governance_contact: str = "the Strategy & Governance team"
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def anonymous(self) -> bool:
        """Local mode: no Bot Framework authentication when no app id is configured."""
        return not self.app_id

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
            app_id=env.get("MicrosoftAppId", ""),
            app_password=env.get("MicrosoftAppPassword", ""),
            app_tenant_id=env.get("MicrosoftAppTenantId", ""),
            # New Azure Bot registrations are single-tenant; a tenant id says which one.
            app_type=env.get("MicrosoftAppType") or ("SingleTenant" if env.get("MicrosoftAppTenantId") else defaults.app_type),
            public_url=env.get("PUBLIC_URL", ""),
            link_secret=env.get("LINK_SECRET") or env.get("MicrosoftAppPassword") or defaults.link_secret,
            send_rate_per_second=float(env.get("SEND_RATE_PER_SECOND") or defaults.send_rate_per_second),
            governance_contact=env.get("GOVERNANCE_CONTACT") or defaults.governance_contact,
        )
