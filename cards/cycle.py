"""Update-cycle cards for governance: choose a scope, preview it, the cycle opened.

Plain data in (`Preview.as_json()`, the form's values), card dicts out. The one consolidated
request each owner gets: cards/cycle_request.py; progress, reminder and digest cards:
cards/cycle_progress.py; the words for a scope and for the store's refusals: cards/cycle_wording.py.
Long lists are cut to stay far under Teams' 28 KB (`fit`).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Callable, Sequence

from cards.common import (
    adaptive_card,
    choice_input,
    date_input,
    error_text,
    execute,
    facts,
    fmt_date,
    heading,
    plain,
    shorten,
    text,
    text_input,
)
from cards.cycle_wording import scope_words
from domain.phrases import count_of

__all__ = ["SCOPE_CHOICES", "scope_card", "preview_card", "iso_date", "started_card", "fit", "CARD_BUDGET"]

SCOPE_CHOICES = (
    ("All outstanding monitored actions", "all"),
    ("One business group", "group"),
    ("Overdue actions only", "overdue"),
    ("Actions due within N days", "due_within"),
)
MAX_MESSAGE = 1000
CARD_BUDGET = 24 * 1024  # bytes as sent (non-ASCII escaped); Teams refuses 28 KB and more


def card_bytes(card: dict[str, Any]) -> int:
    return len(json.dumps(card, separators=(",", ":")).encode("ascii"))


def fit(build: Callable[[int], dict[str, Any]], most: int) -> dict[str, Any]:
    """build(n) with the largest n <= most whose card stays within CARD_BUDGET (long unicode text
    takes six bytes a character on the wire, so the count alone is not enough)."""
    n = most
    card = build(n)
    while n > 0 and card_bytes(card) > CARD_BUDGET:
        n = n // 2 if card_bytes(card) > 2 * CARD_BUDGET else n - 1
        card = build(n)
    return card


def iso_date(value: str | None) -> str:
    """'2026-12-10' -> '10 Dec 2026' (dates travel as ISO text in payloads)."""
    return fmt_date(date.fromisoformat(value)) if value else "—"


def scope_card(
    groups: Sequence[str],
    *,
    default_deadline: date,
    today: date,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    """What to ask about, by when, and an optional message; Preview shows the reach before sending."""
    values, errors = values or {}, errors or {}

    def err(field: str) -> list[dict[str, Any]]:
        return [error_text(errors[field])] if field in errors else []

    body = [
        heading("Request updates"),
        text(
            "Ask owners for an update on their actions. You will see how many people this reaches "
            "before anything is sent.",
            subtle=True,
        ),
        *err("form"),
        choice_input(
            "scope", "What to ask about", SCOPE_CHOICES, value=str(values.get("scope") or "all"), required=True
        ),
        *err("scope"),
        *(
            [
                choice_input(
                    "group",
                    "Business group (for 'one business group')",
                    [(g, g) for g in groups],
                    value=str(values.get("group") or "") or None,
                    placeholder="Choose a group",
                )
            ]
            if groups
            else [text("No business groups are configured yet.", subtle=True)]
        ),
        *err("group"),
        {
            "type": "Input.Number",
            "id": "days",
            "label": "N days (for 'due within N days')",
            "min": 1,
            "max": 730,
            "value": int(values.get("days") or 30),
        },
        *err("days"),
        {
            "type": "Input.Toggle",
            "id": "include_hmicfrs",
            "title": "Include the open HMICFRS recommendations and areas for improvement",
            "value": "true" if _truthy(values.get("include_hmicfrs")) else "false",
            "valueOn": "true",
            "valueOff": "false",
        },
        date_input(
            "deadline",
            "Deadline for updates",
            required=True,
            min_date=today,
            value=_date_or(values.get("deadline"), default_deadline),
        ),
        *err("deadline"),
        text_input(
            "message",
            "Message to owners (optional)",
            value=str(values.get("message") or "") or None,
            multiline=True,
            max_length=MAX_MESSAGE,
            placeholder="e.g. Please update before the Audit Panel on 14 January.",
        ),
        *err("message"),
        text_input(
            "reminders",
            "Remind owners who have not responded (days before the deadline)",
            value=str(values.get("reminders") or "7,2,0"),
            max_length=40,
            placeholder="e.g. 7,2,0, or none",
        ),
        text("Sent by the bot on working days between 09:00 and 17:00.", subtle=True, size="Small", spacing="None"),
        *err("reminders"),
    ]
    return adaptive_card(body, [execute("Preview", "cycle.preview", {}, style="positive", associated_inputs="auto")])


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes", "on")


def _date_or(value: Any, default: date) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return default


def preview_card(
    preview: dict[str, Any],
    *,
    deadline: str,
    message: str | None,
    reminders: str = "7,2,0",
    reminder_dates: Sequence[str] = (),
) -> dict[str, Any]:
    """How many owners and items are in scope, and who cannot be reached; Confirm sends."""
    unreachable = preview.get("unreachable") or []
    items = preview["actions"] + preview["inspections"]
    body = [
        heading("Check before sending"),
        text(
            f"**{count_of(preview['owners'], 'owner')}** will each get one card listing their items: "
            f"**{count_of(preview['actions'], 'action')}**"
            + (f" and **{count_of(preview['inspections'], 'HMICFRS item')}**" if preview["inspections"] else "")
            + f" ({scope_words(preview['scope'])})."
        ),
        facts(
            [
                ("Deadline", iso_date(deadline)),
                ("Items asked about", items),
                ("Owners who can be reached", preview["owners"] - len(unreachable)),
                ("Owners who cannot be reached", len(unreachable)),
            ]
        ),
    ]
    if unreachable:
        shown = ", ".join(plain(n, 40) for n in unreachable[:15]) + (
            f" and {len(unreachable) - 15} more" if len(unreachable) > 15 else ""
        )
        body.append(
            text(
                f"The bot is not installed for: {shown}. Their requests are recorded as "
                "'not installed'; a reminder sends them once they install the bot.",
                subtle=True,
                size="Small",
            )
        )
    if preview.get("ownerless_inspections"):
        body.append(
            text(
                f"{preview['ownerless_inspections']} open HMICFRS items have no owner and are left out.",
                subtle=True,
                size="Small",
            )
        )
    groups = preview.get("by_group") or {}
    if groups:
        body.append(text("By business group", weight="Bolder", spacing="Medium"))
        body.append(
            facts(
                [
                    (shorten(g, 40), f"{count_of(v['items'], 'item')}, {count_of(v['owners'], 'owner')}")
                    for g, v in list(groups.items())[:20]
                ]
            )
        )
    if message:
        body.append(text(f"Message: {plain(message, 300)}", subtle=True))
    body.append(
        text(
            "Reminders to owners who have not responded: "
            + (", ".join(iso_date(d) for d in reminder_dates) if reminder_dates else "none"),
            subtle=True,
        )
    )
    data = {"scope": preview["scope"], "deadline": deadline, "message": message or "", "reminders": reminders}
    actions = [
        execute(f"Confirm: send to {count_of(preview['owners'], 'owner')}", "cycle.confirm", data, style="positive")
    ]
    actions.append(
        execute(
            "Change",
            "cycle.request",
            {
                "values": {
                    "scope": preview["scope"]["kind"],
                    "group": preview["scope"].get("group"),
                    "days": preview["scope"].get("days"),
                    "include_hmicfrs": preview["scope"].get("include_hmicfrs"),
                    "deadline": deadline,
                    "message": message or "",
                    "reminders": reminders,
                }
            },
        )
    )
    return adaptive_card(body, actions)


def started_card(cycle_id: int, owners: int, queued: int, not_installed: int, deadline: str) -> dict[str, Any]:
    """Replaces the preview once confirmed (the live progress card follows as its own message)."""
    return adaptive_card(
        [
            heading(f"Update cycle {cycle_id} opened"),
            text(
                f"Requests to {count_of(owners, 'owner')} are being sent ({queued} queued, {not_installed} not installed). "
                f"Deadline {iso_date(deadline)}. The progress card below updates itself as they go out and "
                "owners respond."
            ),
        ],
        [execute("Cycle status", "cycle.status", {"cycle": cycle_id})],
    )
