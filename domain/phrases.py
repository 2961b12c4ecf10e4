"""Two small rules of English every user-facing sentence follows, written once.

- ``first_upper``: a sentence starts with a capital, and every other letter keeps its own case, so
  names keep their capitals ("HMICFRS recommendations", "in Met Operations"); ``str.capitalize``
  lowers the rest of the string and broke both.
- ``plural`` / ``count_of``: "1 proposal", "2 proposals", "No new DARA actions".
"""

from __future__ import annotations

__all__ = ["first_upper", "plural", "count_of"]


def first_upper(text: str) -> str:
    """``text`` with its first character upper-cased and the rest as written."""
    return text[:1].upper() + text[1:]


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """The word for ``count`` things: ``singular`` for exactly one, else the plural (default: + 's')."""
    return singular if count == 1 else (plural_form or singular + "s")


def count_of(count: int, singular: str, plural_form: str | None = None, *, zero: str | None = None) -> str:
    """'1 action', '3 actions'; with ``zero`` (e.g. 'No'), 'No actions' instead of '0 actions'."""
    number = zero if (count == 0 and zero is not None) else str(count)
    return f"{number} {plural(count, singular, plural_form)}"
