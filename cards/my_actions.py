"""'My actions': an owner's outstanding actions (and HMICFRS items), most urgent first, paged.

Each item carries an Update button (Action.Execute 'action.edit' / 'inspection.edit'), so an owner
reaches a saved update with two clicks. Page size is chosen by the caller; eight items keep a page
well under Teams' 28 KB.
"""

from __future__ import annotations

from typing import Any

from cards.common import (
    action_set,
    adaptive_card,
    badge,
    column,
    columns,
    container,
    execute,
    fmt_date,
    heading,
    plain,
    text,
)
from cards.update_parts import overdue_text, status_title
from domain.phrases import first_upper
from domain.update_views import ActionView, InspectionView, ItemPage

__all__ = ["my_actions_card", "my_inspections_card", "ACTIONS_PAGE_VERB", "INSPECTIONS_PAGE_VERB"]

ACTIONS_PAGE_VERB, INSPECTIONS_PAGE_VERB = "my_actions.page", "my_inspections.page"
TYPING_TIP = "Tip: type **update 2**, **update** and a ref, or **mark** a ref **implemented**."


def _due_badge(overdue_days: int, due: Any) -> dict[str, Any]:
    if overdue_days:
        return badge(overdue_text(overdue_days))
    return text(f"Due {fmt_date(due)}" if due else "No due date", size="Small", spacing="None")


def _action_item(item: ActionView) -> dict[str, Any]:
    details = [
        f"Original due {fmt_date(item.due_date)}",
        f"effective due {fmt_date(item.effective_due_date)}",
        f"last update {fmt_date(item.last_update_on)}" if item.last_update_on else "no update yet",
    ]
    if item.pending_date:
        details.append(f"revised date {fmt_date(item.pending_date)} proposed")
    if item.on_behalf_of:
        details.append(f"owner {plain(item.on_behalf_of)}")
    left = [
        text(f"**{item.position}. {plain(item.ref)}** · {first_upper(item.risk)} risk · {status_title(item.status)}"),
        text(plain(item.description, 90), spacing="None"),
        text(plain(item.audit_title, 70), subtle=True, size="Small", spacing="None"),
    ]
    return container(
        [
            columns([column(left), column([_due_badge(item.days_overdue, item.effective_due_date)], "auto")]),
            text(" · ".join(details), subtle=True, size="Small", spacing="None"),
            action_set([execute("Update", "action.edit", {"ref": item.ref})]),
        ],
        separator=True,
        spacing="Medium",
    )


def _inspection_item(item: InspectionView) -> dict[str, Any]:
    details = [
        f"{item.inspection_year}, {'nationwide' if item.scope == 'nationwide' else 'force'}",
        f"last update {fmt_date(item.last_update_on)}" if item.last_update_on else "no update yet",
    ]
    if item.on_behalf_of:
        details.append(f"owner {plain(item.on_behalf_of)}")
    left = [
        text(f"**{item.position}. {plain(item.ref)}** · {item.kind_label} · {status_title(item.status)}"),
        text(plain(item.inspection, 90), spacing="None"),
        text(plain(item.theme or "", 70) or "—", subtle=True, size="Small", spacing="None"),
    ]
    return container(
        [
            columns([column(left), column([_due_badge(item.days_overdue, item.due_date)], "auto")]),
            text(" · ".join(details), subtle=True, size="Small", spacing="None"),
            action_set([execute("Update", "inspection.edit", {"ref": item.ref})]),
        ],
        separator=True,
        spacing="Medium",
    )


def _pager(page: ItemPage, verb: str) -> list[dict[str, Any]]:
    buttons = []
    if page.has_previous:
        buttons.append(execute("Previous", verb, {"page": page.page - 1}))
    if page.has_next:
        buttons.append(execute("Next", verb, {"page": page.page + 1}))
    return buttons


def _summary(page: ItemPage, noun: str) -> str:
    where = f" · page {page.page + 1} of {page.pages}" if page.pages > 1 else ""
    return f"{page.total} {noun}, {page.overdue_total} overdue · most urgent first{where}"


def my_actions_card(page: ItemPage) -> dict[str, Any]:
    body: list[dict[str, Any]] = [heading("Your outstanding actions")]
    other = (
        [execute(f"My HMICFRS items ({page.other_total})", INSPECTIONS_PAGE_VERB, {"page": 0})]
        if page.other_total
        else []
    )
    if not page.total:
        body.append(text("You have no outstanding actions: nothing is waiting for an update from you."))
        return adaptive_card(body, other)
    body.append(text(_summary(page, "outstanding"), subtle=True, spacing="None"))
    body += [_action_item(item) for item in page.items]
    body.append(text(TYPING_TIP, subtle=True, size="Small", spacing="Medium"))
    return adaptive_card(body, _pager(page, ACTIONS_PAGE_VERB) + other)


def my_inspections_card(page: ItemPage) -> dict[str, Any]:
    body: list[dict[str, Any]] = [heading("Your HMICFRS recommendations and areas for improvement")]
    other = (
        [execute(f"My audit actions ({page.other_total})", ACTIONS_PAGE_VERB, {"page": 0})] if page.other_total else []
    )
    if not page.total:
        body.append(text("You have no open HMICFRS recommendations or areas for improvement."))
        return adaptive_card(body, other)
    body.append(text(_summary(page, "not closed"), subtle=True, spacing="None"))
    body += [_inspection_item(item) for item in page.items]
    return adaptive_card(body, _pager(page, INSPECTIONS_PAGE_VERB) + other)
