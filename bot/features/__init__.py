"""Every journey registers its intents and verbs on import (see bot/routing.py)."""
from bot.features import basics  # noqa: F401  (registers greet, ask, help)

__all__ = ["basics"]
