"""Every journey the bot has, listed once: bot/app.py builds the routing tables from FEATURES.

A journey is a module here whose handlers carry `@intent`, `@verb` or `@pre_route` marks
(bot/routing.py); importing it registers nothing. A new journey is added to this list.
"""

from bot.features import basics, cycles, decisions, owner, people, questions, report

__all__ = ["FEATURES"]

FEATURES = (
    basics,  # greet, ask, help
    owner,  # my actions, the update cards and the update dialog (its pre-route)
    questions,  # the figures questions, paging and detail
    cycles,  # update cycles and their progress
    decisions,  # governance decisions on proposed dates and closures
    people,  # reassignment, cover and orphaned actions
    report,  # the panel report (its download route is added by bot/app.py)
)
