"""The tab's JSON API under /api/tab/: every route finds the viewer first and asks the store in
their scope (store/queries/scope.py on domain/permissions.py, the bot's one rule).

    GET /api/tab/config          local mode or not (no sign-in needed; nothing secret)
    GET /api/tab/local/people    local mode only: the demo people to act as
    GET /api/tab/me              who the viewer is, their roles and groups
    GET /api/tab/choices         what the grid's filters offer them
    GET /api/tab/grid            one page of the tracker (web/params.py reads the filters)
    GET /api/tab/actions/{ref}   an action with its full history (404 outside their scope)
    GET /api/tab/items/{ref}     an HMICFRS item with its full history (404 outside their scope)
    PATCH /api/tab/actions/{ref} governance edits an action's own fields (web/edit.py)
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.answers import HistoryLine
from domain.permissions import Viewer
from store.db.models import Action, Person
from store.queries.detail import action_detail, inspection_detail
from store.queries.grid import full_history, grid_page
from store.queries.grid_choices import grid_choices
from web.params import BadQuery, grid_query
from web.signin import TabContext, authenticated, problem

__all__ = ["add_api_routes", "PREFIX", "NOT_FOUND"]

PREFIX = "/api/tab"
NOT_FOUND = "No such action in what you may see: check the reference."


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _json(body: Any, status: int = 200) -> web.Response:
    if dataclasses.is_dataclass(body) and not isinstance(body, type):
        body = dataclasses.asdict(body)
    return web.Response(
        text=json.dumps(body, default=_plain),
        status=status,
        content_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


def _lines(history: tuple[HistoryLine, ...]) -> list[dict[str, Any]]:
    return [dataclasses.asdict(line) for line in history]


def _local_people(session: Session) -> list[dict[str, Any]]:
    people = session.scalars(select(Person).where(Person.active.is_(True)).order_by(Person.name))
    return [
        {
            "id": p.id,
            "name": p.name,
            "roles": sorted(p.role_names),
            "group": p.business_group.name if p.business_group else None,
        }
        for p in people
    ]


def _me(viewer: Viewer) -> dict[str, Any]:
    return {
        "name": viewer.name,
        "email": viewer.email,
        "roles": sorted(viewer.roles),
        "group": viewer.group,
        "leads": [{"role": r, "group": g} for r, g in viewer.leads],
        "governance": viewer.is_governance,
    }


def add_api_routes(app: web.Application, ctx: TabContext) -> None:
    async def config(_request: web.Request) -> web.Response:
        return _json({"localMode": ctx.validator is None, "appId": ctx.settings.app_id or None})

    async def local_people(_request: web.Request) -> web.Response:
        if ctx.validator is not None:
            return problem(403, "local_mode_off", "Local mode is off on this server (an app id is set).")
        return _json({"people": await ctx.run(_local_people)})

    async def me(_request: web.Request, viewer: Viewer) -> web.Response:
        return _json(_me(viewer))

    async def choices(_request: web.Request, viewer: Viewer) -> web.Response:
        found = await ctx.run(grid_choices, viewer)
        return _json(
            {
                "groups": list(found.groups),
                "audits": [{"id": a, "title": t} for a, t in found.audits],
                "owners": [{"id": i, "name": n} for i, n in found.owners],
            }
        )

    async def grid(request: web.Request, viewer: Viewer) -> web.Response:
        query = request.rel_url.query
        try:
            asked = grid_query(
                {k: query.get(k, "") for k in query}, {k: query.getall(k, []) for k in ("group", "status", "risk")}
            )
        except BadQuery as bad:
            return problem(400, "bad_query", str(bad))
        return _json(await ctx.run(grid_page, viewer, asked, today=ctx.today()))

    async def action(request: web.Request, viewer: Viewer) -> web.Response:
        ref = request.match_info["ref"]

        def read(session: Session) -> dict[str, Any] | None:
            detail = action_detail(session, viewer, ref, ctx.today())
            if detail is None:
                return None
            version = session.scalar(select(Action.version).where(Action.ref == detail.ref))
            history = _lines(full_history(session, entity="action", ref=detail.ref))
            return {**dataclasses.asdict(detail), "version": version, "history": history}

        found = await ctx.run(read)
        return _json(found) if found else problem(404, "not_found", NOT_FOUND)

    async def item(request: web.Request, viewer: Viewer) -> web.Response:
        ref = request.match_info["ref"]

        def read(session: Session) -> dict[str, Any] | None:
            detail = inspection_detail(session, viewer, ref)
            if detail is None:
                return None
            return {
                **dataclasses.asdict(detail),
                "history": _lines(full_history(session, entity="inspection", ref=detail.ref)),
            }

        found = await ctx.run(read)
        return _json(found) if found else problem(404, "not_found", NOT_FOUND)

    app.router.add_get(f"{PREFIX}/config", config)
    app.router.add_get(f"{PREFIX}/local/people", local_people)
    app.router.add_get(f"{PREFIX}/me", authenticated(ctx, me))
    app.router.add_get(f"{PREFIX}/choices", authenticated(ctx, choices))
    app.router.add_get(f"{PREFIX}/grid", authenticated(ctx, grid))
    app.router.add_get(f"{PREFIX}/actions/{{ref}}", authenticated(ctx, action))
    app.router.add_get(f"{PREFIX}/items/{{ref}}", authenticated(ctx, item))
