"""An update cycle's scope, and why a cycle cannot be opened, closed or followed as asked.

Plain data and codes: the store decides (store/cycles/), the cards and the command line word
them (cards/cycle_wording.py, one wording for both). Scopes: every outstanding monitored action;
one business group's; the overdue ones; the ones due within N days; each may add the open
HMICFRS items.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Mapping

__all__ = [
    "SCOPE_KINDS",
    "MAX_DAYS",
    "CycleScope",
    "CycleProblem",
    "CycleError",
    "ScopeError",
    "UNKNOWN_SCOPE_TEXT",
    "UNKNOWN_SCOPE_KIND",
    "UNKNOWN_GROUP",
    "BAD_DAYS",
    "NO_CYCLE_YET",
    "NO_SUCH_CYCLE",
    "DEADLINE_PASSED",
    "ALREADY_OPEN",
    "MESSAGE_TOO_LONG",
    "NOTHING_IN_SCOPE",
    "NONE_OPEN_TO_CLOSE",
    "NOT_OPEN",
    "NONE_OPEN_TO_REMIND",
    "NOT_PERMITTED",
    "NOT_YOUR_GROUP",
]

SCOPE_KINDS = ("all", "group", "overdue", "due_within")
MAX_DAYS = 730

# CycleProblem.code values, and the facts each one carries
UNKNOWN_SCOPE_TEXT = "unknown_scope_text"  # given: the command line's scope text
UNKNOWN_SCOPE_KIND = "unknown_scope_kind"  # given: the scope kind
UNKNOWN_GROUP = "unknown_group"  # given: the group named, choices: the business groups there are
BAD_DAYS = "bad_days"  # limit: the most days 'due within' takes
NO_CYCLE_YET = "no_cycle_yet"
NO_SUCH_CYCLE = "no_such_cycle"  # cycle_id
DEADLINE_PASSED = "deadline_passed"  # deadline
ALREADY_OPEN = "already_open"  # cycle_id, deadline: the cycle still open
MESSAGE_TOO_LONG = "message_too_long"  # count: characters given, limit
NOTHING_IN_SCOPE = "nothing_in_scope"  # scope, as_of
NONE_OPEN_TO_CLOSE = "none_open_to_close"
NOT_OPEN = "not_open"  # cycle_id
NONE_OPEN_TO_REMIND = "none_open_to_remind"
NOT_PERMITTED = "not_permitted"  # the viewer may not run update cycles (domain/permissions.py)
NOT_YOUR_GROUP = "not_your_group"  # given: the group named, choices: the groups the viewer leads


@dataclass(frozen=True)
class CycleScope:
    kind: str = "all"
    group: str | None = None
    days: int | None = None
    include_hmicfrs: bool = False

    @classmethod
    def parse(cls, text: str, *, include_hmicfrs: bool = False) -> "CycleScope":
        """'all' | 'group:NAME' | 'overdue' | 'due-within:DAYS' (the command line's form)."""
        raw = (text or "").strip()
        kind, _, arg = raw.partition(":")
        kind = kind.strip().lower().replace("-", "_").replace(" ", "_")
        if kind == "all" and not arg:
            return cls("all", include_hmicfrs=include_hmicfrs)
        if kind == "overdue" and not arg:
            return cls("overdue", include_hmicfrs=include_hmicfrs)
        if kind == "group" and arg.strip():
            return cls("group", group=arg.strip(), include_hmicfrs=include_hmicfrs)
        if kind == "due_within" and re.fullmatch(r"\s*\d{1,4}\s*", arg):
            return cls("due_within", days=int(arg), include_hmicfrs=include_hmicfrs)
        raise ScopeError(CycleProblem(UNKNOWN_SCOPE_TEXT, given=raw))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "CycleScope":
        return cls(
            kind=data.get("kind", "all"),
            group=data.get("group"),
            days=data.get("days"),
            include_hmicfrs=bool(data.get("include_hmicfrs")),
        )

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CycleProblem:
    """Why not, as a code above and the facts its words need."""

    code: str
    cycle_id: int | None = None
    deadline: date | None = None
    given: str | None = None
    choices: tuple[str, ...] = ()
    count: int | None = None
    limit: int | None = None
    scope: CycleScope | None = None
    as_of: date | None = None


class CycleError(ValueError):
    """A cycle cannot be opened, closed or followed as asked; `problem` says why (str(): its code)."""

    def __init__(self, problem: CycleProblem) -> None:
        super().__init__(problem.code)
        self.problem = problem


class ScopeError(CycleError):
    """The scope cannot be used as given."""
