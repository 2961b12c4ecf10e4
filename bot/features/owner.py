"""The action owner's journey: 'my actions' -> Update -> Save, for DARA actions and HMICFRS items.

Thin: read the card data, call the store through ``turn.services.run`` (one transaction each),
return the card that replaces the clicked one. Typed 'update ...' / 'mark ... implemented' and
answers to the dialog's questions are handled by the pre-route through dialogs/runner.py.

Verbs and their data (Teams merges the card's inputs into the data of the Save buttons):
    my_actions.page       {"page": int}
    my_inspections.page   {"page": int}
    action.edit           {"ref": str}
    action.save           {"ref": str, "version": int, status, progress_note, delay_reason, revised_date,
                           evidence_note, evidence_link}
    inspection.edit       {"ref": str}
    inspection.save       {"ref": str, "version": int, status, progress_note, evidence_note, evidence_link}
"""

from __future__ import annotations

import logging
from typing import Any

from bot.routing import intent, pre_route, verb
from bot.turn import Turn
from cards.my_actions import my_actions_card, my_inspections_card
from cards.update import outcome_card
from dialogs.runner import OwnerDialogs
from domain.numbers import card_int
from domain.update_views import ACTION, INSPECTION
from questions import Intent, Question
from store.history import ChangeContext
from store.updates.actions import outstanding_for
from store.updates.inspections import inspections_for
from store.updates.pipeline import apply_update, load_for_update

__all__ = [
    "my_actions",
    "actions_page",
    "inspections_page",
    "edit_action",
    "save_action",
    "edit_inspection",
    "save_inspection",
    "continue_dialog",
]

log = logging.getLogger(__name__)


def _ref(data: dict[str, Any]) -> str:
    return str(data.get("ref") or "").strip()


def _context(turn: Turn) -> ChangeContext:
    assert turn.viewer is not None
    return ChangeContext(actor=turn.viewer.email, channel="teams", at=turn.now())


@intent(Intent.MY_ACTIONS)
async def my_actions(turn: Turn, question: Question) -> None:
    """'my actions' (typed or the greeting's button); 'my HMICFRS recommendations' lists those instead."""
    if question.source == "hmicfrs":
        await turn.send_card(await inspections_page(turn, {"page": 0}))
    else:
        await turn.send_card(await actions_page(turn, {"page": 0}))


@verb("my_actions.page")
async def actions_page(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    assert turn.viewer is not None
    viewer, today, number = turn.viewer, turn.today(), card_int(data, "page", default=0, high=100_000)

    async def build() -> dict[str, Any]:
        return my_actions_card(await turn.services.run(outstanding_for, viewer, today=today, page=number))

    return await turn.cached_card(("my_actions", viewer, today, number), build)


@verb("my_inspections.page")
async def inspections_page(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    assert turn.viewer is not None
    viewer, today, number = turn.viewer, turn.today(), card_int(data, "page", default=0, high=100_000)

    async def build() -> dict[str, Any]:
        return my_inspections_card(await turn.services.run(inspections_for, viewer, today=today, page=number))

    return await turn.cached_card(("my_inspections", viewer, today, number), build)


@verb("action.edit")
async def edit_action(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    outcome = await turn.services.run(load_for_update, turn.viewer, kind=ACTION, ref=_ref(data), today=turn.today())
    return outcome_card(outcome, turn.today())


@verb("action.save")
async def save_action(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    outcome = await turn.services.run(
        apply_update,
        turn.viewer,
        kind=ACTION,
        ref=_ref(data),
        submission=data,
        expected_version=card_int(data, "version"),
        ctx=_context(turn),
        today=turn.today(),
    )
    log.info("action.save %s -> %s%s", outcome.ref, outcome.status, " (replay)" if outcome.replayed else "")
    return outcome_card(outcome, turn.today())


@verb("inspection.edit")
async def edit_inspection(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    outcome = await turn.services.run(load_for_update, turn.viewer, kind=INSPECTION, ref=_ref(data), today=turn.today())
    return outcome_card(outcome, turn.today())


@verb("inspection.save")
async def save_inspection(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    outcome = await turn.services.run(
        apply_update,
        turn.viewer,
        kind=INSPECTION,
        ref=_ref(data),
        submission=data,
        expected_version=card_int(data, "version"),
        ctx=_context(turn),
        today=turn.today(),
    )
    log.info("inspection.save %s -> %s%s", outcome.ref, outcome.status, " (replay)" if outcome.replayed else "")
    return outcome_card(outcome, turn.today())


def _dialogs(turn: Turn) -> OwnerDialogs:
    """One per process (state is in the database, so any instance can continue any conversation)."""
    return turn.services.owner_dialogs


@pre_route
async def continue_dialog(turn: Turn) -> bool:
    """Typed 'update ...' / 'mark ... implemented', and answers to the dialog's questions."""
    if turn.viewer is None or not turn.text:
        return False
    return await _dialogs(turn).on_message(turn)
