"""Issue 10 point 8: every verb and question, as each role, against an independent statement of the
role rules; nobody sees or changes anything outside their role.

The rules, restated here from docs/domain.md ("Who uses it") and issue 10 point 4, deliberately not
imported from store/people.py:

* governance sees everything and may update anything; only governance decides revised dates and
  closures, runs update cycles and gets the panel report;
* a chief officer or SPOC sees the actions of the business groups they lead, in that role;
* an owner sees and may update their own actions, and those of people who delegated to them;
* a SPOC may update the actions of the group they are SPOC of -- and only that group: roles are
  pairs (role, group), so a SPOC of group A who is chief officer of group B may update in A only;
* a chief officer updates nothing of others' (they ask; they do not edit);
* someone the tracker does not know sees and changes nothing.

The demo tracker, plus Dev Patel (SPOC of Corporate Services) able to talk to the bot, Mia Mixed (SPOC
of Corporate Services and chief officer of Met Operations) and a stranger. Hypothesis picks who asks
what; the cards are searched for every ref they show (text and button data) and the rows that
matter are compared before and after.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from tests.bot.properties import live_settings
from tests.conftest import NOW
from tests.fakes.bot_thread import BotThread
from tests.fakes.live_bot import DEMO_USERS, TeamsUser

EXAMPLES = int(os.environ.get("ROLE_EXAMPLES", "25"))
REF = re.compile(r"\b(?:DARA|HMI)-\d{4}-\d{3}\b")
GOV_ONLY_TABLES = ("due_date_proposals", "update_cycles", "cycle_items", "outbox")
WRITES = ("actions", "inspection_items", "history", *GOV_ONLY_TABLES)
MIXED_EMAIL, DEV_EMAIL = "mia.mixed@met.police.example", "dev.patel@met.police.example"
GROUPS = ("Corporate Services", "Frontline Policing", "Met Operations", "Professionalism", "Digital Policing")
QUESTIONS = [
    "my actions",
    "my hmicfrs recommendations",
    "what's overdue in my group",
    "summary",
    "delay reasons",
    "forthcoming actions",
    "what was delivered this year",
    "stale actions",
    "hmicfrs recommendations",
    "decisions",
    "panel report",
    "cycle status",
    "request updates",
    *(f"outstanding actions in {g}" for g in GROUPS),
    *(f"overdue in {g}" for g in GROUPS),
]
GOVERNANCE_VERBS = [
    "decisions.show",
    "decision.decide",
    "decisions.bulk",
    "cycle.request",
    "cycle.preview",
    "cycle.confirm",
    "cycle.status",
    "cycle.remind",
    "cycle.close",
]


@dataclass(frozen=True)
class Person:
    id: int
    governance: bool
    leads: frozenset[tuple[str, str]]  # (role, group)
    acts_for: frozenset[int]


@dataclass(frozen=True)
class Item:
    ref: str
    kind: str  # "action" | "inspection"
    owner_id: int
    group: str
    outstanding: bool


# -- the independent statement of the rules ------------------------------------------------------------


def may_see(who: Person | None, item: Item) -> bool:
    if who is None:
        return False
    return (
        who.governance
        or item.owner_id == who.id
        or item.owner_id in who.acts_for
        or any(group == item.group for _role, group in who.leads)
    )


def may_update(who: Person | None, item: Item) -> bool:
    if who is None:
        return False
    return (
        who.governance or item.owner_id == who.id or item.owner_id in who.acts_for or ("spoc", item.group) in who.leads
    )


# -- the tracker ---------------------------------------------------------------------------------------


class Tracker:
    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)

    def q(self, sql: str, **params: Any) -> list[Any]:
        with self.engine.connect() as c:
            return list(c.execute(text(sql), params))

    def exec(self, sql: str, **params: Any) -> None:
        with self.engine.begin() as c:
            c.execute(text(sql), params)

    def person(self, email: str) -> Person | None:
        rows = self.q("select id from people where email = :e", e=email)
        if not rows:
            return None
        pid = rows[0][0]
        roles = {r[0] for r in self.q("select role from person_roles where person_id = :p", p=pid)}
        leads = frozenset(
            (r[0], r[1])
            for r in self.q(
                "select g.role, b.name from group_leads g join business_groups b on b.id = g.business_group_id "
                "where g.person_id = :p",
                p=pid,
            )
            if r[0] in roles
        )
        acts_for = frozenset(r[0] for r in self.q("select owner_id from delegations where delegate_id = :p", p=pid))
        return Person(pid, "governance" in roles, leads, acts_for)

    def items(self) -> dict[str, Item]:
        found = {}
        for kind, table in (("action", "actions"), ("inspection", "inspection_items")):
            for ref, owner, group, status in self.q(
                f"select t.ref, t.owner_id, b.name, t.status from {table} t "  # noqa: S608 - fixed names
                "join business_groups b on b.id = t.business_group_id"
            ):
                found[ref] = Item(ref, kind, owner, group, status in ("open", "in progress"))
        return found

    def fingerprint(self, tables: tuple[str, ...] = WRITES) -> dict[str, str]:
        return {
            t: hashlib.sha256(repr(sorted(map(repr, self.q(f"select * from {t}")))).encode()).hexdigest()
            for t in tables
        }  # noqa: S608

    def row(self, item: Item) -> tuple:
        table = "actions" if item.kind == "action" else "inspection_items"
        return tuple(self.q(f"select * from {table} where ref = :r", r=item.ref)[0])  # noqa: S608

    def version(self, item: Item) -> int:
        table = "actions" if item.kind == "action" else "inspection_items"
        return self.q(f"select version from {table} where ref = :r", r=item.ref)[0][0]  # noqa: S608


def _add_people(db: Tracker) -> dict[str, TeamsUser]:
    """Dev Patel gets an object id; Mia Mixed is SPOC of Corporate Services and chief officer of Met Operations."""
    dev_aad, mia_aad = str(uuid.uuid4()), str(uuid.uuid4())
    db.exec("update people set aad_object_id = :a where email = :e", a=dev_aad, e=DEV_EMAIL)
    group = {name: gid for gid, name in db.q("select id, name from business_groups")}
    db.exec(
        "insert into people (email, name, business_group_id, aad_object_id) values (:e, 'Mia Mixed', :g, :a)",
        e=MIXED_EMAIL,
        g=group["Corporate Services"],
        a=mia_aad,
    )
    mia = db.q("select id from people where email = :e", e=MIXED_EMAIL)[0][0]
    for role in ("spoc", "chief_officer"):
        db.exec("insert into person_roles (person_id, role) values (:p, :r)", p=mia, r=role)
    db.exec(
        "insert into group_leads (person_id, business_group_id, role) values (:p, :g, 'spoc')",
        p=mia,
        g=group["Corporate Services"],
    )
    db.exec(
        "insert into group_leads (person_id, business_group_id, role) values (:p, :g, 'chief_officer')",
        p=mia,
        g=group["Met Operations"],
    )
    return {
        **DEMO_USERS,
        "dev": TeamsUser("Dev Patel", dev_aad, "29:dev", "a:personal-dev"),
        "mia": TeamsUser("Mia Mixed", mia_aad, "29:mia", "a:personal-mia"),
        "stranger": TeamsUser("Someone Else", str(uuid.uuid4()), "29:stranger", "a:personal-stranger"),
    }


EMAILS = {
    "grace": "grace.gordon@met.police.example",
    "colin": "colin.chambers@met.police.example",
    "sam": "sam.spencer@met.police.example",
    "olivia": "olivia.owen@met.police.example",
    "dev": DEV_EMAIL,
    "mia": MIXED_EMAIL,
    "stranger": "nobody@elsewhere.example",
}
SINGLE_ROLE = ["grace", "colin", "sam", "olivia", "dev", "stranger"]


@contextmanager
def open_world(directory: Path) -> Iterator[tuple[BotThread, Tracker, dict[str, TeamsUser], dict[str, Any]]]:
    """A running bot on the demo tracker, with this module's extra people added and installed."""
    url = f"sqlite:///{directory / 'tracker.db'}"
    with BotThread(url, clock=lambda: NOW) as bot:
        db = Tracker(url)
        try:
            users = _add_people(db)
            for key in users:
                bot.call(bot.live.install(users[key]))
            yield bot, db, users, {key: db.person(EMAILS[key]) for key in users}
        finally:
            db.engine.dispose()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    with open_world(tmp_path_factory.mktemp("roles")) as (bot, db, users, people):
        yield bot, db, users, people, db.items()


