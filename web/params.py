"""The grid's query string read into a GridQuery, with a message that says what to fix for bad input.

    /api/tab/grid?group=Met%20Operations&status=open&risk=high&source=dara&overdue=1
                 &due_from=2026-01-01&due_to=2026-12-31&audit=DARA-2020-07&owner=12&q=vetting
                 &sort=due&dir=desc&page=0&page_size=25

``group``, ``status`` and ``risk`` may repeat. Unknown words are refused rather than ignored, so a
typing mistake never looks like an empty tracker.
"""

from __future__ import annotations

from datetime import date
from typing import Mapping, Sequence

from domain.words import ACTION_STATUSES, INSPECTION_STATUSES, RISKS
from store.queries.grid import DARA, HMICFRS, MAX_PAGE_SIZE, SORT_KEYS, GridQuery

__all__ = ["BadQuery", "grid_query"]

MAX_TEXT = 200
_STATUSES = tuple(dict.fromkeys(ACTION_STATUSES + INSPECTION_STATUSES))


class BadQuery(ValueError):
    """A query parameter the grid cannot use; the message names it and what it accepts."""


def _choices(values: Sequence[str], name: str, allowed: Sequence[str]) -> tuple[str, ...]:
    cleaned = tuple(dict.fromkeys(v.strip().lower() for v in values if v.strip()))
    wrong = [v for v in cleaned if v not in allowed]
    if wrong:
        raise BadQuery(f"{name} {wrong[0]!r} is not one of: {', '.join(allowed)}")
    return cleaned


def _date(raw: str | None, name: str) -> date | None:
    if not raw or not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise BadQuery(f"{name} must be a date as YYYY-MM-DD, not {raw.strip()[:20]!r}") from None


def _whole(raw: str | None, name: str, *, default: int, low: int, high: int) -> int:
    if raw is None or not raw.strip():
        return default
    text = raw.strip()
    if not text.isdigit() or not low <= int(text) <= high:
        raise BadQuery(f"{name} must be a whole number from {low} to {high}, not {text[:20]!r}")
    return int(text)


def grid_query(params: Mapping[str, str], many: Mapping[str, Sequence[str]]) -> GridQuery:
    """``params``: each name's first value; ``many``: every value of the repeatable names."""
    source = (params.get("source") or "").strip().lower() or None
    if source not in (None, DARA, HMICFRS):
        raise BadQuery(f"source must be {DARA} or {HMICFRS}, not {source!r}")
    sort = (params.get("sort") or "due").strip().lower()
    if sort not in SORT_KEYS:
        raise BadQuery(f"sort must be one of: {', '.join(SORT_KEYS)}")
    direction = (params.get("dir") or "asc").strip().lower()
    if direction not in ("asc", "desc"):
        raise BadQuery("dir must be asc or desc")
    overdue = (params.get("overdue") or "").strip().lower()
    if overdue not in ("", "0", "1", "true", "false"):
        raise BadQuery("overdue must be 1 (only overdue actions) or 0")
    text = (params.get("q") or "").strip()
    if len(text) > MAX_TEXT:
        raise BadQuery(f"the search text is longer than {MAX_TEXT} characters")
    due_from, due_to = _date(params.get("due_from"), "due_from"), _date(params.get("due_to"), "due_to")
    if due_from and due_to and due_from > due_to:
        raise BadQuery("due_from is after due_to")
    owner = params.get("owner")
    groups = tuple(dict.fromkeys(g.strip() for g in many.get("group", ()) if g.strip()))
    return GridQuery(
        groups=groups,
        statuses=_choices(many.get("status", ()), "status", _STATUSES),
        risks=_choices(many.get("risk", ()), "risk", RISKS),
        source=source,
        overdue=overdue in ("1", "true"),
        due_from=due_from,
        due_to=due_to,
        audit=(params.get("audit") or "").strip() or None,
        owner_id=_whole(owner, "owner", default=0, low=1, high=2**31 - 1) if owner and owner.strip() else None,
        text=text,
        sort=sort,
        descending=direction == "desc",
        page=_whole(params.get("page"), "page", default=0, low=0, high=1_000_000),
        page_size=_whole(params.get("page_size"), "page_size", default=25, low=1, high=MAX_PAGE_SIZE),
    )
