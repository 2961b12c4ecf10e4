"""An owner updates their action or HMICFRS item from the tab: the card's form, rules and words, on the
card's pipeline.

    GET  /api/tab/actions/{ref}/update   the form: statuses, delay reasons, what is on file now
    POST /api/tab/actions/{ref}/update   {"version": 4, "status": "in progress", "progress_note": "...",
                                          "delay_reason": "Resource challenges", "revised_date": "2027-06-30",
                                          "evidence_note": "...", "evidence_link": "https://..."}
    GET  /api/tab/items/{ref}/update     an HMICFRS item's form (open or submitted for closure)
    POST /api/tab/items/{ref}/update     {"version": 2, "status": "submitted for closure", "evidence_note": "..."}

The submission goes through ``store.updates.pipeline.apply_update``, as the card's does: who may
update (the owner, a delegate, the group's SPOC, governance: domain/permissions.py), a stale version,
a closed action, every field rule (domain/update_rules.py) and the proposal of a revised date are the
pipeline's; the words are the card's (cards/update_wording.py). An action outside the viewer's scope
answers 404 with the grid's words, so the tab never confirms that it exists. History: the person,
channel "tab".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from aiohttp import web
from sqlalchemy.orm import Session

from cards.inspection_update import owner_statuses
from cards.update import NO_DELAY_TITLE
from cards.update_parts import status_title
from cards.update_wording import error_messages, next_step, outcome_message, stale_notice
from domain.permissions import Viewer
from domain.update_views import (
    ACTION,
    ACTION_INPUTS,
    ACTION_OWNER_STATUSES,
    CLOSED,
    FORM,
    INSPECTION,
    INSPECTION_INPUTS,
    INVALID,
    NO_DELAY,
    SAVED,
    STALE,
    UpdateOutcome,
)
from store.history import ChangeContext
from store.queries.detail import action_detail, inspection_detail
from store.updates.pipeline import apply_update, load_for_update
from web.api import NOT_FOUND as NOT_FOUND_WORDS  # the grid's words for what is not in your scope
from web.edit import CHANNEL
from web.signin import TabContext, authenticated, problem

__all__ = ["add_owner_update_routes"]


class _BadBody(ValueError):
    pass


@dataclass(frozen=True)
class _Kind:
    """What differs between updating an action and an HMICFRS item, here (the pipeline has its own)."""

    kind: str  # the pipeline's ACTION | INSPECTION
    route: str  # actions | items
    inputs: tuple[str, ...]
    visible: Callable[[Session, Viewer, str, date], bool]  # in the viewer's scope (else a 404)


_KINDS = (
    _Kind(ACTION, "actions", ACTION_INPUTS, lambda s, v, ref, today: action_detail(s, v, ref, today) is not None),
    _Kind(INSPECTION, "items", INSPECTION_INPUTS, lambda s, v, ref, _today: inspection_detail(s, v, ref) is not None),
)


def _parse(raw: bytes, inputs: tuple[str, ...]) -> tuple[int, dict[str, str]]:
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise _BadBody("send the update as a JSON object") from None
    if not isinstance(body, dict):
        raise _BadBody("send the update as a JSON object")
    unknown = sorted(set(body) - {"version", *inputs})
    if unknown:
        raise _BadBody(f"{unknown[0]} is not part of an update; send {', '.join(inputs)}")
    version = body.pop("version", None)
    if not isinstance(version, int) or isinstance(version, bool):
        raise _BadBody("version (the action's version when you opened it) is required")
    if not all(isinstance(v, str) or v is None for v in body.values()):
        raise _BadBody("each field of an update is text")
    return version, {k: v for k, v in body.items() if v is not None}


def _form(outcome: UpdateOutcome) -> dict[str, Any]:
    item = outcome.item
    assert item is not None
    common = {
        "ref": item.ref,
        "kind": outcome.kind,
        "version": item.version,
        "status": item.status,
        "evidence_note": item.evidence_note,
        "evidence_link": item.evidence_link,
    }
    if outcome.action is None:
        assert outcome.inspection is not None
        statuses = owner_statuses(outcome.inspection)
        return common | {"statuses": [{"value": s, "title": status_title(s)} for s in statuses], "delay_reasons": []}
    action = outcome.action
    # "No delay" clears a stored reason; where the rules keep one, they say so beside the field.
    reasons = [{"value": NO_DELAY, "title": NO_DELAY_TITLE}] + [{"value": r, "title": r} for r in outcome.delay_reasons]
    return common | {
        "statuses": [{"value": s, "title": status_title(s)} for s in ACTION_OWNER_STATUSES],
        "delay_reasons": reasons,
        "delay_reason": action.delay_reason,
        "due_date": action.due_date.isoformat(),
        "effective_due_date": action.effective_due_date.isoformat(),
        "pending_date": action.pending_date.isoformat() if action.pending_date else None,
        "overdue": action.overdue,
    }


def _refused(outcome: UpdateOutcome) -> web.Response:
    """Not saved: the card's words, with the status a page can act on."""
    if outcome.status == INVALID:
        return web.json_response(
            {"error": outcome_message(outcome), "code": INVALID, "problems": error_messages(outcome.errors)}, status=422
        )
    version = outcome.item.version if outcome.item else None
    if outcome.status == STALE:
        return web.json_response({"error": stale_notice(outcome), "code": STALE, "version": version}, status=409)
    if outcome.refusal == CLOSED:
        return problem(409, CLOSED, outcome_message(outcome))
    return problem(403, outcome.refusal or "not_permitted", outcome_message(outcome))


