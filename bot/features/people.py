"""Reassignment, cover and orphaned actions in Teams (issue 13 point 3).

'reassign MET-104' (governance, the group's SPOC) -> a card to choose the new owner -> Reassign.
'cover' (an owner; their SPOC or governance for someone else) -> who covers, first and last day -> Save.
'orphaned actions' (governance; a SPOC or chief officer for their groups) -> the list, with Reassign.
Who may do what is the Viewer's rule (store/people/viewers.py); the store returns outcome codes and the
cards choose the words.

Verbs and their data (Teams merges the card's inputs into the data):
    reassign.form   {"ref": str}               the chooser (a ref box when no ref is given)
    reassign.save   {"ref": str, "to": email}
    cover.form      {}
    cover.save      {"owner": email?, "cover": email, "from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}
"""

from __future__ import annotations

import dataclasses
import logging
import re
from datetime import date
from typing import Any

from bot.features.cycles import _wake
from bot.routing import intent, verb
from bot.turn import Turn
from cards.common import message
from cards.people import (
    cover_card,
    cover_problem,
    cover_set_card,
    orphaned_card,
    reassign_card,
    reassign_problem,
    reassigned_card,
)
from questions import Intent, Question
from store.history import ChangeContext
from store.people.cover import COVER_SET, MAX_COVER_DAYS, set_cover
from store.people.reassign import (
    NOT_FOUND,
    REASSIGNED,
    REFUSED,
    describe_action,
    orphaned_actions,
    people_choices,
    reassign_action,
)

__all__ = ["ask_reassign", "reassign_form", "reassign_save", "ask_cover", "cover_form", "cover_save", "orphaned"]

log = logging.getLogger(__name__)
# An action reference as people type it: letters, a dash, something with a digit (MET-104, DARA-21-3).
_REF = re.compile(r"\b([A-Za-z][A-Za-z0-9]{0,11}-[A-Za-z0-9-]*\d[A-Za-z0-9-]*)\b")


def _refusal(what: str) -> dict[str, Any]:
    return message(
        "Not something you can do here", f"Only Strategy & Governance or a business group's SPOC can {what}."
    )


def _ctx(turn: Turn) -> ChangeContext:
    assert turn.viewer is not None
    return ChangeContext(actor=turn.viewer.email, channel="teams", at=turn.now())


def _may_reassign_somewhere(turn: Turn) -> bool:
    """Whether to show the form at all; the store refuses the reassignment itself (REFUSED)."""
    return turn.viewer is not None and turn.viewer.may_reassign_any


@intent(Intent.REASSIGN)
async def ask_reassign(turn: Turn, question: Question) -> None:
    found = _REF.search(question.text or "")
    await turn.send_card(await reassign_form(turn, {"ref": found.group(1)} if found else {}))


@verb("reassign.form")
async def reassign_form(turn: Turn, data: dict[str, Any], errors: dict[str, str] | None = None) -> dict[str, Any]:
    if not _may_reassign_somewhere(turn):
        return _refusal("reassign an action")
    assert turn.viewer is not None
    errors = dict(errors or {})
    ref = str(data.get("ref") or "").strip() or None
    action = await turn.services.run(describe_action, ref) if ref else None
    if action and not turn.viewer.may_reassign(action["group"]):
        action = None  # answered as an unknown ref: neither its group nor that it exists is told
    if ref and action is None:
        errors["ref"] = reassign_problem({"outcome": NOT_FOUND, "ref": ref})
    choices = await turn.services.run(people_choices, action["group"] if action else turn.viewer.group)
    choices = [c for c in choices if not action or c[1] != action["owner_email"]]
    return reassign_card(action["ref"] if action else ref, choices, action=action, errors=errors)


