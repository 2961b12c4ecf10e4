"""The typed side of the owner's update: choose among many actions, and confirm 'implemented'.

Waterfall: find -> (ask which one) -> chosen -> (confirm implemented -> ask for evidence -> save).
Without 'implemented' the dialog ends by sending the update card for the chosen action; the card
does the rest. Store work goes through ``services.run`` only; the viewer for the turn is put in
``turn_state[VIEWER_KEY]`` by the runner (the dialog's own state holds only plain JSON).
"""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.dialogs import ComponentDialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.choices import ListStyle
from botbuilder.dialogs.prompts import ConfirmPrompt, PromptOptions, TextPrompt

from cards.common import plain
from cards.update import outcome_card
from dialogs.commands import pick, split_evidence
from dialogs.storage import Services
from store.history import ChangeContext
from store.people.viewers import Viewer
from store.updates.search import Candidate, Resolution, resolve_typed
from domain.update_views import ACTION, FORM, UpdateOutcome
from store.updates.pipeline import apply_update, load_for_update

__all__ = ["UpdateActionDialog", "VIEWER_KEY", "UNHANDLED_KEY"]

log = logging.getLogger(__name__)
VIEWER_KEY = "tracker.viewer"
# Set when the user's answer was not about the dialog at all ('what's overdue?'): the runner then
# lets the message go on to the normal question routing instead of swallowing it.
UNHANDLED_KEY = "tracker.dialog.unhandled"
_CHOOSE, _CONFIRM, _EVIDENCE, _STEPS = "choose", "confirm", "evidence", "update_action.steps"
_CLOSURE = {
    ACTION: ("implemented", "proposes it to DARA for closure"),
    "inspection": ("submitted for closure", "submits it to Strategy & Governance for closure"),
}


def _viewer(context: TurnContext) -> Viewer:
    return context.turn_state[VIEWER_KEY]


def _as_list(candidates: list[Candidate]) -> list[list[Any]]:
    return [[c.kind, c.ref, c.title, c.number] for c in candidates]


def _from_list(rows: list[list[Any]]) -> list[Candidate]:
    return [Candidate(kind, ref, title, number) for kind, ref, title, number in rows]


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


class UpdateActionDialog(ComponentDialog):
    ID = "update_action"

    def __init__(self, services: Services):
        super().__init__(self.ID)
        self.services = services
        confirm = ConfirmPrompt(_CONFIRM, default_locale="en-us")
        confirm.style = ListStyle.none  # the question says 'yes or no'; no numbered choices
        self.add_dialog(TextPrompt(_CHOOSE))
        self.add_dialog(confirm)
        self.add_dialog(TextPrompt(_EVIDENCE))
        self.add_dialog(WaterfallDialog(_STEPS, [self._find, self._chosen, self._confirmed, self._save]))
        self.initial_dialog_id = _STEPS

    async def _send_card(self, context: TurnContext, outcome: UpdateOutcome) -> None:
        card = outcome_card(outcome, self.services.today())
        await context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card)))

    async def _find(self, step: WaterfallStepContext) -> DialogTurnResult:
        options = step.options if isinstance(step.options, dict) else {}
        query = str(options.get("query") or "")
        step.values["implemented"] = bool(options.get("implemented"))
        found = await self.services.run(resolve_typed, _viewer(step.context), self.services.today(), query)
        if not found.matches:
            text = (
                "You have no outstanding actions to update."
                if not query
                else f"I couldn't find an action or HMICFRS item of yours matching “{plain(query, 60)}”. "
                "Type **my actions** to see them."
            )
            await step.context.send_activity(text)
            return await step.end_dialog()
        if len(found.matches) == 1:
            return await step.next(_as_list(list(found.matches)))
        step.values["candidates"] = _as_list(list(found.matches))
        return await step.prompt(_CHOOSE, PromptOptions(prompt=MessageFactory.text(_choice_text(found, query))))

    async def _chosen(self, step: WaterfallStepContext) -> DialogTurnResult:
        viewer, today = _viewer(step.context), self.services.today()
        if isinstance(step.result, list):
            chosen: Candidate | None = _from_list(step.result)[0]
        else:
            answer = str(step.result or "")
            chosen = pick(_from_list(step.values.get("candidates") or []), answer)
            if chosen is None:  # maybe a number from the card, or a ref not in the short list
                again = await self.services.run(resolve_typed, viewer, today, answer)
                chosen = again.matches[0] if len(again.matches) == 1 else None
        if chosen is None:
            log.info("update dialog: answer did not pick an item; passing the message on")
            step.context.turn_state[UNHANDLED_KEY] = True
            return await step.end_dialog()
        outcome: UpdateOutcome = await self.services.run(
            load_for_update, viewer, kind=chosen.kind, ref=chosen.ref, today=today
        )
        if outcome.status != FORM or not step.values["implemented"]:
            await self._send_card(step.context, outcome)  # the update card, or why there is none
            return await step.end_dialog()
        item = outcome.item
        assert item is not None
        step.values.update(
            kind=chosen.kind, ref=item.ref, version=item.version, on_file=bool(item.evidence_note or item.evidence_link)
        )
        word, effect = _CLOSURE[chosen.kind]
        title = plain(chosen.title, 90)
        prompt = f"Mark **{plain(item.ref)}** “{title}” as {word}? That {effect}. Reply **yes** or **no**."
        retry = f"Please reply **yes** to mark {item.ref} {word}, or **no** to leave it (or **cancel**)."
        return await step.prompt(
            _CONFIRM, PromptOptions(prompt=MessageFactory.text(prompt), retry_prompt=MessageFactory.text(retry))
        )

    async def _confirmed(self, step: WaterfallStepContext) -> DialogTurnResult:
        if not step.result:
            await step.context.send_activity("OK, nothing was changed.")
            return await step.end_dialog()
        keep = " Or type **keep** to use the evidence already on file." if step.values.get("on_file") else ""
        text = f"What is the evidence that it is done? Type a short note, one or more https:// links, or both.{keep}"
        return await step.prompt(_EVIDENCE, PromptOptions(prompt=MessageFactory.text(text)))

    async def _save(self, step: WaterfallStepContext) -> DialogTurnResult:
        viewer, values = _viewer(step.context), step.values
        answer = str(step.result or "").strip()
        note, link = (None, None) if answer.lower() == "keep" else split_evidence(answer)
        word, _effect = _CLOSURE[values["kind"]]
        submission = {"status": word, "evidence_note": note, "evidence_link": link}
        ctx = ChangeContext(viewer.email, "teams", self.services.now())
        outcome = await self.services.run(
            apply_update,
            viewer,
            kind=values["kind"],
            ref=values["ref"],
            submission=submission,
            expected_version=values["version"],
            ctx=ctx,
            today=self.services.today(),
        )
        log.info("update dialog: %s %s -> %s", values["kind"], values["ref"], outcome.status)
        await self._send_card(step.context, outcome)
        return await step.end_dialog()
