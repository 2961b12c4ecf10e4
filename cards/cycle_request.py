"""The ONE card an owner gets for an update cycle (and its reminder): every item in scope, the
deadline, an Update button per item.

Plain data in (the outbox payload: store/cycles/lifecycle.py), a card dict out. Long lists are
cut to stay far under Teams' 28 KB: the rest is summarised as "and N more" with a "My actions" button.
"""

from __future__ import annotations

from typing import Any

from cards.common import action_set, adaptive_card, badge, column, columns, container, execute, heading, plain, text
from cards.cycle import MAX_MESSAGE, fit, iso_date
from domain.phrases import count_of, plural

__all__ = ["request_card", "item_button", "my_actions_button", "MAX_ITEMS_ON_CARD"]

MAX_ITEMS_ON_CARD = 20


def my_actions_button() -> dict[str, Any]:
    return execute("My actions", "ask", {"text": "my actions"})


def item_button(item: dict[str, Any]) -> dict[str, Any]:
    """Opens the owner's update flow for one action (or HMICFRS item)."""
    verb = "inspection.edit" if item.get("kind") == "inspection" else "action.edit"
    return execute("Update", verb, {"ref": item["ref"]})


def _item_row(item: dict[str, Any]) -> dict[str, Any]:
    due = f"Due {iso_date(item.get('effective_due'))}"
    if item.get("effective_due") != item.get("due") and item.get("due"):
        due += f" (originally {iso_date(item['due'])})"
    lines = [
        text(f"**{plain(item['ref'], 30)}** {plain(item.get('title'), 90)}", spacing="None"),
        text(
            f"{plain(item.get('source'), 60)} · {due} · {item.get('status', '')}",
            subtle=True,
            size="Small",
            spacing="None",
        ),
    ]
    if item.get("overdue_days"):
        lines.append(badge(f"Overdue by {count_of(item['overdue_days'], 'day')}"))
    return container(
        [
            columns(
                [column(lines), column([action_set([item_button(item)])], "auto", verticalContentAlignment="Center")]
            )
        ],
        separator=True,
        spacing="Small",
    )


def request_card(payload: dict[str, Any], *, reminder: bool = False) -> dict[str, Any]:
    """The ONE card an owner gets: every item in scope, the deadline, an Update button per item."""
    items: list[dict[str, Any]] = list(payload.get("items") or [])
    covered = payload.get("cover_for")  # sent to the owner's cover while they are away
    first = "" if covered else (payload.get("owner") or "").split(" ")[0]
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
    head = [heading(title), text(f"{intro} by **{iso_date(payload.get('deadline'))}**.")]
    if payload.get("message") and not reminder:
        head.append(
            text(
                f"“{plain(payload['message'], MAX_MESSAGE)}”"
                + (f" — {plain(payload['opened_by'])}" if payload.get("opened_by") else ""),
                subtle=True,
            )
        )
    overdue = sum(1 for i in items if i.get("overdue_days"))
    if overdue:
        head.append(badge(f"{overdue} of them overdue"))

    def build(shown: int) -> dict[str, Any]:
        body = head + [_item_row(i) for i in items[:shown]]
        rest = items[shown:]
        if rest:
            refs = ", ".join(plain(i["ref"], 20) for i in rest[:30]) + (" …" if len(rest) > 30 else "")
            body.append(text(f"…and {len(rest)} more: {refs}. Open **My actions** to update them.", spacing="Medium"))
        body.append(text("An update to any item counts as your response. Thank you.", subtle=True, size="Small"))
        return adaptive_card(body, [my_actions_button()])

    return fit(build, MAX_ITEMS_ON_CARD)
