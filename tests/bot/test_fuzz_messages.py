"""Issue 10 point 8: generated activities against /api/messages of the real app, for a bounded time.

Hypothesis builds activities of every type with texts full of control and bidi characters, card data
of any shape (lists, strings, "inf", "1e30", 10**30, dates in year 9999), missing fields, real and
made-up refs, as the demo's users and as strangers. After each one:

* the HTTP status is never 500 (nor any 5xx: nothing here is the signing keys being unreachable);
* nothing the user is shown carries a traceback, an exception's name, or the failed-turn apology
  (a turn that failed was a crash, even when it was caught politely);
* no stored text breaks the input-cleaning rule (no control characters but newline and tab, no bidi
  overrides), no stored date lies past the ten-year bound, history is append-only (earlier rows
  unchanged), and the tables no activity may touch (groups, roles, audits, lists) are unchanged.

The run is bounded by FUZZ_EXAMPLES (default 30 on SQLite, 15 on PostgreSQL); set it higher to hunt locally.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, text

from tests.conftest import NOW
from store.db.engine import make_engine
from tests.fakes.bot_thread import BotThread
from tests.fakes.databases import fresh_database_url, pg_skip_reason
from tests.fakes.connector import make_activity
from tests.fakes.live_bot import DEMO_USERS, card_text

# No shrinking in the suite: a failure reports the example that failed, and the run stays bounded.
# Set HYPOTHESIS_SHRINK=1 locally for a minimal example.
FAST = list(Phase) if os.environ.get("HYPOTHESIS_SHRINK") else [Phase.explicit, Phase.reuse, Phase.generate]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))  # SQLite; PostgreSQL gets half
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

VERBS = [
    "greet",
    "ask",
    "question.page",
    "question.detail",
    "my_actions.page",
    "my_inspections.page",
    "action.edit",
    "action.save",
    "inspection.edit",
    "inspection.save",
    "cycle.request",
    "cycle.preview",
    "cycle.confirm",
    "cycle.status",
    "cycle.remind",
    "cycle.close",
    "decisions.show",
    "decision.decide",
    "decisions.bulk",
    "no.such.verb",
    "",
]
PHRASES = [
    "my actions",
    "help",
    "update",
    "yes",
    "no",
    "cancel",
    "1",
    "what's overdue in my group",
    "outstanding actions in Met Operations",
    "panel report",
    "decisions",
    "request updates",
    "cycle status",
    "delay reasons",
    "summary",
    "hmicfrs recommendations",
    "mark {ref} implemented",
    "update {ref}",
    "what was delivered in March",
    "stale actions",
]
NASTY_CHARS = (
    "\x00\x01\x07\x08\x0b\x0c\x0d\x1b\x7f\x85\u200b\u200e\u202a\u202e\u2066\u2069\ufeff\ud7ff[]()*_#>`<&\"'\\|~\n\t é😀"
)
DATA_KEYS = [
    "ref",
    "page",
    "size",
    "version",
    "id",
    "kind",
    "accept",
    "selected",
    "bulk_reason",
    "reason",
    "cycle",
    "days",
    "deadline",
    "group",
    "include_hmicfrs",
    "message",
    "people",
    "q",
    "scope",
    "status",
    "progress_note",
    "delay_reason",
    "revised_date",
    "evidence_note",
    "evidence_link",
    "text",
    "values",
    "tenant",
    "verb",
]


def _refs(url: str) -> dict[str, list[Any]]:
    engine = make_engine(url)
    with engine.connect() as c:
        found = {
            "action": [r[0] for r in c.execute(text("select ref from actions order by ref limit 40"))],
            "inspection": [r[0] for r in c.execute(text("select ref from inspection_items order by ref limit 20"))],
            "proposal": [r[0] for r in c.execute(text("select id from due_date_proposals limit 10"))],
        }
    engine.dispose()
    return found


def _strings(refs: dict[str, list[Any]]) -> st.SearchStrategy[str]:
    nasty = st.text(alphabet=st.sampled_from(NASTY_CHARS) | st.characters(codec="utf-8"), max_size=80)
    phrase = st.builds(
        lambda p, r, junk: p.format(ref=r) + junk,
        st.sampled_from(PHRASES),
        st.sampled_from(refs["action"] + refs["inspection"] + ["DARA-0000-999"]),
        nasty,
    )
    markdown = st.sampled_from(
        [
            "[Approve here](https://phish.example)",
            "**bold**",
            "<at>x</at>",
            "javascript:alert(1)",
            "http://plain.example",
            "https://ok.example/\u202eexe.pdf",
        ]
    )
    dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
    numbers = st.sampled_from(["inf", "-inf", "nan", "1e30", "-1", "0", "1.5", "99999999999999999999", "", " "])
    huge = st.integers(min_value=400, max_value=1200).map(lambda n: ("overdue " * n)[:n])
    return st.one_of(nasty, phrase, markdown, dates, numbers, huge)


def _values(refs: dict[str, list[Any]]) -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        _strings(refs),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from(refs["action"] + refs["inspection"] + refs["proposal"] + [0, -1, 2**63, 10**30, 1e308]),
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(DATA_KEYS), inner, max_size=4),
        max_leaves=8,
    )


def _card_data(refs: dict[str, list[Any]]) -> st.SearchStrategy[Any]:
    as_dict = st.dictionaries(st.sampled_from(DATA_KEYS) | st.text(max_size=8), _values(refs), max_size=10)
    return st.one_of(as_dict, as_dict, as_dict, _values(refs))  # mostly objects, sometimes anything


@st.composite
def activities(draw: st.DrawFn, service_url: str, refs: dict[str, list[Any]]) -> dict[str, Any]:
    who = draw(st.sampled_from([*DEMO_USERS, "stranger"]))
    if who == "stranger":
        user = dict(
            user_id="29:stranger",
            user_name=draw(_strings(refs)),
            aad_object_id=draw(st.uuids()).hex,
            conversation_id="a:personal-stranger",
        )
    else:
        u = DEMO_USERS[who]
        user = dict(
            user_id=u.user_id, user_name=u.name, aad_object_id=u.aad_object_id, conversation_id=u.conversation_id
        )
    kind = draw(
        st.sampled_from(
            [
                "message",
                "message",
                "invoke",
                "invoke",
                "invoke",
                "installationUpdate",
                "conversationUpdate",
                "messageReaction",
                "event",
                "typing",
                "endOfConversation",
                "bogus",
            ]
        )
    )
    activity = make_activity(service_url, type=kind, **user)
    if kind == "message":
        activity["text"] = draw(_strings(refs))
        if draw(st.booleans()):  # an Action.Submit fallback: the card's data arrives as the value
            activity["value"] = draw(
                st.builds(
                    lambda v, d: {"verb": v, **d} if isinstance(d, dict) else d,
                    st.sampled_from(VERBS),
                    _card_data(refs),
                )
            )
    elif kind == "invoke":
        activity["name"] = draw(
            st.sampled_from(
                ["adaptiveCard/action", "adaptiveCard/action", "task/fetch", "composeExtension/query", "nonsense"]
            )
        )
        action = {
            "type": "Action.Execute",
            "verb": draw(st.sampled_from(VERBS) | _strings(refs)),
            "data": draw(_card_data(refs)),
        }
        shapes = [{"action": action, "trigger": "manual"}, {"action": draw(_values(refs))}, draw(_values(refs))]
        activity["value"] = draw(st.sampled_from(shapes))
    elif kind == "installationUpdate":
        activity["action"] = draw(st.sampled_from(["add", "remove", "add-upgrade", "", "zzz"]))
    elif kind == "conversationUpdate":
        activity["membersAdded"] = draw(st.sampled_from([[{"id": "28:bot"}], [], [{"id": user["user_id"]}]]))
    for field in draw(
        st.lists(
            st.sampled_from(
                ["from", "conversation", "recipient", "channelData", "text", "value", "id", "timestamp", "locale"]
            ),
            max_size=2,
            unique=True,
        )
    ):
        activity.pop(field, None)
    if draw(st.integers(0, 9)) == 0:  # a field of the wrong type
        field = draw(st.sampled_from(["from", "conversation", "text", "channelData", "value", "name"]))
        activity[field] = draw(_values(refs))
    return activity


# -- the database invariants --------------------------------------------------------------------------


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


def _shown(reply: Any) -> str:
    parts = [reply.body if isinstance(reply.body, str) else json.dumps(reply.body)]
    for activity in reply.activities:
        parts.append(activity.get("text") or "")
        for att in activity.get("attachments") or []:
            parts.append(card_text(att.get("content") or {}))
    return "\n".join(parts)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzz_bot(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """One bot per backend for the module (PostgreSQL refuses a NUL that SQLite stores)."""
    if request.param == "postgresql" and (reason := pg_skip_reason()):
        pytest.skip(reason)
    with fresh_database_url(request.param, tmp_path_factory.mktemp("fuzz")) as url:
        with BotThread(url, clock=lambda: NOW) as bot:
            for user in DEMO_USERS:
                bot.call(bot.live.install(bot.live.user(user)))
            snapshot = Snapshot(url)
            yield bot, url, _refs(url), snapshot
            snapshot.engine.dispose()


def test_generated_activities_never_crash_leak_or_corrupt(fuzz_bot) -> None:
    bot, url, refs, snapshot = fuzz_bot
    examples = EXAMPLES if url.startswith("sqlite") else max(1, EXAMPLES // 2)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=FAST,
        suppress_health_check=list(HealthCheck),
    )
    @given(activity=activities(bot.live.connector.service_url, refs))
    def one(activity: dict[str, Any]) -> None:
        reply = bot.post(activity)
        # 501 is the SDK's answer to an invoke this bot does not implement (task modules, messaging
        # extensions): Teams expects it. Anything else at 5xx is a crash.
        unsupported = activity.get("type") == "invoke" and activity.get("name") != "adaptiveCard/action"
        assert reply.status < 500 or (reply.status == 501 and unsupported), (
            f"{reply.status} for {activity!r}: {reply.body!r}"
        )
        shown = _shown(reply)
        assert not LEAKS.search(shown), f"internals shown to the user: {shown[:400]!r}"
        snapshot.check()

    one()


def _shape(service_url: str, case: str) -> dict[str, Any]:
    olivia = DEMO_USERS["olivia"]
    activity = make_activity(
        service_url,
        user_id=olivia.user_id,
        aad_object_id=olivia.aad_object_id,
        conversation_id=olivia.conversation_id,
        text="my actions",
    )
    if case == "message without recipient":
        activity.pop("recipient")
    elif case == "message without from":
        activity.pop("from")
    elif case == "bot added, no recipient":
        activity.update(type="conversationUpdate", membersAdded=[{"id": "28:bot"}])
        activity.pop("recipient")
    elif case == "member added the roster does not know":
        activity.update(type="conversationUpdate", membersAdded=[{"id": "29:gone"}])
    elif case == "messaging extension with a list value":
        activity.update(type="invoke", name="composeExtension/query", value=[])
    elif case == "card action whose data is a string":
        activity.update(
            type="invoke",
            name="adaptiveCard/action",
            value={"action": {"type": "Action.Execute", "verb": "action.save", "data": "1537-11-30"}},
        )
    elif case == "page of inf":
        activity.update(
            type="invoke",
            name="adaptiveCard/action",
            value={"action": {"type": "Action.Execute", "verb": "decisions.show", "data": {"page": "inf"}}},
        )
    return activity


@pytest.mark.parametrize(
    "case",
    [
        "message without recipient",
        "message without from",
        "bot added, no recipient",
        "member added the roster does not know",
        "messaging extension with a list value",
        "card action whose data is a string",
        "page of inf",
    ],
)
def test_shapes_the_fuzzer_found_fail_no_turn(fuzz_bot, case: str) -> None:
    """Each of these once failed the turn (an apology, or a 500 for an invoke)."""
    bot, _url, _refs, snapshot = fuzz_bot
    activity = _shape(bot.live.connector.service_url, case)
    reply = bot.post(activity)
    assert reply.status < 500, reply.body
    assert not LEAKS.search(_shown(reply)), _shown(reply)
    snapshot.check()
