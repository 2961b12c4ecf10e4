"""Every journey registers its intents and verbs on import (see bot/routing.py)."""
from bot.features import basics  # noqa: F401  (registers greet, ask, help)
from bot.features import cycles  # noqa: F401  (registers update cycles, their progress and governance decisions)
from bot.features import owner  # noqa: F401  (registers my actions, the update cards and the update dialog)
from bot.features import people  # noqa: F401  (registers reassignment, cover and orphaned actions)
from bot.features import questions  # noqa: F401  (registers the figures questions, paging and detail)
from bot.features import report  # noqa: F401  (registers the panel report and its download route)

__all__ = ["basics"]
