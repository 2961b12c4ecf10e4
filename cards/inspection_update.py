"""The update card for one HMICFRS recommendation or area for improvement, and what replaces it."""

from __future__ import annotations

from typing import Any, Mapping

from cards.common import adaptive_card, choice_input, execute, facts, fmt_date, heading, plain, text
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
from domain.update_views import FORM, INSPECTION_OWNER_STATUSES, INVALID, SAVED, STALE, InspectionView, UpdateOutcome

__all__ = [
    "inspection_update_card",
    "inspection_saved_card",
    "inspection_facts",
    "owner_statuses",
    "inspection_outcome_card",
    "INSPECTION_SAVE_VERB",
    "INSPECTION_EDIT_VERB",
    "INSPECTION_LIST_VERB",
]

INSPECTION_SAVE_VERB, INSPECTION_EDIT_VERB, INSPECTION_LIST_VERB = (
    "inspection.save",
    "inspection.edit",
    "my_inspections.page",
)


def inspection_facts(item: InspectionView) -> dict[str, Any]:
    owner = (item.owner_name or "—") + (" (you are updating for them)" if item.on_behalf_of else "")
    return facts(
        [
            ("Inspection", f"{item.inspection} ({item.inspection_year})"),
            ("Type", f"{item.kind_label}, {'nationwide' if item.scope == 'nationwide' else 'force specific'}"),
            ("Theme", item.theme),
            ("Business group", item.business_group),
            ("Owner", owner),
            ("Status", status_title(item.status)),
            ("Due date", fmt_date(item.due_date) if item.due_date else None),
            ("Overdue", overdue_text(item.days_overdue).removeprefix("Overdue ") if item.overdue else None),
            ("Last update", last_update_line(item.last_update_on, item.progress_note)),
        ]
    )


def owner_statuses(item: InspectionView) -> tuple[str, ...]:
    # A holding item may keep its national holding position; the owner cannot put one into it.
    return INSPECTION_OWNER_STATUSES + (("holding",) if item.status == "holding" else ())


def inspection_update_card(
    item: InspectionView,
    *,
    inputs: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    notice: str | None = None,
    notice_style: str = "attention",
) -> dict[str, Any]:
    errors = dict(errors or {})

    def build(shown: Mapping[str, str], note: str | None) -> dict[str, Any]:
        return _form(item, shown, errors, note, notice_style)

    return fit_to_teams(build, dict(inputs or {}), notice)


def _form(
    item: InspectionView, inputs: Mapping[str, str], errors: Mapping[str, str], notice: str | None, notice_style: str
) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if notice:
        body.append(banner(notice, notice_style))
    body += [heading(f"Update HMICFRS {plain(item.ref)}"), inspection_facts(item)]
    statuses = owner_statuses(item)
    status = inputs.get("status") or (item.status if item.status in statuses else None)
    body += [
        choice_input("status", "Status", [(status_title(s), s) for s in statuses], value=status),
        *field_errors(errors, "status"),
    ]
    body += progress_input(inputs, errors)
    body += evidence_inputs(inputs, errors, item.evidence_note, item.evidence_link, "when submitting for closure")
    return adaptive_card(
        body,
        [
            execute("Save", INSPECTION_SAVE_VERB, {"ref": item.ref, "version": item.version}, style="positive"),
            back_to_list(INSPECTION_LIST_VERB, "Back to my HMICFRS items"),
        ],
    )


def inspection_saved_card(outcome: UpdateOutcome) -> dict[str, Any]:
    item = outcome.inspection
    assert item is not None
    body = [
        banner(outcome_message(outcome), "good"),
        heading(f"HMICFRS {plain(item.ref)}"),
        inspection_facts(item),
        *evidence_facts(item.evidence_note, item.evidence_link),
        *next_step_block(next_step(outcome)),
    ]
    if outcome.replayed:
        body.append(text("This update had already been saved; nothing was saved twice.", subtle=True, size="Small"))
    return adaptive_card(
        body,
        [
            execute("Back to my HMICFRS items", INSPECTION_LIST_VERB, {"page": 0}),
            execute("Update again", INSPECTION_EDIT_VERB, {"ref": item.ref}),
        ],
    )


def inspection_outcome_card(outcome: UpdateOutcome, refusal: dict[str, Any]) -> dict[str, Any]:
    """Like cards.update.outcome_card, for HMICFRS items; ``refusal`` is shown when there is no item."""
    item = outcome.inspection
    if item is None:
        return refusal
    if outcome.status == SAVED:
        return inspection_saved_card(outcome)
    if outcome.status == INVALID:
        return inspection_update_card(
            item, inputs=outcome.inputs, errors=error_messages(outcome.errors), notice=outcome_message(outcome)
        )
    if outcome.status == STALE:
        kept = {k: v for k, v in outcome.inputs.items() if k in KEEP_WHEN_STALE}
        return inspection_update_card(item, inputs=kept, notice=stale_notice(outcome), notice_style="warning")
    if outcome.status == FORM:
        return inspection_update_card(item)
    return refusal
