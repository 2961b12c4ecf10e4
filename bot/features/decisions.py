"""Governance decisions in Teams (issue 5): proposed revised dates and closures, one by one or in bulk.

Verbs and their data (Teams merges the card's inputs into the data):
    decisions.show   {"page": int, "size": int}
    decision.decide  {"kind": "revised"|"closure", "id": int, "accept": bool, "reason_<kind>_<id>": str}
    decisions.bulk   {"accept": bool, "selected": "revised:3,closure:17", "bulk_reason": str, "page", "size"}
The owner of each decided item is told the outcome by a card queued in the outbox.
"""

from __future__ import annotations

import logging
from typing import Any, Sequence

from bot.routing import intent, verb
from bot.turn import Turn
from cards.common import message
from cards.decisions import PAGE_SIZE, decisions_card, reason_input_id, result_line
from domain.decisions import NOT_PERMITTED, Decision, DecisionResult
from domain.numbers import card_int, strict_int
from questions import Intent, Question
from store.history import ChangeContext
from store.updates.decisions import decide, pending_decisions

__all__ = ["show_decisions", "page", "decide_one", "decide_bulk"]

log = logging.getLogger(__name__)
_MAX_BULK = 100


def _refusal(turn: Turn) -> dict[str, Any] | None:
    """The list is governance's to see; deciding is refused by the store (NOT_PERMITTED), worded here too."""
    if turn.viewer is not None and turn.viewer.may_decide:
        return None
    return _refused(turn)


def _refused(turn: Turn) -> dict[str, Any]:
    return message(
        "That is for Strategy & Governance",
        "Only Strategy & Governance staff decide revised dates and closures. If you need a decision, "
        f"please ask {turn.services.settings.governance_contact}.",
    )


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("true", "1", "yes")


async def _card(
    turn: Turn, page_no: int, size: int, results: Sequence[DecisionResult] = (), problems: Sequence[str] = ()
) -> dict[str, Any]:
    pending = await turn.services.run(pending_decisions)
    notes = [result_line(r) for r in results if r.ok]
    problems = list(problems) + [result_line(r) for r in results if not r.ok]
    return decisions_card(pending.as_json(), page=page_no, page_size=size, notes=notes, problems=problems)


async def _decide(turn: Turn, decisions: list[Decision]) -> list[DecisionResult]:
    assert turn.viewer is not None
    ctx = ChangeContext(actor=turn.viewer.email, channel="teams", at=turn.now())
    results = await turn.services.run(decide, turn.viewer, decisions=decisions, ctx=ctx, today=turn.today())
    if any(r.ok for r in results):
        turn.services.wake_outbox()
    log.info(
        "decisions by person %s: %d ok, %d refused",
        turn.viewer.person_id,
        sum(r.ok for r in results),
        sum(not r.ok for r in results),
    )
    return results


@intent(Intent.DECISIONS)
async def show_decisions(turn: Turn, question: Question) -> None:
    await turn.send_card(_refusal(turn) or await _card(turn, 0, PAGE_SIZE))


@verb("decisions.show")
async def page(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    return _refusal(turn) or await _card(
        turn,
        card_int(data, "page", default=0, high=100_000),
        card_int(data, "size", default=PAGE_SIZE, low=1, high=_MAX_BULK),
    )


@verb("decision.decide")
async def decide_one(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    kind, item_id = str(data.get("kind") or ""), card_int(data, "id", default=-1)
    reason = str(data.get(reason_input_id(kind, item_id)) or data.get("reason") or "").strip()
    results = await _decide(turn, [Decision(kind, item_id, _truthy(data.get("accept")), reason)])
    if any(r.outcome == NOT_PERMITTED for r in results):
        return _refused(turn)
    return await _card(
        turn,
        card_int(data, "page", default=0, high=100_000),
        card_int(data, "size", default=PAGE_SIZE, low=1, high=_MAX_BULK),
        results,
    )


@verb("decisions.bulk")
async def decide_bulk(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    picked = [p.strip() for p in str(data.get("selected") or "").split(",") if p.strip()]
    page_no, size = (
        card_int(data, "page", default=0, high=100_000),
        card_int(data, "size", default=PAGE_SIZE, low=1, high=_MAX_BULK),
    )
    if not picked:
        return _refusal(turn) or await _card(turn, page_no, size, problems=["Select at least one item first."])
    accept, reason = _truthy(data.get("accept")), str(data.get("bulk_reason") or "").strip()
    decisions = []
    for item in picked[:_MAX_BULK]:
        kind, _, raw_id = item.partition(":")
        decisions.append(Decision(kind, strict_int(raw_id), accept, reason))
    results = await _decide(turn, decisions)
    if any(r.outcome == NOT_PERMITTED for r in results):
        return _refused(turn)
    return await _card(turn, page_no, size, results)
