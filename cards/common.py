"""Building blocks shared by every card: typed helpers instead of hand-edited JSON.

Cards are Adaptive Card 1.5 (the highest Teams accepts). Buttons are Universal Actions
(Action.Execute, invoke 'adaptiveCard/action') with an Action.Submit fallback that carries the
same verb and data, so clients without Universal Actions still work.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Sequence

from domain.text import escape_markdown

__all__ = [
    "CARD_VERSION",
    "column_weights",
    "header_need",
    "NARROW_CARD_PX",
    "adaptive_card",
    "text",
    "heading",
    "facts",
    "columns",
    "column",
    "container",
    "execute",
    "open_url",
    "table",
    "fmt_date",
    "shorten",
    "choice_input",
    "text_input",
    "date_input",
    "message",
    "error_text",
    "action_set",
    "badge",
    "plain",
]

CARD_VERSION = "1.5"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"


def adaptive_card(
    body: Sequence[dict[str, Any]], actions: Sequence[dict[str, Any]] = (), **extra: Any
) -> dict[str, Any]:
    card: dict[str, Any] = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": CARD_VERSION, "body": list(body)}
    if actions:
        card["actions"] = list(actions)
    card["msteams"] = {"width": "Full"}
    card.update(extra)
    return card


def text(
    value: str,
    *,
    weight: str | None = None,
    size: str | None = None,
    color: str | None = None,
    subtle: bool = False,
    wrap: bool = True,
    spacing: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "TextBlock", "text": value, "wrap": wrap}
    for key, val in (("weight", weight), ("size", size), ("color", color), ("spacing", spacing)):
        if val:
            block[key] = val
    if subtle:
        block["isSubtle"] = True
    block.update(extra)
    return block


def heading(value: str, size: str = "Medium") -> dict[str, Any]:
    return text(value, weight="Bolder", size=size, style="heading")


def error_text(value: str) -> dict[str, Any]:
    return text(value, color="Attention", weight="Bolder", spacing="None")


def badge(value: str, color: str = "Attention") -> dict[str, Any]:
    return text(value, color=color, weight="Bolder", size="Small", spacing="None")


def facts(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Titles are ours; values are data (often typed by someone), so they are shown as text."""
    return {
        "type": "FactSet",
        "facts": [{"title": k, "value": escape_markdown(v)} for k, v in pairs if v not in (None, "")],
    }


def column(items: Sequence[dict[str, Any]], width: str | int = "stretch", **extra: Any) -> dict[str, Any]:
    return {"type": "Column", "width": str(width) if isinstance(width, int) else width, "items": list(items), **extra}


def columns(cols: Sequence[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "ColumnSet", "columns": list(cols), **extra}


def container(items: Sequence[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "Container", "items": list(items), **extra}


def action_set(actions: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "ActionSet", "actions": list(actions)}


def execute(
    title: str,
    verb: str,
    data: dict[str, Any] | None = None,
    *,
    style: str | None = None,
    associated_inputs: str | None = None,
) -> dict[str, Any]:
    """A Universal Action, with an Action.Submit fallback carrying the same verb and data."""
    payload = dict(data or {})
    action: dict[str, Any] = {"type": "Action.Execute", "title": title, "verb": verb, "data": payload}
    fallback: dict[str, Any] = {"type": "Action.Submit", "title": title, "data": {**payload, "verb": verb}}
    if style:
        action["style"] = fallback["style"] = style
    if associated_inputs:
        action["associatedInputs"] = fallback["associatedInputs"] = associated_inputs
    action["fallback"] = fallback
    return action


def open_url(title: str, url: str) -> dict[str, Any]:
    return {"type": "Action.OpenUrl", "title": title, "url": url}


def text_input(
    input_id: str,
    label: str,
    *,
    value: str | None = None,
    placeholder: str | None = None,
    multiline: bool = False,
    max_length: int | None = None,
    required: bool = False,
    error_message: str | None = None,
) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "Input.Text", "id": input_id, "label": label, "isMultiline": multiline}
    if value:
        block["value"] = value
    if placeholder:
        block["placeholder"] = placeholder
    if max_length:
        block["maxLength"] = max_length
    if required:
        block["isRequired"] = True
        block["errorMessage"] = error_message or f"{label} is required"
    return block


def date_input(
    input_id: str, label: str, *, value: date | None = None, min_date: date | None = None, required: bool = False
) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "Input.Date", "id": input_id, "label": label}
    if value:
        block["value"] = value.isoformat()
    if min_date:
        block["min"] = min_date.isoformat()  # a hint only: Teams does not enforce it, the server does
    if required:
        block["isRequired"] = True
        block["errorMessage"] = f"{label} is required"
    return block