def add_owner_update_routes(app: web.Application, ctx: TabContext) -> None:
    for kind in _KINDS:
        _add_routes(app, ctx, kind)


def _add_routes(app: web.Application, ctx: TabContext, kind: _Kind) -> None:
    async def form(request: web.Request, viewer: Viewer) -> web.Response:
        ref, today = request.match_info["ref"], ctx.today()

        def read(session: Session) -> UpdateOutcome | None:
            if not kind.visible(session, viewer, ref, today):
                return None
            return load_for_update(session, viewer, kind=kind.kind, ref=ref, today=today)

        outcome = await ctx.run(read)
        if outcome is None:
            return problem(404, "not_found", NOT_FOUND_WORDS)
        return web.json_response(_form(outcome)) if outcome.status == FORM else _refused(outcome)

    async def save(request: web.Request, viewer: Viewer) -> web.Response:
        ref, today, now = request.match_info["ref"], ctx.today(), ctx.clock()
        try:
            version, submission = _parse(await request.read(), kind.inputs)
        except _BadBody as bad:
            return problem(400, "bad_body", str(bad))

        def apply(session: Session) -> UpdateOutcome | None:
            if not kind.visible(session, viewer, ref, today):
                return None
            change = ChangeContext(actor=viewer.email, channel=CHANNEL, at=now)
            return apply_update(
                session,
                viewer,
                kind=kind.kind,
                ref=ref,
                submission=submission,
                expected_version=version,
                ctx=change,
                today=today,
            )

        outcome = await ctx.run(apply)
        if outcome is None:
            return problem(404, "not_found", NOT_FOUND_WORDS)
        if outcome.status != SAVED:
            return _refused(outcome)
        item = outcome.item
        return web.json_response(
            {
                "outcome": SAVED,
                "message": outcome_message(outcome),
                "next": next_step(outcome),
                "changed": list(outcome.changed),
                "version": item.version if item else None,
                "replayed": outcome.replayed,
            }
        )

    app.router.add_get(f"/api/tab/{kind.route}/{{ref}}/update", authenticated(ctx, form))
    app.router.add_post(f"/api/tab/{kind.route}/{{ref}}/update", authenticated(ctx, save))
