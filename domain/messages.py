"""What the outbox carries: one frozen dataclass per message kind, and the one codec for them.

The store writes a message's JSON into `outbox_messages.payload` when it is queued; the sender
reads it back when the message is due and the cards build from the dataclass. Both sides go
through `encode` and `decode` here, so each key is spelled once (here, or in its row type in
domain/message_parts.py). Rows queued by earlier versions (the same keys, written as dicts)
decode unchanged: `from_json` reads with defaults and ignores keys it does not know, so an old
row, or one a newer version wrote, never stops a send.

A new kind: a dataclass here with `kind`, `to_json` and `from_json`, listed in `KINDS`; its card
in cards/outbox.py; the store function that queues it (docs/architecture.md, "The outbox").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar, Mapping, Union

from domain.message_parts import (
    DecisionLine,
    Json,
    NonResponder,
    NudgeItem,
    RequestItem,
    WeekGroup,
    json_list,
    opt_int,
    opt_str,
)

__all__ = [
    "RequestItem",
    "NonResponder",
    "NudgeItem",
    "DecisionLine",
    "Request",
    "Reminder",
    "Digest",
    "Outcome",
    "Progress",
    "Nudge",
    "Weekly",
    "Message",
    "KINDS",
    "UnknownKind",
    "BadPayload",
    "encode",
    "decode",
    "covered",
]


def _with_cover(json: Json, cover_for: str | None) -> Json:
    # Written only when set: the rows of people without a cover keep exactly their old shape.
    return {**json, "cover_for": cover_for} if cover_for else json


@dataclass(frozen=True)
class Request:
    """An owner's one card for an update cycle (store/cycles/lifecycle.py, store/people/reassign.py)."""

    kind: ClassVar[str] = "request"
    owner: str
    deadline: str | None
    items: tuple[RequestItem, ...]
    cycle_id: int | None = None
    message: str | None = None  # the opener's words
    opened_by: str | None = None
    cover_for: str | None = None  # the owner's name, when their cover receives it

    def to_json(self) -> Json:
        json = {
            "cycle_id": self.cycle_id,
            "deadline": self.deadline,
            "message": self.message,
            "owner": self.owner,
            "opened_by": self.opened_by,
            "items": [i.to_json() for i in self.items],
        }
        return _with_cover(json, self.cover_for)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Request:
        return cls(
            owner=str(data.get("owner") or ""),
            deadline=opt_str(data, "deadline"),
            items=tuple(RequestItem.from_json(i) for i in json_list(data, "items")),
            cycle_id=opt_int(data, "cycle_id"),
            message=opt_str(data, "message"),
            opened_by=opt_str(data, "opened_by"),
            cover_for=opt_str(data, "cover_for"),
        )


@dataclass(frozen=True)
class Reminder:
    """The items of a delivered request still not updated (store/cycles/reminders.py)."""

    kind: ClassVar[str] = "reminder"
    owner: str
    deadline: str | None
    items: tuple[RequestItem, ...]
    cycle_id: int | None = None
    request_sent_on: str | None = None
    cover_for: str | None = None

    def to_json(self) -> Json:
        json = {
            "cycle_id": self.cycle_id,
            "deadline": self.deadline,
            "owner": self.owner,
            "items": [i.to_json() for i in self.items],
            "request_sent_on": self.request_sent_on,
        }
        return _with_cover(json, self.cover_for)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reminder:
        return cls(
            owner=str(data.get("owner") or ""),
            deadline=opt_str(data, "deadline"),
            items=tuple(RequestItem.from_json(i) for i in json_list(data, "items")),
            cycle_id=opt_int(data, "cycle_id"),
            request_sent_on=opt_str(data, "request_sent_on"),
            cover_for=opt_str(data, "cover_for"),
        )


@dataclass(frozen=True)
class Digest:
    """To a group's SPOC or chief officer: who in the group has not responded (store/cycles/reminders.py)."""

    kind: ClassVar[str] = "digest"
    group: str
    recipient: str
    non_responders: tuple[NonResponder, ...]
    asked: int = 0
    responded: int = 0
    pct: int | None = None  # None: nothing asked
    role: str | None = None
    cycle_id: int | None = None
    deadline: str | None = None
    cover_for: str | None = None

    def to_json(self) -> Json:
        json = {
            "cycle_id": self.cycle_id,
            "deadline": self.deadline,
            "group": self.group,
            "recipient": self.recipient,
            "role": self.role,
            "asked": self.asked,
            "responded": self.responded,
            "pct": self.pct,
            "non_responders": [p.to_json() for p in self.non_responders],
        }
        return _with_cover(json, self.cover_for)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Digest:
        return cls(
            group=str(data["group"]),
            recipient=str(data.get("recipient") or ""),
            non_responders=tuple(NonResponder.from_json(p) for p in json_list(data, "non_responders")),
            asked=int(data.get("asked") or 0),
            responded=int(data.get("responded") or 0),
            pct=opt_int(data, "pct"),
            role=opt_str(data, "role"),
            cycle_id=opt_int(data, "cycle_id"),
            deadline=opt_str(data, "deadline"),
            cover_for=opt_str(data, "cover_for"),
        )


