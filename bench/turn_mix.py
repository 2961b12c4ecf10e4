"""bench_turns --mixes: a week's load, many different people asking varied questions, some saving.

Mix A: each simulated user is a different person of the tracker; they ask varied questions (about
one in five a question they asked before, which the answer cache may serve again). Mix B: the same,
and about 15% of all turns are real owner updates saved through the card: an ``action.save``
invoke with the values the edit card showed, a new progress note and the action's current version
(the new card must say it saved). Owners' updates invalidate every cached answer (the tracker's
version moves), as in a real update cycle.
"""

from __future__ import annotations

import asyncio
import gc
import json
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from bench.turn_load import Cell, _activity
from bench.turn_servers import cpu_seconds

__all__ = ["MIXES", "MixUser", "mix_people", "question_pool", "mix_load"]

MIXES = {"A": 0.0, "B": 0.15}  # share of all turns that are card saves
REPEAT = 0.2
_TEMPLATES = (
    "what's overdue in {g}",
    "anything late for {g}?",
    "outstanding high risk actions in {g}",
    "why are we delayed in {g}",
    "what was delivered this quarter in {g}",
    "show stale actions in {g}",
    "overdue in {g} with no revised date",
    "summary for {g}",
    "open actions in {g}",
)
_PLAIN = (
    "hello",
    "my actions",
    "what's overdue",
    "what's overdue in my group",
    "summary",
    "open HMICFRS recommendations",
    "outstanding high risk actions",
    "why are we delayed?",
    "show stale actions",
    "overdue with no revised date",
    "what was delivered this quarter?",
    *(f"due in the next {n} months" for n in range(1, 7)),
    *(f"what is due before the end of {m}?" for m in ("January", "February", "March", "April", "May", "June")),
)
_INPUTS = ("status", "progress_note", "delay_reason", "revised_date", "evidence_note", "evidence_link")


def question_pool(groups: list[str]) -> list[str]:
    months = ("January", "February", "March", "April", "May", "June")
    dated = (f"what is due in {g} before the end of {m}?" for g in groups for m in months)
    return [*_PLAIN, *(t.format(g=g) for t in _TEMPLATES for g in groups), *dated]


@dataclass
class MixUser:
    """One simulated person: their own question order, and the actions they may save."""

    aad: str
    refs: list[str]  # outstanding actions they own (empty: they only ask)
    rng: random.Random
    pool: list[str]
    asked: list[str] = field(default_factory=list)
    forms: dict[str, dict[str, Any]] = field(default_factory=dict)  # ref -> the save's data, version current
    registered: set[str] = field(default_factory=set)  # the conversations (tags) the bot knows already
    next_new: int = 0

    def question(self) -> str:
        if self.asked and self.rng.random() < REPEAT:
            return self.rng.choice(self.asked)
        text = self.pool[self.next_new % len(self.pool)]
        self.next_new += 1
        self.asked.append(text)
        return text


