"""Sheet and column definitions of the workbook, with the parser for every cell type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable

from domain.calendar import YearsNotConsecutive, fy_label, parse_fy_label, received_label
from domain.import_problems import CellError, ImportCode
from domain.text import LIMITS, clean
from domain.words import (
    ACTION_STATUSES,
    ASSURANCES,
    AUDIT_KINDS,
    INSPECTION_KINDS,
    INSPECTION_SCOPES,
    INSPECTION_STATUSES,
    RISKS,
    ROLES,
)

__all__ = ["Column", "SHEETS", "KEYS", "normalise_name"]

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_name(name: Any) -> str:
    return str(name or "").strip().lower()


def _text(value: Any) -> str:
    """Cleaned by the one rule (domain.text): Word's vertical tabs and stray NULs never reach the store."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a ref typed as a number in Excel
    text = clean(value).strip()
    if len(text) > LIMITS["workbook_text"]:
        raise CellError(ImportCode.TOO_LONG, count=len(text), limit=LIMITS["workbook_text"])
    return text


def _email(value: Any) -> str:
    text = _text(value).lower()
    if not _EMAIL_RE.match(text):
        raise CellError(ImportCode.NOT_AN_EMAIL, value=text)
    return text


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CellError(ImportCode.NOT_A_DATE, value=text) from None


def _enum(values: tuple[str, ...]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = " ".join(_text(value).lower().split())
        if text not in values:
            raise CellError(ImportCode.NOT_A_CHOICE, value=_text(value), choices=values)
        return text

    return parse


def _received(value: Any) -> str:
    """A quarter, or only a financial year for an audit whose quarter was never recorded."""
    text = _text(value)
    try:
        return received_label(text)
    except YearsNotConsecutive as exc:
        raise CellError(ImportCode.YEARS_NOT_CONSECUTIVE, value=exc.written, choices=(exc.expected,)) from None
    except ValueError:
        raise CellError(ImportCode.NOT_A_QUARTER, value=text) from None


def _fy(value: Any) -> str:
    text = _text(value)
    try:
        return fy_label(parse_fy_label(text))
    except YearsNotConsecutive as exc:
        raise CellError(ImportCode.YEARS_NOT_CONSECUTIVE, value=exc.written, choices=(exc.expected,)) from None
    except ValueError:
        raise CellError(ImportCode.NOT_A_FINANCIAL_YEAR, value=text) from None


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in ("yes", "y", "true", "1"):
        return True
    if text in ("no", "n", "false", "0", ""):
        return False
    raise CellError(ImportCode.NOT_YES_NO, value=_text(value))


def _active(value: Any) -> bool:
    """The People sheet's `active`: yes while the person is here, no once they have left."""
    text = _text(value).lower() if not isinstance(value, bool) else ""
    if text in ("left", "inactive"):
        return False
    if text == "active":
        return True
    try:
        return _yes_no(value) if text or isinstance(value, bool) else True
    except CellError:
        raise CellError(ImportCode.NOT_ACTIVE_OR_LEFT, value=_text(value)) from None


def _roles(value: Any) -> tuple[str, ...]:
    names = [r.strip().lower().replace(" ", "_") for r in _text(value).split(",") if r.strip()]
    unknown = [n for n in names if n not in ROLES]
    if unknown:
        raise CellError(ImportCode.UNKNOWN_ROLES, choices=tuple(unknown), allowed=tuple(ROLES))
    return tuple(sorted(set(names))) or ("owner",)


def _groups(value: Any) -> tuple[str, ...]:
    """A person's business group; a leader of several groups lists them separated by ';'."""
    return tuple(g.strip() for g in _text(value).split(";") if g.strip())


def _emails(value: Any) -> tuple[str, ...]:
    return tuple(sorted({_email(e) for e in re.split(r"[;,]", _text(value)) if e.strip()}))


def _link(value: Any) -> str:
    text = _text(value)
    if not re.match(r"^https?://\S+$", text):
        raise CellError(ImportCode.NOT_A_LINK, value=text)
    return text


def _whole(value: Any) -> int:
    """A count: a whole number, not below zero."""
    if isinstance(value, bool):
        raise CellError(ImportCode.NOT_A_COUNT, value=str(value))
    if isinstance(value, (int, float)) and float(value).is_integer() and value >= 0:
        return int(value)
    text = _text(value)
    if text.isdigit():
        return int(text)
    raise CellError(ImportCode.NOT_A_COUNT, value=text)


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    parse: Callable[[Any], Any] = _text


SHEETS: dict[str, tuple[Column, ...]] = {
    "people": (
        Column("email", True, _email),
        Column("name", True),
        Column("business_group", False, _groups),
        Column("roles", False, _roles),
        Column("aad_object_id"),
        Column("delegates", False, _emails),
        Column("active", False, _active),
    ),
    "audits": (
        Column("audit_id", True),
        Column("title", True),
        Column("received", True, _received),
        Column("kind", True, _enum(AUDIT_KINDS)),
        Column("assurance", True, _enum(ASSURANCES)),
        Column("restricted", False, _yes_no),
        Column("follows"),
    ),
    "actions": (
        Column("ref", True),
        Column("audit_id", True),
        Column("description", True),
        Column("risk", True, _enum(RISKS)),
        Column("business_group", True),
        Column("owner_email", True, _email),
        Column("due_date", True, _date),
        Column("revised_due_date", False, _date),
        Column("status", True, _enum(ACTION_STATUSES)),
        Column("delay_reason"),
        Column("key_theme"),
        Column("implemented_on", False, _date),
        Column("closed_on", False, _date),
        Column("last_update_on", False, _date),
        Column("last_update_note"),
        Column("evidence_note"),
        Column("evidence_link", False, _link),
    ),
    "inspections": (
        Column("ref", True),
        Column("inspection", True),
        Column("inspection_year", True, _fy),
        Column("scope", True, _enum(INSPECTION_SCOPES)),
        Column("kind", True, _enum(INSPECTION_KINDS)),
        Column("theme"),
        Column("business_group"),
        Column("owner_email", False, _email),
        Column("due_date", False, _date),
        Column("status", True, _enum(INSPECTION_STATUSES)),
        Column("progress_note"),
        Column("evidence_note"),
        Column("evidence_link", False, _link),
        Column("last_update_on", False, _date),
        Column("submitted_on", False, _date),
        Column("closed_on", False, _date),
    ),
    "portal": (
        Column("as_of", True, _date),
        Column("theme", True),
        Column("recommendations", True, _whole),
        Column("afis", False, _whole),
    ),
    "lists": (Column("list", True, _enum(("business_group", "delay_reason"))), Column("value", True)),
}

# The column that identifies a row on re-import.
KEYS = {"people": "email", "audits": "audit_id", "actions": "ref", "inspections": "ref"}
