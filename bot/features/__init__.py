"""Every journey registers its intents and verbs on import (see bot/routing.py)."""
from bot.features import basics  # noqa: F401  (registers greet, ask, help)
from bot.features import questions  # noqa: F401  (registers the figures questions, paging and detail)

__all__ = ["basics"]
