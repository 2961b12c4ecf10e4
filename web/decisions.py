"""Governance's decisions in the tab: proposed revised dates and closures, one at a time or in bulk.

    GET  /api/tab/decisions   what waits for a decision (store.updates.decisions.pending_decisions)
    POST /api/tab/decisions   {"accept": true, "reason": "...", "items": [{"kind": "revised", "id": 3}, ...]}

Every decision goes through the bot's service, `store.updates.decisions.decide`, with the viewer: it
refuses anyone who may not decide and answers each item with an outcome code, worded by the bot's
own `cards.decisions.result_line`. The owners are told by the same outbox message the bot queues.
The history names the person, channel "tab".
"""

from __future__ import annotations

import json
import logging
from typing import Any

from aiohttp import web

from cards.decisions import refusal_words, result_line
from domain.decisions import NOT_PERMITTED, Decision, DecisionResult
from domain.permissions import Viewer
from store.history import ChangeContext
from store.updates.decisions import MAX_REASON, pending_decisions
from store.updates.decisions import decide as decide_in_store
from web.edit import CHANNEL  # the history says the change was made in the tab
from web.signin import TabContext, authenticated, problem

__all__ = ["add_decision_routes", "MAX_ITEMS"]

log = logging.getLogger(__name__)
MAX_ITEMS = 100  # the bot's bulk decides at most this many at once too


class _BadBody(ValueError):
    pass


def _item(raw: Any, accept: bool, reason: str) -> Decision:
    if not isinstance(raw, dict) or not isinstance(raw.get("kind"), str):
        raise _BadBody('each item needs a kind ("revised" or "closure") and an id')
    item_id = raw.get("id")
    if not isinstance(item_id, int) or isinstance(item_id, bool) or not 0 < item_id < 2**31:
        raise _BadBody("each item's id must be a whole number (from GET /api/tab/decisions)")
    own = raw.get("reason")
    if own is not None and not isinstance(own, str):
        raise _BadBody("an item's reason must be text")
    return Decision(raw["kind"], item_id, accept, own if own is not None else reason)


def parse_decisions(raw: bytes) -> list[Decision]:
    """The request body as decisions; _BadBody names what to fix."""
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise _BadBody("send the decision as a JSON object") from None
    if not isinstance(body, dict):
        raise _BadBody("send the decision as a JSON object")
    accept = body.get("accept")
    if not isinstance(accept, bool):
        raise _BadBody("accept must be true (accept) or false (reject)")
    reason = body.get("reason", "")
    if not isinstance(reason, str):
        raise _BadBody("reason must be text")
    if len(reason) > 20 * MAX_REASON:  # far too long to be a reason: not worth cleaning to say so
        raise _BadBody(f"the reason is far longer than {MAX_REASON} characters")
    items = body.get("items")
    if not isinstance(items, list) or not items:
        raise _BadBody("items must list at least one decision: select an item first")
    if len(items) > MAX_ITEMS:
        raise _BadBody(f"decide at most {MAX_ITEMS} items at once (you sent {len(items)})")
    return [_item(one, accept, reason) for one in items]


def _result(result: DecisionResult) -> dict[str, Any]:
    return {
        "kind": result.decision.kind,
        "id": result.decision.id,
        "ref": result.ref,
        "ok": result.ok,
        "outcome": result.outcome,
        "message": result_line(result),
    }


def add_decision_routes(app: web.Application, ctx: TabContext) -> None:
    async def pending(_request: web.Request, viewer: Viewer) -> web.Response:
        if not viewer.may_decide:
            return problem(403, NOT_PERMITTED, refusal_words())
        found = await ctx.run(pending_decisions)
        return web.json_response(found.as_json(), headers={"Cache-Control": "no-store"})

    async def decide(request: web.Request, viewer: Viewer) -> web.Response:
        try:
            decisions = parse_decisions(await request.read())
        except _BadBody as bad:
            return problem(400, "bad_body", str(bad))
        change = ChangeContext(actor=viewer.email, channel=CHANNEL, at=ctx.clock())
        results = await ctx.run(decide_in_store, viewer, decisions=decisions, ctx=change, today=ctx.today())
        if any(r.outcome == NOT_PERMITTED for r in results):  # the service refused the viewer outright
            return problem(403, NOT_PERMITTED, refusal_words())
        decided = sum(r.ok for r in results)
        if decided:
            ctx.wake_outbox()
        log.info("tab decisions by person %s: %d ok, %d refused", viewer.person_id, decided, len(results) - decided)
        return web.json_response(
            {"decided": decided, "refused": len(results) - decided, "results": [_result(r) for r in results]},
            headers={"Cache-Control": "no-store"},
        )

    app.router.add_get("/api/tab/decisions", authenticated(ctx, pending))
    app.router.add_post("/api/tab/decisions", authenticated(ctx, decide))
