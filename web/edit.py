"""PATCH /api/tab/actions/{ref}: governance edits the fields it owns, all or nothing.

    {"version": 3, "title": "...", "risk": "high", "audit": "DARA-2020-07", "due_date": "2027-03-31",
     "revised_due_date": null, "owner_email": "sam.spencer@met.police.example"}

``version`` (from GET /api/tab/actions/{ref}) is required: an edit made on an action someone else
changed meanwhile is refused (409). The fields go through `store.updates.edits.edit_action`, the owner
through `store.people.reassign.reassign_action` (the bot's reassignment, the open cycle following),
in one transaction: if either refuses, nothing is saved. The history names the person, channel "tab".
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from aiohttp import web
from sqlalchemy.orm import Session

from cards.edit_wording import edit_outcome_words, edit_problem_words
from cards.people import reassign_problem
from domain.permissions import Viewer
from store.history import ChangeContext
from store.people.reassign import REASSIGNED, SAME_OWNER, Reassigned, reassign_action
from store.updates.edits import EDITED, KEEP, UNCHANGED, ActionEdit, EditResult, edit_action
from web.signin import TabContext, authenticated, problem

__all__ = ["add_edit_routes", "CHANNEL"]

CHANNEL = "tab"
_FIELDS = {"version", "title", "risk", "audit", "due_date", "revised_due_date", "owner_email"}
_STATUS = {"not_found": 404, "not_permitted": 403, "stale": 409, "invalid": 422}


class _BadBody(ValueError):
    pass


class _Rollback(Exception):
    def __init__(self, result: Reassigned) -> None:
        super().__init__(result.outcome)
        self.result = result


def _day(body: dict[str, Any], name: str, *, nullable: bool) -> Any:
    if name not in body:
        return KEEP
    value = body[name]
    if value is None and nullable:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _BadBody(f"{name} must be a date as YYYY-MM-DD{' or null' if nullable else ''}") from None


def _text(body: dict[str, Any], name: str) -> Any:
    if name not in body:
        return KEEP
    if not isinstance(body[name], str):
        raise _BadBody(f"{name} must be text")
    return body[name]


def _parse(raw: bytes) -> tuple[int, ActionEdit, str | None]:
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise _BadBody("send the changes as a JSON object") from None
    if not isinstance(body, dict):
        raise _BadBody("send the changes as a JSON object")
    unknown = sorted(set(body) - _FIELDS)
    if unknown:
        raise _BadBody(f"{unknown[0]} cannot be edited here; editable: {', '.join(sorted(_FIELDS - {'version'}))}")
    version = body.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _BadBody("version (the action's version when you opened it) is required")
    owner = body.get("owner_email")
    if owner is not None and not isinstance(owner, str):
        raise _BadBody("owner_email must be text")
    edit = ActionEdit(
        title=_text(body, "title"),
        risk=_text(body, "risk"),
        audit=_text(body, "audit"),
        due_date=_day(body, "due_date", nullable=False),
        revised_due_date=_day(body, "revised_due_date", nullable=True),
    )
    return version, edit, owner


def add_edit_routes(app: web.Application, ctx: TabContext) -> None:
    async def edit(request: web.Request, viewer: Viewer) -> web.Response:
        ref = request.match_info["ref"]
        try:
            version, changes, owner = _parse(await request.read())
        except _BadBody as bad:
            return problem(400, "bad_body", str(bad))
        if not viewer.may_edit_tracker:  # the service refuses too; this answers before reading anything
            return problem(403, "not_permitted", edit_outcome_words("not_permitted", ref))
        now = ctx.clock()

        def apply(session: Session) -> EditResult:
            change = ChangeContext(actor=viewer.email, channel=CHANNEL, at=now)
            result = edit_action(session, viewer, ref, changes, version=version, ctx=change)
            if result.outcome not in (EDITED, UNCHANGED) or owner is None:
                return result
            moved = reassign_action(session, viewer, result.ref, owner, ctx=change, today=ctx.today())
            if moved.outcome not in (REASSIGNED, SAME_OWNER):
                raise _Rollback(moved)  # leaves the transaction: the field changes are undone too
            if moved.outcome == REASSIGNED:
                return EditResult(EDITED, result.ref, result.version, (*result.changed, "owner_email"))
            return result

        try:
            result = await ctx.run(apply)
        except _Rollback as refused:
            words = reassign_problem(vars(refused.result))
            return web.json_response(
                {"error": words, "code": refused.result.outcome, "problems": {"owner_email": words}}, status=422
            )
        if result.outcome in _STATUS:
            return web.json_response(
                {
                    "error": edit_outcome_words(result.outcome, result.ref),
                    "code": result.outcome,
                    "version": result.version,
                    "problems": edit_problem_words(result.problems),
                },
                status=_STATUS[result.outcome],
            )
        return web.json_response(
            {
                "outcome": result.outcome,
                "message": edit_outcome_words(result.outcome, result.ref, result.changed),
                "changed": list(result.changed),
            }
        )

    app.router.add_patch("/api/tab/actions/{ref}", authenticated(ctx, edit))
