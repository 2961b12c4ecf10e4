"""The typed side of the owner's update: choose among many actions, and confirm 'implemented'.

A small state machine over ``UpdateState`` (dialogs/state.py): ``start`` for a command, ``answer``
for each message while it waits. Each returns the state to keep (None: the conversation is over).
Without 'implemented' it ends by sending the update card for the chosen action; the card does the
rest. Store work goes through ``services.run`` only (one short transaction each); the turn is the
one ``dialogs.runner.DialogTurn`` describes, so nothing here knows the Teams SDK.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from cards.common import plain
from cards.update import outcome_card
from dialogs.commands import StartRequest, pick, split_evidence, yes_or_no
from dialogs.state import UpdateState
from domain.update_views import ACTION, FORM, UpdateOutcome
from store.history import ChangeContext
from store.people.viewers import Viewer
from store.updates.pipeline import apply_update, load_for_update
from store.updates.search import Candidate, Resolution, resolve_typed

if TYPE_CHECKING:
    from dialogs.runner import DialogTurn

__all__ = ["Answered", "start", "answer"]

log = logging.getLogger(__name__)
_CLOSURE = {
    ACTION: ("implemented", "proposes it to DARA for closure"),
    "inspection": ("submitted for closure", "submits it to Strategy & Governance for closure"),
}


@dataclass(frozen=True)
class Answered:
    state: UpdateState | None  # what to keep waiting with (None: over)
    handled: bool = True  # False: the message was not about the conversation ('what's overdue?'):
    # the runner lets it go on to the question routing instead of swallowing it


def _viewer(turn: DialogTurn) -> Viewer:
    assert turn.viewer is not None  # the runner takes only turns from known people
    return turn.viewer


def _choice_text(resolution: Resolution, query: str) -> str:
    intro = (
        f"Which of your {resolution.total} outstanding actions?"
        if not query
        else f"More than one item matches “{plain(query, 60)}”. Which one?"
    )
    lines = [f"{c.number}. **{plain(c.ref)}** — {plain(c.title, 80)}" for c in resolution.matches]
    more = (
        f"\n\n(Showing the {len(resolution.matches)} most urgent; you can also type any number from **my actions**.)"
        if not query and resolution.total > len(resolution.matches)
        else ""
    )
    return f"{intro}\n\n" + "\n".join(lines) + more + "\n\nType its number or ref (or **cancel**)."


def _retry_text(state: UpdateState) -> str:
    word = _CLOSURE[state.kind][0]
    return f"Please reply **yes** to mark {state.ref} {word}, or **no** to leave it (or **cancel**)."


async def _send_outcome(turn: DialogTurn, outcome: UpdateOutcome) -> None:
    await turn.send_card(outcome_card(outcome, turn.services.today()))


async def start(turn: DialogTurn, request: StartRequest) -> UpdateState | None:
    """'update ...' / 'mark ... implemented': find the item, or ask which one."""
    services = turn.services
    found = await services.run(resolve_typed, _viewer(turn), services.today(), request.query)
    if not found.matches:
        text = (
            "You have no outstanding actions to update."
            if not request.query
            else f"I couldn't find an action or HMICFRS item of yours matching “{plain(request.query, 60)}”. "
            "Type **my actions** to see them."
        )
        await turn.send_text(text)
        return None
    if len(found.matches) == 1:
        return await _chosen(turn, found.matches[0], implemented=request.implemented)
    await turn.send_text(_choice_text(found, request.query))
    return UpdateState("choose", implemented=request.implemented, candidates=tuple(found.matches))


async def answer(turn: DialogTurn, state: UpdateState, text: str) -> Answered:
    """The user's message while ``state`` waits for it."""
    if state.step == "choose":
        chosen = pick(state.candidates, text)
        if chosen is None:  # maybe a number from the card, or a ref not in the short list
            again = await turn.services.run(resolve_typed, _viewer(turn), turn.services.today(), text)
            chosen = again.matches[0] if len(again.matches) == 1 else None
        if chosen is None:
            log.info("update dialog: answer did not pick an item; passing the message on")
            return Answered(None, handled=False)
        return Answered(await _chosen(turn, chosen, implemented=state.implemented))
    if state.step == "confirm":
        yes = yes_or_no(text)
        if yes is None:
            await turn.send_text(_retry_text(state))
            return Answered(state)
        if not yes:
            await turn.send_text("OK, nothing was changed.")
            return Answered(None)
        keep = " Or type **keep** to use the evidence already on file." if state.on_file else ""
        await turn.send_text(
            f"What is the evidence that it is done? Type a short note, one or more https:// links, or both.{keep}"
        )
        return Answered(replace(state, step="evidence"))
    await _save(turn, state, text)
    return Answered(None)


async def _chosen(turn: DialogTurn, chosen: Candidate, *, implemented: bool) -> UpdateState | None:
    services, viewer, today = turn.services, _viewer(turn), turn.services.today()
    outcome: UpdateOutcome = await services.run(load_for_update, viewer, kind=chosen.kind, ref=chosen.ref, today=today)
    if outcome.status != FORM or not implemented:
        await _send_outcome(turn, outcome)  # the update card, or why there is none
        return None
    item = outcome.item
    assert item is not None
    word, effect = _CLOSURE[chosen.kind]
    title = plain(chosen.title, 90)
    await turn.send_text(f"Mark **{plain(item.ref)}** “{title}” as {word}? That {effect}. Reply **yes** or **no**.")
    return UpdateState(
        "confirm",
        implemented=True,
        kind=chosen.kind,
        ref=item.ref,
        version=item.version,
        on_file=bool(item.evidence_note or item.evidence_link),
    )


async def _save(turn: DialogTurn, state: UpdateState, text: str) -> None:
    viewer, services = _viewer(turn), turn.services
    typed = (text or "").strip()
    note, link = (None, None) if typed.lower() == "keep" else split_evidence(typed)
    word, _effect = _CLOSURE[state.kind]
    outcome = await services.run(
        apply_update,
        viewer,
        kind=state.kind,
        ref=state.ref,
        submission={"status": word, "evidence_note": note, "evidence_link": link},
        expected_version=state.version,
        ctx=ChangeContext(viewer.email, "teams", turn.now()),
        today=services.today(),
    )
    log.info("update dialog: %s %s -> %s", state.kind, state.ref, outcome.status)
    await _send_outcome(turn, outcome)
