"""Governance adds to the tracker from the tab: a new audit with its actions, and new HMICFRS items.

    POST /api/tab/audits  {"audit": {"audit_id": "DARA-2026-31", "title": "...", "received": "2026/27 Q3",
                                     "kind": "original", "assurance": "limited", "restricted": "no", "follows": ""},
                           "actions": [{"ref": "", "description": "...", "risk": "high",
                                        "business_group": "Met Operations", "owner_email": "...",
                                        "due_date": "2027-03-31", "key_theme": ""}, ...]}
    POST /api/tab/items   {"items": [{"ref": "HMI-2026-901", "inspection": "...", "inspection_year": "2026/27",
                                      "scope": "force", "kind": "rec", ...}, ...]}

Both go through store/updates/creation.py: the workbook import's rules, all or nothing. 201 with what
was added; 422 with every problem by section, row and field, in the import's words
(cards/import_wording.py); 403 for anyone but governance (the service refuses them too).
"""

from __future__ import annotations

import json
from typing import Any, Callable

from aiohttp import web
from sqlalchemy.orm import Session

from cards.import_wording import problem_line, reason_words
from domain.permissions import Viewer
from store.history import ChangeContext
from store.updates.creation import CREATED, NOT_PERMITTED, Creation, add_audit, add_inspection_items
from web.edit import CHANNEL
from web.signin import TabContext, authenticated, problem

__all__ = ["add_create_routes", "MAX_ROWS"]

MAX_ROWS = 500  # a new report has tens of actions; more is a workbook's job (upload it)
_NOT_PERMITTED = "Only Strategy & Governance add audits and inspection items to the tracker."


class _BadBody(ValueError):
    pass


def _row(value: Any, what: str) -> dict[str, Any]:
    """One row: a JSON object of plain values (the import's parsers read text, numbers and yes/no)."""
    if not isinstance(value, dict) or not all(
        isinstance(v, (str, int, float, bool)) or v is None for v in value.values()
    ):
        raise _BadBody(f"each of {what} must be an object of text values")
    return value


def _rows(body: dict[str, Any], name: str) -> list[dict[str, Any]]:
    rows = body.get(name)
    if not isinstance(rows, list):
        raise _BadBody(f"{name} must be a list")
    if len(rows) > MAX_ROWS:
        raise _BadBody(f"at most {MAX_ROWS} {name} at once: upload a workbook for more")
    return [_row(r, name) for r in rows]


def _body(raw: bytes, names: set[str]) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        raise _BadBody("send a JSON object") from None
    if not isinstance(body, dict):
        raise _BadBody("send a JSON object")
    unknown = sorted(set(body) - names)
    if unknown:
        raise _BadBody(f"unknown part {unknown[0]!r}: send {', '.join(sorted(names))}")
    return body


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _audit_added(refs: tuple[str, ...]) -> str:
    return f"Added {refs[0]} and its {_plural(len(refs) - 1, 'action')}: {', '.join(refs[1:])}."


def _items_added(refs: tuple[str, ...]) -> str:
    return f"Added {_plural(len(refs), 'inspection item')}: {', '.join(refs)}."


def _answer(result: Creation, added: Callable[[tuple[str, ...]], str]) -> web.Response:
    if result.outcome == CREATED:
        return web.json_response(
            {"outcome": CREATED, "refs": list(result.refs), "message": added(result.refs)}, status=201
        )
    if result.outcome == NOT_PERMITTED:
        return problem(403, NOT_PERMITTED, _NOT_PERMITTED)
    problems = [
        {
            "section": p.sheet,
            "row": p.row,
            "field": p.column,
            "code": p.code.value,
            "message": reason_words(p),
            "line": problem_line(p),
        }
        for p in result.problems
    ]
    return web.json_response(
        {
            "error": f"Nothing was added: {_plural(len(problems), 'problem')} to fix.",
            "code": "invalid",
            "problems": problems,
        },
        status=422,
    )


def add_create_routes(app: web.Application, ctx: TabContext) -> None:
    async def run(
        viewer: Viewer, create: Callable[..., Creation], added: Callable[[tuple[str, ...]], str], *args: Any
    ) -> web.Response:
        now = ctx.clock()

        def apply(session: Session) -> Creation:
            change = ChangeContext(actor=viewer.email, channel=CHANNEL, at=now)
            return create(session, viewer, *args, ctx=change, today=ctx.today())

        return _answer(await ctx.run(apply), added)

    async def audits(request: web.Request, viewer: Viewer) -> web.Response:
        if not viewer.may_import:  # the service refuses too; this answers before reading the body
            return problem(403, NOT_PERMITTED, _NOT_PERMITTED)
        try:
            body = _body(await request.read(), {"audit", "actions"})
            audit, actions = _row(body.get("audit"), "audit"), _rows(body, "actions")
        except _BadBody as bad:
            return problem(400, "bad_body", str(bad))
        return await run(viewer, add_audit, _audit_added, audit, actions)

    async def items(request: web.Request, viewer: Viewer) -> web.Response:
        if not viewer.may_import:
            return problem(403, NOT_PERMITTED, _NOT_PERMITTED)
        try:
            rows = _rows(_body(await request.read(), {"items"}), "items")
        except _BadBody as bad:
            return problem(400, "bad_body", str(bad))
        return await run(viewer, add_inspection_items, _items_added, rows)

    app.router.add_post("/api/tab/audits", authenticated(ctx, audits))
    app.router.add_post("/api/tab/items", authenticated(ctx, items))
