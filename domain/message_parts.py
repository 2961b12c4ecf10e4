"""The rows inside outbox messages (domain/messages.py): an item of a request, a non-responder of a
digest, an action of a nudge, a decision of an outcome, a group of a weekly digest. Each reads its JSON with defaults, like the
messages, so rows queued by earlier versions still decode."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Generic, Mapping, TypeVar

__all__ = [
    "Json",
    "RequestItem",
    "NonResponder",
    "NudgeItem",
    "DecisionLine",
    "Capped",
    "WeekAction",
    "WeekDecision",
    "WeekGroup",
    "opt_str",
    "opt_int",
    "json_list",
]

Json = dict[str, Any]


def opt_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return None if value is None else str(value)


def opt_int(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    return None if value is None else int(value)


def json_list(data: Mapping[str, Any], key: str) -> list[Any]:
    """A JSON list field; a missing one (or null) is empty, anything else is a damaged payload."""
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise TypeError(f"{key} is not a list")
    return value


@dataclass(frozen=True)
class RequestItem:
    """One item of an update request or reminder (store/cycles/scope.py ScopeItem)."""

    ref: str
    title: str | None = None
    kind: str = "action"  # action | inspection: which update flow its button opens
    source: str | None = None
    group: str | None = None
    due: str | None = None  # ISO dates
    effective_due: str | None = None
    status: str = ""
    overdue_days: int = 0

    def to_json(self) -> Json:
        return {
            "kind": self.kind,
            "ref": self.ref,
            "title": self.title,
            "source": self.source,
            "group": self.group,
            "due": self.due,
            "effective_due": self.effective_due,
            "status": self.status,
            "overdue_days": self.overdue_days,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RequestItem:
        return cls(
            ref=str(data["ref"]),
            title=opt_str(data, "title"),
            kind=str(data.get("kind") or "action"),
            source=opt_str(data, "source"),
            group=opt_str(data, "group"),
            due=opt_str(data, "due"),
            effective_due=opt_str(data, "effective_due"),
            status=str(data.get("status") or ""),
            overdue_days=int(data.get("overdue_days") or 0),
        )


@dataclass(frozen=True)
class NonResponder:
    """An owner who has not updated every item yet (a digest's row; `request`: their request's state)."""

    name: str
    items: int
    request: str

    def to_json(self) -> Json:
        return {"name": self.name, "items": self.items, "request": self.request}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> NonResponder:
        return cls(str(data["name"]), int(data.get("items") or 0), str(data.get("request") or "none"))


@dataclass(frozen=True)
class NudgeItem:
    """A monitored action coming due: `days_before` 0 (due today) or 14."""

    ref: str
    title: str | None
    due: str
    days_before: int

    def to_json(self) -> Json:
        return {"ref": self.ref, "title": self.title, "due": self.due, "days_before": self.days_before}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> NudgeItem:
        return cls(str(data["ref"]), opt_str(data, "title"), str(data["due"]), int(data.get("days_before") or 0))


@dataclass(frozen=True)
class DecisionLine:
    """One decision told to an owner: a revised date or a closure, accepted or not, and why."""

    kind: str  # revised | closure
    ref: str
    title: str | None
    accepted: bool
    date: str | None = None  # the revised date, or the day it closed
    reason: str | None = None

    def to_json(self) -> Json:
        return {
            "kind": self.kind,
            "ref": self.ref,
            "title": self.title,
            "accepted": self.accepted,
            "date": self.date,
            "reason": self.reason,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DecisionLine:
        return cls(
            str(data["kind"]),
            str(data["ref"]),
            opt_str(data, "title"),
            bool(data["accepted"]),
            opt_str(data, "date"),
            opt_str(data, "reason"),
        )


T = TypeVar("T")


@dataclass(frozen=True)
class Capped(Generic[T]):
    """A weekly digest's list: the first lines, and how many more were left out."""

    lines: tuple[T, ...] = ()
    more: int = 0


@dataclass(frozen=True)
class WeekAction:
    """An action in a weekly digest: newly overdue, or orphaned (its owner has left)."""

    ref: str
    title: str | None
    owner: str
    due: str

    def to_json(self) -> Json:
        return {"ref": self.ref, "title": self.title, "owner": self.owner, "due": self.due}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WeekAction:
        return cls(str(data["ref"]), opt_str(data, "title"), str(data.get("owner") or ""), str(data["due"]))


@dataclass(frozen=True)
class WeekDecision:
    """A decision of the week: a revised date accepted or rejected, or an action closed."""

    ref: str
    decision: str  # accepted | rejected | closed
    date: str

    def to_json(self) -> Json:
        return {"ref": self.ref, "decision": self.decision, "date": self.date}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WeekDecision:
        return cls(str(data["ref"]), str(data["decision"]), str(data["date"]))


def _capped_json(capped: Capped[T], line: Callable[[T], Json]) -> Json:
    return {"lines": [line(x) for x in capped.lines], "more": capped.more}


def _capped(data: Mapping[str, Any], key: str, line: Callable[[Mapping[str, Any]], T]) -> Capped[T]:
    block = data.get(key) or {}  # a list older rows lack reads as empty
    return Capped(tuple(line(x) for x in json_list(block, "lines")), int(block.get("more") or 0))


@dataclass(frozen=True)
class WeekGroup:
    """One group of a weekly digest (store/cycles/schedule_jobs.py `_group_week`)."""

    group: str
    non_responders: Capped[str]  # names; listed only while a cycle is open
    newly_overdue: Capped[WeekAction]
    decisions: Capped[WeekDecision]
    orphaned: Capped[WeekAction]

    def to_json(self) -> Json:
        return {
            "group": self.group,
            "non_responders": _capped_json(self.non_responders, lambda name: {"name": name}),
            "newly_overdue": _capped_json(self.newly_overdue, WeekAction.to_json),
            "decisions": _capped_json(self.decisions, WeekDecision.to_json),
            "orphaned": _capped_json(self.orphaned, WeekAction.to_json),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WeekGroup:
        return cls(
            group=str(data["group"]),
            non_responders=_capped(data, "non_responders", lambda x: str(x["name"])),
            newly_overdue=_capped(data, "newly_overdue", WeekAction.from_json),
            decisions=_capped(data, "decisions", WeekDecision.from_json),
            orphaned=_capped(data, "orphaned", WeekAction.from_json),
        )
