"""What the message fuzzer checks after each activity: the database invariants (clean text, dates
within the ten-year bound, append-only history, untouched lists) and no internals shown to a user."""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import inspect, text

from store.db.engine import make_engine
from tests.conftest import NOW
from tests.fakes.live_bot import card_text

TODAY = NOW.date()
LATEST_DATE = TODAY.replace(year=TODAY.year + 10) + timedelta(days=1)

# Tables no activity may change: the lists and structure the tracker is imported with.
UNTOUCHED = ("business_groups", "delay_reasons", "person_roles", "group_leads", "delegations", "audits")
# Where raw identifiers from the wire are kept as the wire sent them (a reference to reply to).
NOT_USER_TEXT = {"conversation_refs"}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# What a traceback or a leaked exception looks like in text shown to a user.
LEAKS = re.compile(
    r"Traceback|File \"|\b[A-Z][A-Za-z]+(Error|Exception)\b|sqlalchemy|psycopg|Sorry, something went wrong"
)


def _bad_text(value: str) -> str | None:
    for ch in value:
        if ch in "\n\t":
            continue
        if unicodedata.category(ch) == "Cc":
            return f"control character {ch!r}"
    if BIDI.search(value):
        return "bidi override character"
    return None


class Snapshot:
    """What the database looked like; compared after every activity."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.tables = inspect(self.engine).get_table_names()
        self.untouched = self._untouched()
        self.history = self._history()

    def _rows(self, table: str) -> list[tuple]:
        with self.engine.connect() as c:
            return [tuple(r) for r in c.execute(text(f"select * from {table}"))]  # noqa: S608 - reflected names

    def _untouched(self) -> dict[str, str]:
        return {
            t: hashlib.sha256(repr(sorted(map(repr, self._rows(t)))).encode()).hexdigest()
            for t in UNTOUCHED
            if t in self.tables
        }

    def _history(self) -> dict[Any, tuple]:
        with self.engine.connect() as c:
            return {r[0]: tuple(r) for r in c.execute(text("select * from history order by id"))}

    def check(self) -> None:
        assert self._untouched() == self.untouched, "a table no activity may touch was changed"
        history = self._history()
        changed = [k for k, row in self.history.items() if history.get(k) != row]
        assert not changed, f"history rows changed or removed: {changed[:5]}"
        self.history = history
        for table in self.tables:
            if table in NOT_USER_TEXT:
                continue
            for row in self._rows(table):
                for value in row:
                    if isinstance(value, str):
                        if problem := _bad_text(value):
                            raise AssertionError(f"{table} stores a {problem}: {value[:120]!r}")
                        if ISO_DATE.fullmatch(value):  # SQLite hands dates back as text
                            value = date.fromisoformat(value)
                    if isinstance(value, date) and not isinstance(value, datetime):
                        assert date(2000, 1, 1) <= value <= LATEST_DATE, f"{table} stores the date {value}"
                    assert not (isinstance(value, float) and not math.isfinite(value)), f"{table} stores {value}"


def shown(reply: Any) -> str:
    parts = [reply.body if isinstance(reply.body, str) else json.dumps(reply.body)]
    for activity in reply.activities:
        parts.append(activity.get("text") or "")
        for att in activity.get("attachments") or []:
            parts.append(card_text(att.get("content") or {}))
    return "\n".join(parts)
