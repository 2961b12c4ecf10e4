"""Hypothesis strategies for the message fuzzer (test_fuzz_messages.py): activities of every type, with
texts full of control and bidi characters, card data of any shape (lists, strings, "inf", "1e30",
10**30, dates in year 9999), missing fields, real and made-up refs, as the demo's users and as strangers."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import text

from store.db.engine import make_engine
from tests.fakes.connector import make_activity
from tests.fakes.live_bot import DEMO_USERS

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


def refs_in(url: str) -> dict[str, list[Any]]:
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


# Every invoke name Teams sends a bot, and some it does not.
INVOKE_NAMES = (
    "fileConsent/invoke",
    "composeExtension/submitAction",
    "composeExtension/query",
    "composeExtension/fetchTask",
    "composeExtension/queryLink",
    "composeExtension/selectItem",
    "task/fetch",
    "task/submit",
    "tab/fetch",
    "signin/verifyState",
    "signin/tokenExchange",
    "actionableMessage/executeAction",
    "config/fetch",
    "message/submitAction",
    "healthCheck",
    "adaptiveCard/search",
    "nonsense",
    "",
)


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
        activity["name"] = draw(st.sampled_from(["adaptiveCard/action"] * len(INVOKE_NAMES) + list(INVOKE_NAMES)))
        action = {
            "type": "Action.Execute",
            "verb": draw(st.sampled_from(VERBS) | _strings(refs)),
            "data": draw(_card_data(refs)),
        }
        shapes = [{"action": action, "trigger": "manual"}, {"action": draw(_values(refs))}, draw(_values(refs))]
        activity["value"] = draw(st.sampled_from(shapes))
        if draw(st.integers(0, 4)) == 0:  # no value at all (issue 25 point 3)
            activity.pop("value")
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
    if draw(st.integers(0, 6)) == 0:  # an id of the wrong type (issue 25 point 10)
        where = draw(
            st.sampled_from(["id", "replyToId", "conversation.id", "from.id", "recipient.id", "from.aadObjectId"])
        )
        bad = draw(st.sampled_from([{"id": "x"}, ["a:1"], 42, 1.5, True]))
        parent, _, key = where.rpartition(".")
        target = activity.get(parent) if parent else activity
        if isinstance(target, dict):
            target[key] = bad
    if draw(st.integers(0, 9)) == 0:  # a field of the wrong type
        field = draw(st.sampled_from(["from", "conversation", "text", "channelData", "value", "name"]))
        activity[field] = draw(_values(refs))
    return activity