@verb("reassign.save")
async def reassign_save(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    assert turn.viewer is not None  # verbs run for known people only (bot/handler.py)
    ref, to = str(data.get("ref") or "").strip(), str(data.get("to") or "").strip()
    if not ref or not to:
        return await reassign_form(
            turn, data, {"ref": "Type the action's reference."} if not ref else {"to": "Choose the new owner."}
        )
    r = await turn.services.run(reassign_action, turn.viewer, ref, to, ctx=_ctx(turn), today=turn.today())
    if r.outcome == REASSIGNED:
        _wake(turn)  # the new owner's request, when a cycle is open
        return reassigned_card(dataclasses.asdict(r))
    unknown = r.outcome in (NOT_FOUND, REFUSED)  # the same answer: a refusal tells nothing of the ref
    return await reassign_form(
        turn, {} if unknown else {"ref": ref}, {"ref" if unknown else "to": reassign_problem(dataclasses.asdict(r))}
    )


async def _owners(turn: Turn) -> list[tuple[str, str]]:
    """Whose cover the viewer may name besides their own: everyone (governance), their groups' (SPOC)."""
    viewer = turn.viewer
    assert viewer is not None
    if viewer.is_governance:
        return await turn.services.run(people_choices, viewer.group)
    if viewer.spoc_groups:
        return await turn.services.run(people_choices, viewer.group, only_groups=viewer.spoc_groups)
    return []


@intent(Intent.COVER)
async def ask_cover(turn: Turn, question: Question) -> None:
    await turn.send_card(await cover_form(turn, {}))


@verb("cover.form")
async def cover_form(turn: Turn, data: dict[str, Any], errors: dict[str, str] | None = None) -> dict[str, Any]:
    assert turn.viewer is not None
    choices = await turn.services.run(people_choices, turn.viewer.group)
    owners = await _owners(turn)
    values = {"owner": turn.viewer.email, **{k: v for k, v in data.items() if v not in (None, "")}}
    if not owners:  # naming their own cover: they are not offered to themselves
        choices = [c for c in choices if c[1] != turn.viewer.email]
    return cover_card(choices, today=turn.today(), owners=owners, values=values, errors=errors)


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


@verb("cover.save")
async def cover_save(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    assert turn.viewer is not None
    owner = str(data.get("owner") or "").strip() or turn.viewer.email
    cover = str(data.get("cover") or "").strip()
    starts, ends = _day(data.get("from")), _day(data.get("to"))
    errors = {
        k: v
        for k, v in (
            ("cover", None if cover else "Choose who covers."),
            ("from", None if starts else "Choose the first day."),
            ("to", None if ends else "Choose the last day."),
        )
        if v
    }
    if errors:
        return await cover_form(turn, data, errors)
    assert starts is not None and ends is not None
    c = await turn.services.run(
        set_cover, turn.viewer, owner, cover, starts_on=starts, ends_on=ends, ctx=_ctx(turn), today=turn.today()
    )
    if c.outcome == COVER_SET:
        return cover_set_card(dataclasses.asdict(c))
    field, sentence = cover_problem(dataclasses.asdict(c), MAX_COVER_DAYS)
    return await cover_form(turn, data, {field: sentence})


@intent(Intent.ORPHANED)
async def orphaned(turn: Turn, question: Question) -> None:
    viewer = turn.viewer
    assert viewer is not None
    if not (viewer.is_governance or viewer.led_groups):
        await turn.send_card(
            message(
                "That is for SPOCs, chief officers and Strategy & Governance",
                "Orphaned actions (outstanding actions whose owner has left) are followed by "
                "each business group's SPOC and chief officer and by Strategy & Governance.",
            )
        )
        return
    groups = tuple(g for g in question.groups if viewer.may_see_group(g)) or (
        () if viewer.is_governance else viewer.led_groups
    )
    rows: list[Any] = []
    for group in groups or (None,):
        rows += await turn.services.run(orphaned_actions, group)
    scope = ", ".join(groups) if groups else "every business group"
    await turn.send_card(
        orphaned_card(
            [dataclasses.asdict(r) for r in rows],
            scope=scope,
            may_reassign=viewer.is_governance or any(g in viewer.spoc_groups for g in groups),
        )
    )
