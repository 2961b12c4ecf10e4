"""The "request updates" form as governance fills it in the bot (cycle.preview), for the cycle tests."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import NOW

__all__ = ["DEADLINE", "cycle_form"]

DEADLINE = (NOW + timedelta(days=14)).date().isoformat()


def cycle_form(scope: str = "all", *, message: str = "", **fields: str) -> dict[str, str]:
    """Inspection items left out and a deadline two weeks on, unless ``fields`` say otherwise."""
    return {"scope": scope, "include_hmicfrs": "false", "deadline": DEADLINE, "message": message, **fields}