def mix_people(url: str, n: int, seed: int = 7) -> tuple[list[MixUser], list[str]]:
    """``n`` different people (owners of outstanding actions first, then anyone), each given an Entra
    object id if they had none; and the tracker's group names."""
    from sqlalchemy import select, update

    from store.db.engine import make_engine
    from store.db.models import Action, BusinessGroup, Person

    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            groups = list(conn.scalars(select(BusinessGroup.name).order_by(BusinessGroup.id)))
            owned: dict[int, list[str]] = {}
            for pid, ref in conn.execute(
                select(Action.owner_id, Action.ref)
                .where(Action.status.in_(("open", "in progress")), Action.owner_id.is_not(None))
                .order_by(Action.owner_id, Action.ref)
            ):
                owned.setdefault(pid, []).append(ref)
            people = list(conn.execute(select(Person.id, Person.aad_object_id).order_by(Person.id)))
            owners = [p for p in people if p.id in owned][: max(1, n * 2 // 3)]
            others = [p for p in people if p not in owners][: n - len(owners)]
            chosen = (owners + others)[:n]
            users = []
            for i, p in enumerate(chosen):
                aad = p.aad_object_id
                if not aad:
                    aad = str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-person-{p.id}"))
                    conn.execute(update(Person).where(Person.id == p.id).values(aad_object_id=aad))
                rng = random.Random(seed * 1000 + i)
                pool = question_pool(groups)
                rng.shuffle(pool)
                users.append(MixUser(aad, owned.get(p.id, [])[:5], rng, pool))
    finally:
        engine.dispose()
    if len(users) < n:
        raise SystemExit(f"the tracker has {len(users)} people; {n} users need as many different people")
    return users, groups


def _walk(node: Any):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _card(body: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(body or b"null")
    except ValueError:
        return {}
    return answer.get("value") or {} if isinstance(answer, dict) else {}


def save_form(card: dict[str, Any]) -> dict[str, Any] | None:
    """What the edit card's Save sends: its data (ref, version) and the inputs as shown."""
    nodes = list(_walk(card))
    save = next((n for n in nodes if n.get("type") == "Action.Execute" and n.get("verb") == "action.save"), None)
    if save is None:
        return None
    reasons = [
        c.get("value")
        for n in nodes
        if n.get("id") == "delay_reason"
        for c in n.get("choices", [])
        if c.get("value") and "no delay" not in str(c.get("value")).lower()
    ]
    inputs = {
        n["id"]: n.get("value", "")
        for n in nodes
        if n.get("id") in _INPUTS and str(n.get("type", "")).startswith("Input.")
    }
    form = {**save.get("data", {}), **inputs}
    if not form.get("delay_reason") and reasons:  # an overdue action needs one: an owner picks the first
        form["delay_reason"] = reasons[0]
    return form


def _invoke(service_url: str, *, cid: str, uid: str, aad: str, verb: str, data: dict[str, Any]) -> dict[str, Any]:
    body = _activity(service_url, cid=cid, uid=uid, aad=aad, text="")
    del body["text"]
    body.update(type="invoke", name="adaptiveCard/action")
    body["value"] = {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}
    return body


async def mix_load(
    http, url: str, service_url: str, people: list[MixUser], *, saves: float, seconds: float, tag: str, pid: int
) -> tuple[Cell, Cell, list[str]]:
    """Each person posts back to back for ``seconds``: (question turns, save turns, problems seen)."""
    users = len(people)
    asked_ms: list[float] = []
    saved_ms: list[float] = []
    errors = {"q": 0, "s": 0}
    problems: list[str] = []
    owners = sum(1 for p in people if p.refs) or 1
    save_share = min(0.6, saves * users / owners)  # owners save more often, so 15% of all turns are saves

    async def post(body: dict[str, Any]) -> tuple[bool, bytes]:
        async with http.post(f"{url}/api/messages", json=body) as response:
            raw = await response.read()
            return response.status in (200, 201, 202), raw

    async def register(i: int, person: MixUser) -> None:
        """Untimed, once per conversation: a person's conversation lasts the whole run, as in Teams."""
        if tag in person.registered:
            return
        person.registered.add(tag)
        cid, uid = f"a:mix-{tag}-{i}", f"29:mix-{tag}-{i}"
        await post(_activity(service_url, cid=cid, uid=uid, aad=person.aad, text="hello"))
        if saves:
            for ref in person.refs:
                if ref not in person.forms:
                    _ok, raw = await post(
                        _invoke(service_url, cid=cid, uid=uid, aad=person.aad, verb="action.edit", data={"ref": ref})
                    )
                    form = save_form(_card(raw))
                    if form is not None:
                        person.forms[ref] = form

    await asyncio.gather(*(register(i, p) for i, p in enumerate(people)))
    end = time.perf_counter() + seconds

    async def user(i: int, person: MixUser) -> None:
        cid, uid = f"a:mix-{tag}-{i}", f"29:mix-{tag}-{i}"
        while time.perf_counter() < end:
            if person.forms and person.rng.random() < save_share:
                ref = person.rng.choice(list(person.forms))
                form = person.forms[ref]
                data = {**form, "progress_note": f"Week {person.rng.randrange(1, 53)}: board paper drafted, on track."}
                started = time.perf_counter()
                ok, raw = await post(
                    _invoke(service_url, cid=cid, uid=uid, aad=person.aad, verb="action.save", data=data)
                )
                ms = (time.perf_counter() - started) * 1000
                card = _card(raw)
                fresh = save_form(card)
                if ok and "Saved" in json.dumps(card):
                    saved_ms.append(ms)
                    form["version"] = (fresh or {}).get("version", int(form["version"]) + 1)
                else:
                    errors["s"] += 1
                    if len(problems) < 3:
                        problems.append(f"save {ref}: {json.dumps(card)[:200]}")
                    if fresh is not None:  # a stale card comes back redrawn: take its version
                        person.forms[ref] = fresh
                continue
            text = person.question()
            started = time.perf_counter()
            ok, _raw = await post(_activity(service_url, cid=cid, uid=uid, aad=person.aad, text=text))
            if ok:
                asked_ms.append((time.perf_counter() - started) * 1000)
            else:
                errors["q"] += 1

    gc.collect()
    gc.disable()
    started, cpu = time.perf_counter(), cpu_seconds(pid)
    try:
        await asyncio.gather(*(user(i, p) for i, p in enumerate(people)))
    finally:
        gc.enable()
    took, cpu = time.perf_counter() - started, cpu_seconds(pid) - cpu
    share = len(asked_ms) / max(1, len(asked_ms) + len(saved_ms))
    questions = Cell("bot", users, len(asked_ms), took, asked_ms, errors["q"], cpu * share)
    saved = Cell("bot", users, len(saved_ms), took, saved_ms, errors["s"], cpu * (1 - share))
    return questions, saved, problems
