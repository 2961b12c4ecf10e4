"""Pieces the owner's update cards share (DARA actions and HMICFRS items alike)."""

from __future__ import annotations

import json
from typing import Any, Callable, Mapping

from cards.common import container, error_text, execute, facts, fmt_date, plain, shorten, text, text_input
from domain.evidence import split_links
from domain.phrases import count_of
from domain.update_views import EVIDENCE_LINK_MAX, EVIDENCE_NOTE_MAX, PROGRESS_NOTE_MAX

__all__ = [
    "KEEP_WHEN_STALE",
    "wire_size",
    "fit_to_teams",
    "CARD_BUDGET",
    "STATUS_TITLES",
    "status_title",
    "field_errors",
    "banner",
    "progress_input",
    "evidence_inputs",
    "last_update_line",
    "overdue_text",
    "back_to_list",
    "evidence_facts",
    "next_step_block",
]

# Teams refuses cards of 28 KB or more; keep a margin for the activity around the card.
CARD_BUDGET = 27 * 1024
FREE_TEXT = ("progress_note", "evidence_note", "evidence_link")
SHORTENED = "Some of your text was too long to show here in full and has been shortened: please check it before saving."

# On a stale card the choices are redrawn from the current state; the user's own words survive.
KEEP_WHEN_STALE = ("progress_note", "evidence_note", "evidence_link")

STATUS_TITLES = {
    "open": "Open",
    "in progress": "In progress",
    "implemented": "Implemented (propose for closure)",
    "submitted for closure": "Submitted for closure",
    "holding": "Holding position (paused nationally)",
    "closed": "Closed",
    "superseded": "Superseded",
}


def status_title(status: str) -> str:
    return STATUS_TITLES.get(status, status)


def field_errors(errors: Mapping[str, str], name: str) -> list[dict[str, Any]]:
    """The error text placed directly under the input it is about."""
    return [error_text(errors[name])] if errors.get(name) else []


def banner(message: str, style: str = "attention") -> dict[str, Any]:
    """A coloured strip at the top of a card: why it was not saved, or that it was.

    Its text keeps the default (dark) colour: green or red text on the strip's own pale green or red
    read at under 4.5:1 (WCAG AA); the strip's colour carries the meaning."""
    return container([text(message, weight="Bolder")], style=style, bleed=True)


def progress_input(inputs: Mapping[str, str], errors: Mapping[str, str]) -> list[dict[str, Any]]:
    block = text_input(
        "progress_note",
        "Progress note",
        value=inputs.get("progress_note"),
        multiline=True,
        max_length=PROGRESS_NOTE_MAX,
        placeholder="What has happened since the last update, and what happens next?",
    )
    return [block, *field_errors(errors, "progress_note")]


def evidence_inputs(
    inputs: Mapping[str, str], errors: Mapping[str, str], current_note: str | None, current_link: str | None, when: str
) -> list[dict[str, Any]]:
    """Always shown, with a hint, so every client (with or without ToggleVisibility) can fill them.

    Stored evidence is shown as text, not pre-filled: a blank input keeps it, so a long stored
    note never has to be cut to fit the card (and could then never be saved back shortened).
    """
    note = text_input(
        "evidence_note",
        "Evidence note",
        multiline=True,
        max_length=EVIDENCE_NOTE_MAX,
        value=inputs.get("evidence_note"),
        placeholder="What shows it is done (report, minutes, policy published...)",
    )
    # Multi-line: several links, one per line (domain.evidence); https only, checked on the server.
    link = text_input(
        "evidence_link",
        "Evidence links (https://, one per line)",
        multiline=True,
        max_length=EVIDENCE_LINK_MAX,
        value=inputs.get("evidence_link"),
        placeholder="https://... (one or more links)",
    )
    blocks = [
        text(f"**Evidence** — required {when}: a note, one or more links, or both.", spacing="Medium", subtle=True)
    ]
    if current_note or current_link:
        on_file = "; ".join(plain(v, 200) for v in (current_note, *split_links(current_link)) if v)
        blocks.append(text(f"On file: {on_file} (leave the boxes empty to keep it)", size="Small", spacing="None"))
    return blocks + [note, *field_errors(errors, "evidence_note"), link, *field_errors(errors, "evidence_link")]


def wire_size(card: Mapping[str, Any]) -> int:
    """Bytes as the Bot Framework sends it (json.dumps escapes non-ASCII, so 🚓 costs 12 bytes)."""
    return len(json.dumps(card, separators=(",", ":")))


def fit_to_teams(
    build: Callable[[Mapping[str, str], str | None], dict[str, Any]], inputs: Mapping[str, str], notice: str | None
) -> dict[str, Any]:
    """Build the form; if the user's own text makes it too big for Teams, show that text shortened.

    Only reachable with thousands of non-ASCII characters typed; a card over 28 KB would not be
    shown at all, so the user gets their text cut (and told so) rather than nothing.
    """
    card = build(inputs, notice)
    shown = dict(inputs)
    while wire_size(card) > CARD_BUDGET:
        longest = max((k for k in shown if k in FREE_TEXT), key=lambda k: len(json.dumps(shown[k])), default=None)
        if longest is None or len(shown[longest]) <= 100:
            break
        shown[longest] = shown[longest][: len(shown[longest]) // 2]
        card = build(shown, " ".join(filter(None, (notice, SHORTENED))))
    return card


def last_update_line(on: Any, note: str | None, limit: int = 160) -> str | None:
    if not on and not note:
        return None
    return f"{fmt_date(on)}: {shorten(note, limit)}" if note else fmt_date(on)


def overdue_text(days: int) -> str:
    return f"Overdue {count_of(days, 'day')}"


def back_to_list(verb: str, title: str = "Back to my list") -> dict[str, Any]:
    # 'none': going back must not submit (or client-validate) the half-filled form.
    return execute(title, verb, {"page": 0}, associated_inputs="none")


def evidence_facts(note: str | None, link: str | None) -> list[dict[str, Any]]:
    """The evidence on file under a saved update: the note, then each link (nothing when none)."""
    shown = [plain(note, 160)] if note else []
    shown += [plain(one, 120) for one in split_links(link)]
    return [facts([("Evidence", " · ".join(shown))])] if shown else []


def next_step_block(words: str | None) -> list[dict[str, Any]]:
    """ "What happens next" under a saved update: who decides, and by when."""
    if not words:
        return []
    return [
        container(
            [text("**What happens next**", spacing="None"), text(words, spacing="Small")],
            style="emphasis",
            spacing="Medium",
        )
    ]
