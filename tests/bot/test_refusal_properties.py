"""Issue 25 finding 5 and must-do 3: a refusal never says who else can act, nor which group a ref
belongs to, nor shows a ref outside the asker's scope.

A SPOC of Frontline typing `reassign DARA-1902-001` was told "(the Corporate Services SPOC can)": any
SPOC could learn the group of any ref, and that it exists. Here every non-governance role provokes
every refusal it can (reassign by words and by button, cover for someone else, update and edit,
decide, run a cycle, ask about a ref) on refs inside and outside its scope; whatever comes back may
name only the groups the asker belongs to, leads, or sees an item of, and only refs they may see; and a
ref outside their scope gets the same answer as a ref that does not exist.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.bot.properties import live_settings
from tests.bot.test_role_properties import EMAILS, GOVERNANCE_VERBS, GROUPS, _shown_refs, may_see, open_world

EXAMPLES = int(os.environ.get("ROLE_EXAMPLES", "25"))
ASKERS = ["colin", "sam", "olivia", "dev", "mia", "stranger"]  # everyone but governance (grace)
MISSING = "DARA-1999-999"  # a ref no tracker has


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    with open_world(tmp_path_factory.mktemp("refusals")) as (bot, db, users, people):
        own = {
            email: group
            for email, group in db.q(
                "select p.email, b.name from people p join business_groups b on b.id = p.business_group_id"
            )
        }
        yield bot, db, users, people, db.items(), own


def _their_groups(world: Any, who: str) -> set[str]:
    _bot, _db, _users, people, items, own = world
    person = people[who]
    if person is None:
        return set()
    mine = {group for _role, group in person.leads} | {own.get(EMAILS[who])} - {None}
    return mine | {i.group for i in items.values() if may_see(person, i)}


def _words(reply: Any) -> str:
    return json.dumps([reply.activities, reply.body], default=str, ensure_ascii=False)


def _provoke(world: Any, who: str, how: str, ref: str) -> Any:
    bot, db, users, _people, items, _own = world
    user = users[who]
    item = items.get(ref)
    kind = item.kind if item else "action"
    other = "olivia.owen@met.police.example" if who != "olivia" else "sam.spencer@met.police.example"
    if how == "say reassign":
        return bot.call(bot.live.say(user, f"reassign {ref}", expect=0))
    if how == "say ref":
        return bot.call(bot.live.say(user, ref, expect=0))
    if how == "say update":
        return bot.call(bot.live.say(user, f"update {ref}", expect=0))
    if how == "reassign.form":
        return bot.call(bot.live.click(user, "reassign.form", {"ref": ref}))
    if how == "reassign.save":
        return bot.call(bot.live.click(user, "reassign.save", {"ref": ref, "to": other}))
    if how in ("edit", "save"):
        version = db.version(item) if item else 1
        data = {"ref": ref, "version": version, "progress_note": "note", "delay_reason": "Resource challenges"}
        return bot.call(bot.live.click(user, f"{kind}.{how}", data))
    if how == "detail":
        return bot.call(bot.live.click(user, "question.detail", {"ref": ref, "kind": kind}))
    if how == "cover.save":
        owner = item and db.q("select email from people where id = :i", i=item.owner_id)[0][0]
        data = {"owner": owner or "nobody@x.example", "cover": other, "from": "2026-11-27", "to": "2026-11-30"}
        return bot.call(bot.live.click(user, "cover.save", data))
    return bot.call(bot.live.click(user, how, {"ref": ref, "id": 1, "accept": True, "reason": "x", "scope": "all"}))


HOWS = ["say reassign", "say ref", "say update", "reassign.form", "reassign.save", "edit", "save", "detail"]
HOWS += ["cover.save", *GOVERNANCE_VERBS]


def _check(world: Any, who: str, how: str, ref: str) -> None:
    items = world[4]
    reply = _provoke(world, who, how, ref)
    words = _words(reply)
    theirs = _their_groups(world, who)
    named = {g for g in GROUPS if re.search(re.escape(g), words, re.IGNORECASE)} - theirs
    assert not named, f"{who} ({how} {ref}) was told of {sorted(named)}: {reply.card_text()[:400]}"
    person = world[3][who]
    # The ref the asker typed may be echoed (as an unknown one); any other out of their scope may not.
    leaked = {r for r in _shown_refs(reply) if r in items and r != ref and not may_see(person, items[r])}
    assert not leaked, f"{who} ({how} {ref}) was shown {sorted(leaked)}: {reply.card_text()[:400]}"
    assert "SPOC can)" not in words and "Traceback" not in words


def test_no_refusal_names_another_group_or_a_ref_out_of_scope(world: Any) -> None:
    items = world[4]

    @live_settings(EXAMPLES * 3)
    @given(who=st.sampled_from(ASKERS), how=st.sampled_from(HOWS), ref=st.sampled_from(sorted(items)))
    def one(who: str, how: str, ref: str) -> None:
        _check(world, who, how, ref)

    one()


@pytest.mark.parametrize("how", ["say reassign", "reassign.form", "reassign.save"])
def test_a_ref_out_of_scope_is_answered_as_one_that_does_not_exist(world: Any, how: str) -> None:
    """The reassign refusal of finding 5, by every way in: a SPOC of another group cannot tell it exists."""
    items, people = world[4], world[3]
    elsewhere = next(r for r, i in sorted(items.items()) if i.kind == "action" and not may_see(people["sam"], i))
    _check(world, "sam", how, elsewhere)

    def shown(ref: str) -> str:
        text = _provoke(world, "sam", how, ref).card_text()
        return text.replace(ref, "<ref>").replace(ref.lower(), "<ref>")

    assert shown(elsewhere) == shown(MISSING)


def test_naming_a_cover_for_someone_out_of_reach_reads_as_for_someone_unknown(world: Any) -> None:
    """The cover refusal once said "Only Olivia Owen, their group's SPOC or Strategy & Governance can..."."""
    bot, db, users, people, items, _own = world
    outside = next(i for _r, i in sorted(items.items()) if not may_see(people["sam"], i))
    owner = db.q("select email from people where id = :i", i=outside.owner_id)[0][0]

    def shown(email: str) -> list[str]:
        data = {"owner": email, "cover": EMAILS["colin"], "from": "2026-11-27", "to": "2026-11-30"}
        text = bot.call(bot.live.click(users["sam"], "cover.save", data)).card_text()
        return [line for line in text.splitlines() if owner not in line and "nobody@" not in line]

    refused = shown(owner)
    assert refused == shown("nobody@elsewhere.example")
    assert any("Choose whose cover it is from the list" in line for line in refused)
