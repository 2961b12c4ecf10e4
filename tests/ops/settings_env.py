"""The environment variables the app reads, taken from config.Settings's fields (not a hand list)."""

from __future__ import annotations

from pydantic import AliasChoices

from config import Settings

__all__ = ["settings_env_vars", "REHEARSAL_ONLY"]

# Read by the app but never set in a deployment (docs/operations.md: "never set it in production").
REHEARSAL_ONLY = frozenset({"TRACKER_TODAY"})


def settings_env_vars() -> set[str]:
    """Every variable a field of Settings is read from: its alias, or the first of its choices (the
    others are the Agents SDK's own names for the same value, read when the first is unset)."""
    names: set[str] = set()
    for field in Settings.model_fields.values():
        alias = field.validation_alias
        if isinstance(alias, str):
            names.add(alias)
        elif isinstance(alias, AliasChoices):
            first = alias.choices[0]
            names.add(first if isinstance(first, str) else str(first))
    return names - REHEARSAL_ONLY
