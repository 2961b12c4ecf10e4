"""The update card for one DARA action, and the cards that replace it (saved, errors, stale, refused).

One builder draws the form for every case: first showing, re-shown with the user's inputs and an
error beside each failing field, and re-drawn from the current state when the card was stale.
``outcome_card`` picks the right card for any ``UpdateOutcome`` (actions and HMICFRS items).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Mapping, Sequence

from cards.common import (
    adaptive_card,
    choice_input,
    date_input,
    execute,
    facts,
    fmt_date,
    heading,
    message,
    plain,
    shorten,
    text,
)
from cards.inspection_update import inspection_outcome_card
from cards.update_parts import (
    KEEP_WHEN_STALE,
    back_to_list,
    banner,
    evidence_facts,
    evidence_inputs,
    field_errors,
    fit_to_teams,
    last_update_line,
    next_step_block,
    overdue_text,
    progress_input,
    status_title,
)
from cards.update_wording import error_messages, next_step, outcome_message, stale_notice
from domain.phrases import first_upper
from domain.update_rules import parse_iso_date
from domain.update_views import (
    ACTION_OWNER_STATUSES,
    FORM,
    INSPECTION,
    INVALID,
    NO_DELAY,
    SAVED,
    STALE,
    ActionView,
    UpdateOutcome,
)

__all__ = [
    "action_update_card",
    "action_saved_card",
    "action_facts",
    "refusal_card",
    "outcome_card",
    "SAVE_VERB",
    "EDIT_VERB",
    "LIST_VERB",
    "NO_DELAY_TITLE",
]

SAVE_VERB, EDIT_VERB, LIST_VERB = "action.save", "action.edit", "my_actions.page"
NO_DELAY_TITLE = "No delay (back on track)"


def action_facts(action: ActionView) -> dict[str, Any]:
    owner = action.owner_name + (" (you are updating for them)" if action.on_behalf_of else "")
    pending = f"{fmt_date(action.pending_date)} — awaiting Strategy & Governance" if action.pending_date else None
    return facts(
        [
            ("Audit", shorten(action.audit_title, 120)),
            ("Risk", first_upper(action.risk)),
            ("Business group", action.business_group),
            ("Owner", owner),
            ("Status", status_title(action.status)),
            ("Original due date", fmt_date(action.due_date)),
            ("Agreed revised date", fmt_date(action.revised_due_date) if action.revised_due_date else None),
            ("Proposed revised date", pending),
            ("Overdue", overdue_text(action.days_overdue).removeprefix("Overdue ") if action.overdue else None),
            ("Delay reason", action.delay_reason),
            ("Implemented on", fmt_date(action.implemented_on) if action.implemented_on else None),
            ("Last update", last_update_line(action.last_update_on, action.last_update_note)),
        ]
    )


def action_update_card(
    action: ActionView,
    delay_reasons: Sequence[str],
    today: date,
    *,
    inputs: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    notice: str | None = None,
    notice_style: str = "attention",
) -> dict[str, Any]:
    """The form; with ``inputs`` and ``errors`` it is the same form re-shown after a failed save."""
    errors = dict(errors or {})

    def build(shown: Mapping[str, str], note: str | None) -> dict[str, Any]:
        return _form(action, delay_reasons, today, shown, errors, note, notice_style)

    return fit_to_teams(build, dict(inputs or {}), notice)


def _form(
    action: ActionView,
    delay_reasons: Sequence[str],
    today: date,
    inputs: Mapping[str, str],
    errors: Mapping[str, str],
    notice: str | None,
    notice_style: str,
) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if notice:
        body.append(banner(notice, notice_style))
    body += [heading(f"Update {plain(action.ref)}"), text(plain(action.description, 500)), action_facts(action)]

    status = inputs.get("status") or (action.status if action.status in ACTION_OWNER_STATUSES else None)
    body += [
        choice_input("status", "Status", [(status_title(s), s) for s in ACTION_OWNER_STATUSES], value=status),
        *field_errors(errors, "status"),
    ]
    body += progress_input(inputs, errors)

    reason = inputs.get("delay_reason") or action.delay_reason
    required = (
        "required: this action is past its original due date"
        if action.overdue
        else "required if you propose a revised date"
    )
    # "No delay" clears a stored reason (a blank choice keeps it); offered first, as the good news,
    # but not where the rules keep a reason (past the original due date, a proposal waiting).
    back_on_track = [(NO_DELAY_TITLE, NO_DELAY)] if not (action.overdue or action.pending_date) else []
    choices = [*back_on_track, *((r, r) for r in delay_reasons)]
    body += [
        choice_input(
            "delay_reason",
            f"Delay reason ({required})",
            choices,
            value=reason if reason in delay_reasons or reason == NO_DELAY else None,
            placeholder="Choose a reason",
        ),
        *field_errors(errors, "delay_reason"),
    ]

    proposed = parse_iso_date(inputs["revised_date"]) if inputs.get("revised_date") else None
    earliest = max(today, action.due_date) + timedelta(days=1)
    agreed = fmt_date(action.effective_due_date)
    body += [
        date_input("revised_date", "Propose a revised due date (optional)", value=proposed, min_date=earliest),
        *field_errors(errors, "revised_date"),
        text(
            f"Strategy & Governance decide; until then the due date stays {agreed}.",
            subtle=True,
            size="Small",
            spacing="None",
        ),
    ]
    body += evidence_inputs(inputs, errors, action.evidence_note, action.evidence_link, "when marking implemented")
    actions = [
        execute("Save", SAVE_VERB, {"ref": action.ref, "version": action.version}, style="positive"),
        back_to_list(LIST_VERB, "Back to my actions"),
    ]
    return adaptive_card(body, actions)


def action_saved_card(outcome: UpdateOutcome) -> dict[str, Any]:
    action = outcome.action
    assert action is not None
    body = [
        banner(outcome_message(outcome), "good"),
        heading(plain(action.ref)),
        text(plain(action.description, 300)),
        action_facts(action),
        *evidence_facts(action.evidence_note, action.evidence_link),
        *next_step_block(next_step(outcome)),
    ]
    if outcome.replayed:
        body.append(text("This update had already been saved; nothing was saved twice.", subtle=True, size="Small"))
    return adaptive_card(
        body,
        [
            execute("Back to my actions", LIST_VERB, {"page": 0}),
            execute("Update again", EDIT_VERB, {"ref": action.ref}),
        ],
    )


def refusal_card(outcome: UpdateOutcome) -> dict[str, Any]:
    verb = "my_inspections.page" if outcome.kind == INSPECTION else LIST_VERB
    return message("I can't update that", outcome_message(outcome), [execute("Back to my list", verb, {"page": 0})])


def outcome_card(outcome: UpdateOutcome, today: date) -> dict[str, Any]:
    """The card that shows any load or save outcome."""
    if outcome.kind == INSPECTION:
        return inspection_outcome_card(outcome, refusal_card(outcome))
    action = outcome.action
    if action is None:
        return refusal_card(outcome)
    if outcome.status == SAVED:
        return action_saved_card(outcome)
    if outcome.status == INVALID:
        return action_update_card(
            action,
            outcome.delay_reasons,
            today,
            inputs=outcome.inputs,
            errors=error_messages(outcome.errors),
            notice=outcome_message(outcome),
        )
    if outcome.status == STALE:
        kept = {k: v for k, v in outcome.inputs.items() if k in KEEP_WHEN_STALE}
        return action_update_card(
            action, outcome.delay_reasons, today, inputs=kept, notice=stale_notice(outcome), notice_style="warning"
        )
    if outcome.status == FORM:
        return action_update_card(action, outcome.delay_reasons, today)
    return refusal_card(outcome)