def choice_input(
    input_id: str,
    label: str,
    choices: Sequence[tuple[str, str]],
    *,
    value: str | None = None,
    style: str = "compact",
    placeholder: str | None = None,
    required: bool = False,
    multi: bool = False,
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "Input.ChoiceSet",
        "id": input_id,
        "label": label,
        "style": style,
        "choices": [{"title": t, "value": v} for t, v in choices],
    }
    if value:
        block["value"] = value
    if placeholder:
        block["placeholder"] = placeholder
    if multi:
        block["isMultiSelect"] = True
    if required:
        block["isRequired"] = True
        block["errorMessage"] = f"{label} is required"
    return block


# A table on a phone's card (the narrowest Teams draws, about 320 px of content): a bold header
# character is about 8 px, a cell's padding about 12. Columns are given at least their header's
# longest word, so "Outstanding" never breaks into "Outsta nding".
NARROW_CARD_PX, HEADER_CHAR_PX, CELL_PADDING_PX = 320, 8, 12


def header_need(header: Any) -> int:
    """The pixels a column needs for its header's longest word on one line."""
    longest = max((len(word) for word in str(header).split()), default=1)
    return longest * HEADER_CHAR_PX + CELL_PADDING_PX


def column_weights(header: Sequence[Any], widths: Sequence[int] | None = None) -> list[int]:
    """Relative widths: each column its header's need at the narrowest card, and what is left shared
    in the proportion of ``widths`` (wider cards scale it all up)."""
    widths = widths or [1] * len(header)
    needs = [header_need(h) for h in header]
    spare = max(0, NARROW_CARD_PX - sum(needs))
    return [need + spare * w // sum(widths) for need, w in zip(needs, widths)]


def table(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, widths: Sequence[int] | None = None
) -> dict[str, Any]:
    """An Adaptive Card 1.5 Table (also the fallback for Teams chart elements)."""

    def row(cells: Sequence[Any], bold: bool = False) -> dict[str, Any]:
        return {
            "type": "TableRow",
            "cells": [
                {"type": "TableCell", "items": [text(escape_markdown(c), weight="Bolder" if bold else None)]}
                for c in cells
            ],
        }

    return {
        "type": "Table",
        "columns": [{"width": w} for w in column_weights(header, widths)],
        "firstRowAsHeader": True,
        "rows": [row(header, True)] + [row(r) for r in rows],
    }


def message(title: str, body: str, actions: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """A small card with a heading and a sentence: confirmations, refusals, errors."""
    return adaptive_card([heading(title), text(body)], actions)


def fmt_date(d: date | None) -> str:
    return d.strftime("%d %b %Y") if d else "—"


def plain(value: Any, limit: int | None = None) -> str:
    """Someone's text inside a TextBlock or message: shortened if asked, then Markdown-escaped, so a
    typed '[Approve here](https://...)' shows as those characters and never as a live link.
    Use it for every value that came from a person or a workbook (notes, titles, refs, names, reasons)."""
    if value is None:
        return ""
    return escape_markdown(shorten(str(value), limit) if limit else str(value))


def shorten(value: str | None, limit: int = 80) -> str:
    value = " ".join((value or "").split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"
