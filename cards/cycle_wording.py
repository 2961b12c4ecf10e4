"""The words for an update cycle's scope, for why a cycle cannot be opened, closed or followed, and
for why a message of the cycle was not delivered (`delivery_words`).

The store returns a CycleScope and CycleProblem codes (domain/cycles.py); Teams (bot/features/
cycles.py, the cycle cards) and the command line (cli/cycle.py) both say them with these
functions, so the two never drift. Lower case, no full stop: the command line prints them as
they are after "error: ", a card makes a sentence of them (`sentence`).
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Protocol

from domain import cycles as C
from domain import delivery as D
from domain.cycles import CycleProblem, CycleScope
from domain.phrases import count_of, plural

__all__ = ["scope_words", "problem_words", "sentence", "delivery_words", "remind_words", "Reminded"]


def scope_words(scope: CycleScope | Mapping[str, Any] | str) -> str:
    """'outstanding monitored actions in Met Operations and open HMICFRS items'. A str is already
    worded (a progress card queued before the store returned the scope as data): kept as it is."""
    if isinstance(scope, str):
        return scope
    if not isinstance(scope, CycleScope):
        scope = CycleScope.from_json(scope)
    base = {
        "all": "all outstanding monitored actions",
        "group": f"outstanding monitored actions in {scope.group}",
        "overdue": "overdue actions",
        "due_within": f"actions due within {scope.days} days",
    }.get(scope.kind, scope.kind)
    return base + (" and open HMICFRS items" if scope.include_hmicfrs else "")


def _iso(p: CycleProblem) -> str:
    return p.deadline.isoformat() if p.deadline else ""


_PROBLEMS: dict[str, Callable[[CycleProblem], str]] = {
    C.UNKNOWN_SCOPE_TEXT: lambda p: f"unknown scope {p.given!r}: use all, group:NAME, overdue or due-within:DAYS",
    C.UNKNOWN_SCOPE_KIND: lambda p: f"unknown scope {p.given!r}: use all, group, overdue or due within N days",
    C.UNKNOWN_GROUP: lambda p: f"unknown business group {p.given!r}: choose one of {', '.join(p.choices)}",
    C.BAD_DAYS: lambda p: f"'due within' needs a number of days from 1 to {p.limit}",
    C.NO_CYCLE_YET: lambda p: "no update cycle has been opened yet",
    C.NO_SUCH_CYCLE: lambda p: f"no update cycle {p.cycle_id}",
    C.DEADLINE_PASSED: lambda p: f"the deadline {_iso(p)} is in the past: choose today or a later date",
    C.ALREADY_OPEN: lambda p: (
        f"update cycle {p.cycle_id} (deadline {_iso(p)}) is still open: close it before opening another"
    ),
    C.MESSAGE_TOO_LONG: lambda p: f"the message is {p.count} characters: keep it to {p.limit}",
    C.NOTHING_IN_SCOPE: lambda p: (
        f"nothing to ask about: no {scope_words(p.scope or CycleScope())} as at "
        f"{p.as_of.isoformat() if p.as_of else ''}"
    ),
    C.NONE_OPEN_TO_CLOSE: lambda p: "there is no open update cycle to close",
    C.NOT_OPEN: lambda p: f"update cycle {p.cycle_id} is not open",
    C.NONE_OPEN_TO_REMIND: lambda p: "there is no open update cycle to send reminders for",
    C.NOT_PERMITTED: lambda p: (
        "only Strategy & Governance staff open update cycles, send their reminders and close them"
    ),
    C.NOT_YOUR_GROUP: lambda p: (
        f"you can nudge the owners of the groups you lead only ({', '.join(p.choices) or 'none'}), not {p.given!r}"
    ),
}


def problem_words(problem: CycleProblem) -> str:
    words = _PROBLEMS.get(problem.code)
    return words(problem) if words else problem.code.replace("_", " ")


def sentence(text: str) -> str:
    """'the deadline ... is in the past' -> 'The deadline ... is in the past.' (for a card)."""
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


_DELIVERY = {
    D.RECIPIENT_LEFT: "not sent: the recipient has left (marked inactive in the People sheet)",
    D.NOT_INSTALLED: "no personal conversation with the bot (not installed)",
    D.IN_DOUBT: "in doubt: the previous worker's lease expired before it recorded an outcome; sent again",
    D.CYCLE_CLOSED: "cancelled: the update cycle closed before this was sent",
    D.WITHDRAWN: "withdrawn: every item of this request was reassigned to another owner",
    D.UNKNOWN_KIND: "not sent: this version of the bot does not know this kind of message",
    D.UNREADABLE: "not sent: the stored message could not be read",
}


def delivery_words(recorded: str) -> str:
    """What an outbox message's `last_error` says, for "could not deliver to": our own codes
    (domain/delivery.py) in words; anything else as it was recorded (the connector's errors, and
    the sentences older versions stored before these codes)."""
    return _DELIVERY.get(recorded, recorded)


class Reminded(Protocol):
    """What a reminder run queued (store.cycles.reminders.RemindResult has these counts)."""

    @property
    def reminders(self) -> int: ...
    @property
    def digests(self) -> int: ...
    @property
    def requeued(self) -> int: ...
    @property
    def waiting_for_request(self) -> int: ...
    @property
    def unreachable(self) -> int: ...
    @property
    def already_reminded(self) -> int: ...


def remind_words(r: Reminded, *, digests: bool = True) -> str:
    """What reminding non-responders queued, in Teams' words (the bot's card and the tab say it).
    ``digests=False``: a SPOC's or chief officer's own nudge, which sends them no digest."""
    lines = [
        f"{count_of(r.reminders, 'reminder')} to owners and {count_of(r.digests, 'digest')} "
        "to SPOCs and chief officers are on their way."
        if digests
        else f"{count_of(r.reminders, 'reminder')} to owners {plural(r.reminders, 'is', 'are')} on the way."
    ]
    if r.requeued:
        lines.append(
            f"{count_of(r.requeued, 'owner')} who {plural(r.requeued, 'has', 'have')} installed the bot since "
            f"now {plural(r.requeued, 'gets', 'get')} the request itself."
        )
    if r.waiting_for_request:
        n = r.waiting_for_request
        whose = "1 owner's request is" if n == 1 else f"{n} owners' requests are"
        lines.append(f"{whose} still being sent, so they get no reminder yet.")
    if r.unreachable:
        lines.append(f"{count_of(r.unreachable, 'owner')} cannot be reached by the bot.")
    if r.already_reminded:
        lines.append(
            f"{count_of(r.already_reminded, 'owner')} {plural(r.already_reminded, 'was', 'were')} already reminded today."
        )
    return " ".join(lines)
