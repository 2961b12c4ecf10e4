"""The ONE card an owner gets for an update cycle (and its reminder): every item in scope, the
deadline, an Update button per item.

Typed messages in (domain/messages.py Request and Reminder), a card dict out. Long lists are
cut to stay far under Teams' 28 KB: the rest is summarised as "and N more" with a "My actions" button.
"""

from __future__ import annotations

from typing import Any

from cards.common import action_set, adaptive_card, badge, column, columns, container, execute, heading, plain, text
from cards.cycle import MAX_MESSAGE, fit, iso_date
from domain.message_parts import RequestItem
from domain.messages import Reminder, Request
from domain.phrases import count_of, plural

__all__ = ["request_card", "reminder_card", "item_button", "my_actions_button", "MAX_ITEMS_ON_CARD"]

MAX_ITEMS_ON_CARD = 20


def my_actions_button() -> dict[str, Any]:
    return execute("My actions", "ask", {"text": "my actions"})


def item_button(ref: str, kind: str = "action") -> dict[str, Any]:
    """Opens the owner's update flow for one action (or HMICFRS item: `kind` "inspection")."""
    verb = "inspection.edit" if kind == "inspection" else "action.edit"
    return execute("Update", verb, {"ref": ref})


def _item_row(item: RequestItem) -> dict[str, Any]:
    due = f"Due {iso_date(item.effective_due)}"
    if item.effective_due != item.due and item.due:
        due += f" (originally {iso_date(item.due)})"
    lines = [
        text(f"**{plain(item.ref, 30)}** {plain(item.title, 90)}", spacing="None"),
        text(f"{plain(item.source, 60)} · {due} · {item.status}", subtle=True, size="Small", spacing="None"),
    ]
    if item.overdue_days:
        lines.append(badge(f"Overdue by {count_of(item.overdue_days, 'day')}"))
    button = action_set([item_button(item.ref, item.kind)])
    return container(
        [columns([column(lines), column([button], "auto", verticalContentAlignment="Center")])],
        separator=True,
        spacing="Small",
    )


def request_card(request: Request) -> dict[str, Any]:
    """The ONE card an owner gets: every item in scope, the deadline, an Update button per item."""
    return _owner_card(request, reminder=False)


def reminder_card(reminder: Reminder) -> dict[str, Any]:
    """The same card for the items not yet updated, worded as a reminder (no opener's message)."""
    return _owner_card(reminder, reminder=True)


def _owner_card(payload: Request | Reminder, *, reminder: bool) -> dict[str, Any]:
    items = list(payload.items)
    covered = payload.cover_for  # sent to the owner's cover while they are away
    first = "" if covered else payload.owner.split(" ")[0]
    title = "Reminder: updates needed" if reminder else "Update request"
    n = f"**{len(items)}** {plural(len(items), 'item')}"
    if covered:
        intro = f"As {plain(covered)}'s cover, " + (
            f"there {plural(len(items), 'is', 'are')} still {n} of theirs to update"
            if reminder
            else f"please update {plain(covered)}'s {n}"
        )
    else:
        intro = (f"Hello {plain(first)}, " if first else "") + (
            f"you still have {n} to update" if reminder else f"please update your {n}"
        )
    head = [heading(title), text(f"{intro} by **{iso_date(payload.deadline)}**.")]
    if isinstance(payload, Request) and payload.message:
        head.append(
            text(
                f"“{plain(payload.message, MAX_MESSAGE)}”"
                + (f" — {plain(payload.opened_by)}" if payload.opened_by else ""),
                subtle=True,
            )
        )
    overdue = sum(1 for i in items if i.overdue_days)
    if overdue:
        head.append(badge(f"{overdue} of them overdue"))

    def build(shown: int) -> dict[str, Any]:
        body = head + [_item_row(i) for i in items[:shown]]
        rest = items[shown:]
        if rest:
            refs = ", ".join(plain(i.ref, 20) for i in rest[:30]) + (" …" if len(rest) > 30 else "")
            body.append(text(f"…and {len(rest)} more: {refs}. Open **My actions** to update them.", spacing="Medium"))
        body.append(text("An update to any item counts as your response. Thank you.", subtle=True, size="Small"))
        return adaptive_card(body, [my_actions_button()])

    return fit(build, MAX_ITEMS_ON_CARD)
