"""The card for each outbox message kind, built when the message is sent (bot/outbox/worker.py).

Typed messages in (domain/messages.py: the store queued them, the worker decoded the row); one
card builder per kind. A new kind adds its line to `_BUILDERS`; tests/cards/test_outbox_cards.py
fails for a kind of domain.messages.KINDS with no card.
"""

from __future__ import annotations

from typing import Any, Callable

from cards.cycle_progress import digest_card, progress_card
from cards.cycle_request import reminder_card, request_card
from cards.decisions import outcome_card
from cards.schedules import nudge_card, weekly_digest_card
from domain.messages import Digest, Message, Nudge, Outcome, Progress, Reminder, Request, Weekly

__all__ = ["outbox_card"]


def _progress(message: Progress) -> dict[str, Any]:
    return progress_card(dict(message.status))  # a cycle opened by `cycle start --by`: its opener's card


_BUILDERS: dict[type[Any], Callable[[Any], dict[str, Any]]] = {
    Request: request_card,
    Reminder: reminder_card,
    Digest: digest_card,
    Outcome: outcome_card,  # governance's decisions, told to the owner
    Progress: _progress,
    Nudge: nudge_card,  # the schedules (store/cycles/schedule_jobs.py)
    Weekly: weekly_digest_card,
}


def outbox_card(message: Message) -> dict[str, Any]:
    """The card for an outbox message. A kind with no card here is a programming error (KeyError)."""
    return _BUILDERS[type(message)](message)