def _shown_refs(reply: Any) -> set[str]:
    """Every ref the user can read or click on: card text, button data, plain messages."""
    return set(REF.findall(json.dumps([reply.activities, reply.body], default=str)))


def _click(bot: BotThread, user: TeamsUser, verb: str, data: dict[str, Any]) -> Any:
    return bot.call(bot.live.click(user, verb, data))


def _say(bot: BotThread, user: TeamsUser, words: str) -> Any:
    return bot.call(bot.live.say(user, words, expect=0))


# -- the properties --------------------------------------------------------------------------------------


def _check_seeing(world: Any, who: str, question: str | None, ref: str | None) -> None:
    bot, db, users, people, items = world
    before = db.fingerprint()
    if question is not None:
        reply = _say(bot, users[who], question)
    else:
        item = items[ref]
        reply = _click(bot, users[who], "question.detail", {"ref": ref, "kind": item.kind})
    leaked = {r for r in _shown_refs(reply) if r in items and not may_see(people[who], items[r])}
    assert not leaked, f"{who} was shown {sorted(leaked)[:5]} after {question or 'detail ' + ref!r}"
    if question not in ("request updates",):  # asking opens a cycle preview for governance only, unsaved
        assert db.fingerprint() == before, f"{who} asking {question or ref!r} changed rows"


