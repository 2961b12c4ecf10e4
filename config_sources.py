"""Where the settings (config.py) come from: the variable names each field is read from, including
the Agents SDK's own names that stand in for MicrosoftAppId and friends, reading a given environment
mapping, and wording a validation error as one line naming the variable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import AliasChoices
from pydantic_settings import BaseSettings, EnvSettingsSource

__all__ = ["SDK", "read_from", "environment_values", "problem"]

# The Agents SDK's names for the app's id, secret and tenant (a fallback for MicrosoftAppId & co).
SDK = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
# Every variable under these prefixes is the Agents SDK's own, passed to it as given (Settings.agents_env).
_SDK_SECTIONS = ("CONNECTIONS__", "CONNECTIONSMAP__", "AGENTAPPLICATION__")


def read_from(*names: str) -> Any:
    """The variable(s) a field is read from: the first one set (non-empty) wins."""
    return AliasChoices(*names) if len(names) > 1 else names[0]


def environment_values(
    settings_cls: type[BaseSettings], given: Mapping[str, str]
) -> tuple[dict[str, Any], tuple[tuple[str, str], ...]]:
    """The fields' raw values read from ``given``, and the Agents SDK's own variables in it."""
    given = dict(given)
    if not given.get("ALLOWED_TENANT_IDS", "").strip():  # the app's own tenant, when it has one
        given["ALLOWED_TENANT_IDS"] = given.get("MicrosoftAppTenantId") or given.get(SDK + "TENANTID") or ""
    values = _Environment(settings_cls, given)()
    agents = tuple(sorted((k, v) for k, v in given.items() if k.startswith(_SDK_SECTIONS)))
    return values, agents


class _Environment(EnvSettingsSource):
    """pydantic-settings' environment source over a given mapping (os.environ, or a test's dict)."""

    def __init__(self, settings_cls: type[BaseSettings], env: Mapping[str, str]) -> None:
        self._given = env
        super().__init__(settings_cls, case_sensitive=True, env_ignore_empty=True)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {k: v for k, v in self._given.items() if v != ""}


def problem(error: Any) -> str:
    """One validation error as the operator reads it: our validators' own words (they name the variable
    and the range), else the variable and what pydantic expected."""
    context = error.get("ctx") or {}
    if isinstance(context.get("error"), ValueError):
        return str(context["error"])
    where = ".".join(str(part) for part in error.get("loc", ())) or "a setting"
    return f"{where}: {error.get('msg', 'not a valid value')}"