@dataclass(frozen=True)
class Outcome:
    """To an owner: what governance decided on their proposals (store/updates/decisions.py)."""

    kind: ClassVar[str] = "outcome"
    owner: str
    decided_by: str | None
    items: tuple[DecisionLine, ...]
    cover_for: str | None = None

    def to_json(self) -> Json:
        json = {"owner": self.owner, "decided_by": self.decided_by, "items": [i.to_json() for i in self.items]}
        return _with_cover(json, self.cover_for)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Outcome:
        return cls(
            owner=str(data.get("owner") or ""),
            decided_by=opt_str(data, "decided_by"),
            items=tuple(DecisionLine.from_json(i) for i in json_list(data, "items")),
            cover_for=opt_str(data, "cover_for"),
        )


@dataclass(frozen=True)
class Progress:
    """A cycle's progress card for its opener, posted by the sender (a cycle opened with `cycle
    start --by`). `status` is store/cycles/status.py's CycleStatus.as_json(): the same figures the
    "cycle status" card shows in Teams, kept as that JSON rather than typed twice."""

    kind: ClassVar[str] = "progress"
    status: Mapping[str, Any]

    def to_json(self) -> Json:
        return {"status": dict(self.status)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Progress:
        status = data["status"]
        if not isinstance(status, dict):
            raise TypeError("status is not an object")
        return cls(status)


@dataclass(frozen=True)
class Nudge:
    """An owner's monitored actions due in 14 days or today (store/cycles/schedule_jobs.py)."""

    kind: ClassVar[str] = "nudge"
    owner: str
    day: str
    items: tuple[NudgeItem, ...]
    cover_for: str | None = None

    def to_json(self) -> Json:
        json = {"owner": self.owner, "day": self.day, "items": [i.to_json() for i in self.items]}
        return _with_cover(json, self.cover_for)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Nudge:
        return cls(
            owner=str(data.get("owner") or ""),
            day=str(data.get("day") or ""),
            items=tuple(NudgeItem.from_json(i) for i in json_list(data, "items")),
            cover_for=opt_str(data, "cover_for"),
        )


@dataclass(frozen=True)
class Weekly:
    """A SPOC's or chief officer's week in the groups they lead (store/cycles/schedule_jobs.py)."""

    kind: ClassVar[str] = "weekly"
    recipient: str
    roles: tuple[str, ...]
    week_from: str
    day: str
    groups: tuple[WeekGroup, ...]
    cycle_id: int | None = None
    deadline: str | None = None
    cover_for: str | None = None

    def to_json(self) -> Json:
        json = {
            "recipient": self.recipient,
            "roles": list(self.roles),
            "week_from": self.week_from,
            "day": self.day,
            "cycle_id": self.cycle_id,
            "deadline": self.deadline,
            "groups": [g.to_json() for g in self.groups],
        }
        return _with_cover(json, self.cover_for)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Weekly:
        return cls(
            recipient=str(data.get("recipient") or ""),
            roles=tuple(str(r) for r in json_list(data, "roles")),
            week_from=str(data.get("week_from") or ""),
            day=str(data.get("day") or ""),
            groups=tuple(WeekGroup.from_json(g) for g in json_list(data, "groups")),
            cycle_id=opt_int(data, "cycle_id"),
            deadline=opt_str(data, "deadline"),
            cover_for=opt_str(data, "cover_for"),
        )


Message = Union[Request, Reminder, Digest, Outcome, Progress, Nudge, Weekly]
KINDS: dict[str, type[Message]] = {k.kind: k for k in (Request, Reminder, Digest, Outcome, Progress, Nudge, Weekly)}


class UnknownKind(ValueError):
    """A row whose kind no class here reads (a newer version queued it, or the row was damaged)."""


class BadPayload(ValueError):
    """A row of a known kind whose JSON lacks what the kind needs, or has the wrong types."""


def encode(message: Message) -> Json:
    """The JSON stored in the outbox row (its kind is `message.kind`)."""
    return message.to_json()


def decode(kind: str, payload: Mapping[str, Any] | None) -> Message:
    """The message an outbox row holds. UnknownKind or BadPayload, never another error."""
    cls = KINDS.get(kind)
    if cls is None:
        raise UnknownKind(f"no message kind {kind!r}")
    try:
        return cls.from_json(payload or {})
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise BadPayload(f"{kind} payload unreadable: {type(err).__name__}: {err}") from err


def covered(message: Message, owner: str) -> Message:
    """The message as sent to `owner`'s cover while they are away (the cards say whose it is)."""
    if isinstance(message, Progress):
        return message  # the opener's own card: never routed to a cover
    return replace(message, cover_for=owner)