def _check_updating(world: Any, who: str, ref: str, verb_kind: str) -> None:
    bot, db, users, people, items = world
    item = items[ref]
    verb = f"{item.kind}.{verb_kind}"
    before, row = db.fingerprint(), db.row(item)
    note = f"Note from {who} {uuid.uuid4().hex[:6]}"
    data = {"ref": ref, "version": db.version(item), "progress_note": note}
    if item.kind == "action":  # an overdue action needs a reason for its delay
        data["delay_reason"] = "Resource challenges"
    reply = _click(bot, users[who], verb, data)
    allowed = may_update(people[who], item)
    if verb_kind == "edit":
        assert db.fingerprint() == before, f"{who} opening {ref} changed rows"
        shows_form = f'"{item.kind}.save"' in json.dumps(reply.body)  # the form's Save button
        if not allowed or item.outstanding:  # what a status allows (a note on an implemented one) is not a role rule
            assert shows_form == allowed, f"{who} editing {ref}: form={shows_form}"
        return
    changed = db.row(item) != row
    if allowed and item.outstanding:
        assert changed, f"{who} may update {ref} but it was not saved: {reply.card_text()[:300]}"
    elif not allowed:
        assert not changed and db.fingerprint() == before, f"{who} changed {ref} outside their role"


def _check_governance_verb(world: Any, who: str, verb: str) -> None:
    bot, db, users, people, items = world
    proposals = [r[0] for r in db.q("select id from due_date_proposals where decision = 'pending'")]
    cycles = [r[0] for r in db.q("select id from update_cycles")]
    data = {
        "kind": "revised",
        "id": proposals[0] if proposals else 1,
        "accept": True,
        "reason": "fuzz",
        "selected": ",".join(f"revised:{p}" for p in proposals[:3]),
        "bulk_reason": "fuzz",
        "cycle": cycles[0] if cycles else 1,
        "scope": "all",
        "deadline": "2026-12-31",
        "message": "hello",
        "days": 14,
        "page": 0,
    }
    before = db.fingerprint()
    reply = _click(bot, users[who], verb, data)
    leaked = {r for r in _shown_refs(reply) if r in items and not may_see(people[who], items[r])}
    assert not leaked, f"{who} was shown {sorted(leaked)[:5]} by {verb}"
    assert db.fingerprint() == before, f"{who} ({verb}) changed rows only governance may change"


def test_everyone_sees_only_what_their_role_allows(world: Any) -> None:
    items = world[4]

    @live_settings(EXAMPLES)
    @given(
        who=st.sampled_from(SINGLE_ROLE),
        what=st.one_of(
            st.tuples(st.sampled_from(QUESTIONS), st.none()), st.tuples(st.none(), st.sampled_from(sorted(items)))
        ),
    )
    def one(who: str, what: tuple[str | None, str | None]) -> None:
        _check_seeing(world, who, *what)

    one()


def test_everyone_changes_only_what_their_role_allows(world: Any) -> None:
    items = world[4]
    outstanding = sorted(r for r, i in items.items() if i.outstanding)

    @live_settings(EXAMPLES)
    @given(
        who=st.sampled_from(SINGLE_ROLE),
        ref=st.sampled_from(outstanding) | st.sampled_from(sorted(items)),
        verb_kind=st.sampled_from(["edit", "save"]),
    )
    def one(who: str, ref: str, verb_kind: str) -> None:
        _check_updating(world, who, ref, verb_kind)

    one()


def test_only_governance_decides_and_runs_cycles(world: Any) -> None:
    @live_settings(EXAMPLES // 2)
    @given(
        who=st.sampled_from([k for k in SINGLE_ROLE if k != "grace"] + ["mia"]), verb=st.sampled_from(GOVERNANCE_VERBS)
    )
    def one(who: str, verb: str) -> None:
        _check_governance_verb(world, who, verb)

    one()


def test_a_spoc_of_one_group_who_is_chief_officer_of_another_updates_in_the_first_only(world: Any) -> None:
    items = world[4]
    in_groups = sorted(
        r for r, i in items.items() if i.outstanding and i.group in ("Corporate Services", "Met Operations")
    )

    @live_settings(EXAMPLES // 2)
    @given(ref=st.sampled_from(in_groups), verb_kind=st.sampled_from(["edit", "save"]))
    def one(ref: str, verb_kind: str) -> None:
        _check_updating(world, "mia", ref, verb_kind)
        _check_seeing(world, "mia", None, ref)

    one()
