"""Free text from people, cleaned by ONE rule before it is stored, exported or shown.

Text pasted from Word carries vertical tabs and form feeds, other tools NULs; PostgreSQL refuses a
NUL outright and openpyxl refuses every C0 control except tab/newline/carriage return, so one such
note would break every export for ever (history is append-only). Bidi override characters make
text (and links) display in a different order from the one stored, which hides what a link points
to. So: controls other than newline and tab go, bidi controls go, CR LF becomes LF.

Length caps (characters, after cleaning). Over the cap is refused with a message that says so,
never cut silently -- except what is typed to the bot, which is refused before it is read: a message
over MAX_MESSAGE (bot/handler.py), a question over MAX_QUESTION (bot/features/basics.py).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

__all__ = [
    "clean",
    "clean_or_none",
    "too_long",
    "TextTooLong",
    "checked",
    "LIMITS",
    "MAX_MESSAGE",
    "MAX_QUESTION",
    "MAX_LINE",
    "escape_markdown",
    "safe_link",
    "date_window",
    "outside_window",
    "IMPORT_EARLIEST",
    "WINDOW_YEARS",
]

# Per field, in characters. A note is a paragraph or two; a reason a sentence or three.
_NOTE = 2000
LIMITS: dict[str, int] = {
    "progress_note": _NOTE,
    "evidence_note": _NOTE,
    "evidence_link": 1000,
    "decision_reason": 1000,
    "cycle_message": 1000,
    # Anything typed to the bot. The longest thing it reads from a message is the evidence note the
    # update dialog asks for, so a message may be as long as a note and no longer.
    "message": _NOTE,
    "question": 500,  # a question is a line; parsing costs more the longer it is
    "workbook_text": 4000,  # descriptions and notes imported from the tracker workbook
}
MAX_MESSAGE = LIMITS["message"]
MAX_QUESTION = LIMITS["question"]
MAX_LINE = 300  # one-line values (names, refs, themes) typed into cards

# C0 controls except \t (09) and \n (0A); DEL; C1 controls.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# Bidi embeddings/overrides/isolates and marks (LRE..RLO, LRI..PDI, LRM, RLM, ALM).
_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_UNWANTED = re.compile(f"[{_CONTROLS}{_BIDI}]")


def clean(value: Any) -> str:
    """The cleaning rule: CR LF / CR -> LF, then controls (but newline and tab) and bidi controls removed."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _UNWANTED.sub("", text)


def clean_or_none(value: Any) -> str | None:
    """For stored optional text: cleaned, and None stays None (used by exports and the migration)."""
    return None if value is None else clean(value)


def too_long(value: str, limit: int) -> str | None:
    """The message for text over its cap, or None when it fits."""
    if len(value) <= limit:
        return None
    return f"Too long: {len(value):,} characters. Please keep it to {limit:,}."


class TextTooLong(ValueError):
    """A free-text value over its cap; the message says how long it is and what the cap is."""


def checked(value: Any, field: str) -> str:
    """Cleaned and trimmed text for ``field`` (a key of LIMITS); TextTooLong when over its cap."""
    text = clean(value).strip()
    problem = too_long(text, LIMITS[field])
    if problem:
        raise TextTooLong(problem)
    return text


# -- showing user text in cards ------------------------------------------------------------------
# Adaptive Card TextBlocks and FactSet values render a Markdown subset (bold, italic, lists, links).
# A backslash before ASCII punctuation is a literal in CommonMark, which the renderers follow.
# Brackets and angle brackets make links; * and _ emphasis; a backtick code. Parentheses, dots and
# dashes inside a line are harmless and left alone so ordinary titles read as typed.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_MD_LINE_START = re.compile(r"(?m)^(\s*)(#+|[-+]|\d+[.)])(?=\s)")


def escape_markdown(value: Any) -> str:
    """User text shown as text: no links, emphasis, headings or lists made from what someone typed."""
    text = _MD_SPECIAL.sub(r"\\\1", clean(value))
    return _MD_LINE_START.sub(_escape_marker, text)


def _escape_marker(m: re.Match[str]) -> str:
    marker = m.group(2)  # '1.' -> '1\.' (CommonMark escapes the delimiter); '-' / '#' -> '\-' / '\#'
    return m.group(1) + (marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker)


def safe_link(value: Any) -> str | None:
    """The URL if it may be a link on a card: https only, no spaces, no control or bidi characters."""
    if not isinstance(value, str):
        return None
    raw = value.strip()
    if not raw.lower().startswith("https://") or len(raw) > LIMITS["evidence_link"]:
        return None
    if _UNWANTED.search(raw) or any(c.isspace() for c in raw) or len(raw) <= len("https://"):
        return None
    return raw


# -- dates typed or imported -----------------------------------------------------------------------
WINDOW_YEARS = 10
IMPORT_EARLIEST = date(2000, 1, 1)


def _years_after(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def date_window(today: date) -> date:
    """The latest date anyone may give: ten years from today (later is a typing error: 9999-12-31)."""
    return _years_after(today, WINDOW_YEARS)


def outside_window(d: date, *, earliest: date, today: date) -> bool:
    return d < earliest or d > date_window(today)
