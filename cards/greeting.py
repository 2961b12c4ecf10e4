"""The card a person sees when they install the bot (or say hello): what they can do in their role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from cards.common import adaptive_card, execute, heading, plain, text

__all__ = ["GreetingData", "greeting_card", "not_on_tracker_card", "ask_button"]

_ROLE_LINES = {
    "owner": ("Action owner", "See your outstanding actions and update status, delay reasons and revised dates."),
    "spoc": (
        "Single point of contact",
        "See who in {groups} has not responded, nudge them, and update on their behalf.",
    ),
    "chief_officer": ("Chief Officer", "Ask what is outstanding, overdue or forthcoming in {groups}."),
    "governance": (
        "Strategy & Governance",
        "Open update cycles, chase non-responders, decide revised dates and "
        "closures, and build the quarterly panel report.",
    ),
}
_MAX_ACTIONS = 5
_ROLE_ORDER = ("governance", "chief_officer", "spoc", "owner")
# One button per thing a role does most; each sends the same words a person could type.
_ROLE_BUTTONS = {
    "owner": ("My actions", "my actions"),
    "spoc": ("Who hasn't responded", "cycle status"),
    "chief_officer": ("Overdue in my group", "what's overdue in my group"),
    "governance": ("Request updates", "request updates"),
}


@dataclass(frozen=True)
class GreetingData:
    name: str
    roles: frozenset[str]
    led_groups: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()


def ask_button(title: str, question: str) -> dict[str, Any]:
    """A button that asks the bot a question, exactly as if it had been typed."""
    return execute(title, "ask", {"text": question})


def greeting_card(data: GreetingData) -> dict[str, Any]:
    groups = plain(", ".join(data.led_groups)) or "your business group"
    body = [
        heading(f"Hello {plain(data.name.split()[0]) if data.name else ''}".strip(), "Large"),
        text("I keep the audit and inspection action tracker up to date with you. As:", spacing="Small"),
    ]
    buttons = []
    for role in _ROLE_ORDER:
        if role in data.roles:
            title, line = _ROLE_LINES[role]
            body.append(text(f"**{title}**: {line.format(groups=groups)}", spacing="Small"))
            buttons.append(ask_button(*_ROLE_BUTTONS[role]))
    if data.examples:
        body.append(text("You can also type questions such as:", spacing="Medium", subtle=True))
        body += [text(f"• {example}", spacing="None", subtle=True) for example in data.examples[:5]]
    if "governance" in data.roles:
        buttons.insert(1, ask_button("Summary", "summary"))
    # Teams shows at most 5 actions on a card: the role buttons first, Help always last.
    return adaptive_card(body, buttons[: _MAX_ACTIONS - 1] + [ask_button("Help", "help")])


def not_on_tracker_card(display_name: str | None, contact: str) -> dict[str, Any]:
    who = f", {plain(display_name.split()[0])}" if display_name and display_name.split() else ""
    return adaptive_card(
        [
            heading(f"Hello{who}"),
            text("I couldn't find you on the audit action tracker, so I can't show you any actions yet."),
            text(
                f"If you own audit or inspection actions, please ask {contact} to add you "
                "(they need your work email address).",
                subtle=True,
            ),
        ]
    )


def role_names(roles: Sequence[str]) -> str:
    return ", ".join(_ROLE_LINES[r][0] for r in _ROLE_ORDER if r in roles)
