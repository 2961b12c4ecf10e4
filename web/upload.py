"""Governance uploads a tracker workbook from the tab: a preview first, then "apply", all or nothing.

    POST /api/tab/import/preview   the workbook (multipart ``file``, or the raw body)
        -> 200 {counts, rows, lines, token}: what would be added, changed and closed
        -> 422 {error, problems}: every problem, in the command line's words; nothing is stored
    POST /api/tab/import/apply     the same workbook again, with the preview's ``token``
        -> 200 what was imported; 409 the tracker changed since the preview (the new one comes back)

Nothing is kept between the two requests, so any instance may answer either: the page sends the file
again, and the token names both the file (its SHA-256) and what the preview showed (its digest).
``store.workbook.preview.import_previewed`` runs every check again and keeps the import only if it
changes exactly what was shown. History rows name the person, channel "tab". The words of problems
and summaries are the command line's (cards/import_wording.py).
"""

from __future__ import annotations

import dataclasses
import logging
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy.orm import Session

from cards.import_wording import import_summary, preview_lines, problem_lines, problems_heading, reason_words
from domain.import_preview import ImportPreview, preview_digest
from domain.import_problems import ImportCode, ImportProblem
from domain.permissions import Viewer
from domain.phrases import first_upper
from store.history import ChangeContext
from store.workbook import WorkbookError
from store.workbook.preview import APPLIED, Previewed, import_previewed, preview_import
from web.received import Received, receive
from web.signin import Refused, TabContext, authenticated, problem
from web.threads import in_thread

__all__ = ["add_upload_routes", "CHANNEL", "MAX_PREVIEW_ROWS"]

log = logging.getLogger(__name__)

CHANNEL = "tab"
MAX_PREVIEW_ROWS = 1000  # the counts are always whole; a 20,000-row preview lists its first rows
# The import service's own refusal, in the command line's words.
_NOT_PERMITTED = first_upper(reason_words(ImportProblem("", 0, "", ImportCode.NOT_PERMITTED))) + "."
_NOT_THIS_FILE = "This is not the workbook you previewed: preview it again, then apply."
_STALE = "The tracker changed since your preview, so nothing was imported: check the new preview, then apply it."


def _token(received: Received, preview: ImportPreview) -> str:
    return f"{received.sha256}.{preview_digest(preview)}"


def _shown(received: Received, preview: ImportPreview) -> dict[str, Any]:
    rows = [dataclasses.asdict(row) for row in preview.rows[:MAX_PREVIEW_ROWS]]
    return {
        "name": received.name,
        "added": preview.added,
        "changed": preview.changed,
        "closed": preview.closed,
        "nothing": preview.nothing,
        "rows": rows,
        "rows_total": len(preview.rows),
        "lines": preview_lines(preview)[:2],  # the counts, as the command line's dry run words them
        "token": _token(received, preview),
    }


def _problems(received: Received, exc: WorkbookError) -> web.Response:
    # The reader names the file it opened, a temporary one here: name the person's file instead.
    named = [replace(p, sheet=received.name) if p.sheet == str(received.path) else p for p in exc.problems]
    return web.json_response(
        {
            "error": problems_heading(received.name, len(named)),
            "code": "workbook_problems",
            "problems": problem_lines(named),
        },
        status=422,
        headers={"Cache-Control": "no-store"},
    )


def add_upload_routes(app: web.Application, ctx: TabContext) -> None:
    def change(viewer: Viewer, at: datetime) -> ChangeContext:
        return ChangeContext(actor=viewer.email, channel=CHANNEL, at=at)

    async def preview(request: web.Request, viewer: Viewer) -> web.Response:
        if not viewer.may_import:  # the service refuses too; this answers before reading the upload
            return problem(403, "not_permitted", _NOT_PERMITTED)
        today, at = ctx.today(), ctx.clock()
        with tempfile.TemporaryDirectory(prefix="tab-upload-") as folder:
            received = await receive(request, Path(folder))

            def look(session: Session) -> ImportPreview:
                return preview_import(session, viewer, path=received.path, ctx=change(viewer, at), today=today)

            try:
                found = await in_thread(ctx, look)
            except WorkbookError as exc:
                log.info("tab upload preview refused: %d problems", len(exc.problems))
                return _problems(received, exc)
        log.info("tab upload previewed by person %s: %d rows", viewer.person_id, len(found.rows))
        return web.json_response(_shown(received, found), headers={"Cache-Control": "no-store"})

    async def apply(request: web.Request, viewer: Viewer) -> web.Response:
        if not viewer.may_import:
            return problem(403, "not_permitted", _NOT_PERMITTED)
        today, at = ctx.today(), ctx.clock()
        with tempfile.TemporaryDirectory(prefix="tab-upload-") as folder:
            received = await receive(request, Path(folder))
            file_sha, _dot, digest = received.preview.partition(".")
            if not received.preview:
                raise Refused(
                    400, "no_preview", "Preview the workbook first, then apply it (no preview token was sent)."
                )
            if file_sha != received.sha256 or not digest:
                return problem(409, "not_previewed", _NOT_THIS_FILE)

            def keep(session: Session) -> Previewed:
                return import_previewed(
                    session, viewer, path=received.path, ctx=change(viewer, at), expected=digest, today=today
                )

            try:
                done = await in_thread(ctx, keep)
            except WorkbookError as exc:
                return _problems(received, exc)
        if done.outcome != APPLIED or done.result is None:
            log.info("tab upload not applied: the tracker changed since the preview")
            body = {"error": _STALE, "code": "stale", "preview": _shown(received, done.preview)}
            return web.json_response(body, status=409, headers={"Cache-Control": "no-store"})
        result = done.result
        log.info("tab upload applied by person %s: %d history rows", viewer.person_id, result.history_rows)
        summary = import_summary(result.created, result.updated)
        return web.json_response(
            {
                "outcome": APPLIED,
                "message": f"Imported {received.name}: {summary} ({result.history_rows} history rows).",
                "created": result.created,
                "updated": result.updated,
                "closed": done.preview.closed,
                "history_rows": result.history_rows,
            },
            headers={"Cache-Control": "no-store"},
        )

    app.router.add_post("/api/tab/import/preview", authenticated(ctx, preview))
    app.router.add_post("/api/tab/import/apply", authenticated(ctx, apply))
