"""Governance takes the tracker away from the tab: the tracker workbook and the panel pack as at a date.

    GET /api/tab/export                       the tracker as the workbook the import reads (.xlsx)
    GET /api/tab/pack?as_at=YYYY-MM-DD        the pack's figures as at that day (JSON), with its sentences
    GET /api/tab/pack.xlsx?as_at=YYYY-MM-DD   the pack's Excel workbook
    GET /api/tab/pack.html?as_at=YYYY-MM-DD   the pack's summary, its charts inside the one file

The same code as the command line's `export` (store/workbook: rows streamed to the file) and `report`
(store.queries.tables.load_tables, then reports/), so the tab's figures are the pack's and the bot's.
All of it runs on a worker thread (web/threads.py): the export of 100,000 actions takes most of a
minute, and nothing else this instance serves should wait for it. Without ``as_at`` the pack is today's;
a day before the tracker's first recorded change is refused with the command line's words.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy.orm import Session

from cards.pack_wording import before_first_change_words
from domain.localtime import local_date
from domain.permissions import Viewer
from domain.phrases import first_upper
from observability.metrics import report_build
from reports import Report, build_report, history_since
from reports.narrative import sentences
from reports.pack import XLSX_MEDIA_TYPE, workbook_bytes, workbook_name
from reports.standalone import standalone_summary_html
from store.queries.tables import first_change_at, load_tables
from store.workbook import export_workbook
from web.signin import Refused, TabContext, authenticated
from web.threads import in_thread

__all__ = ["add_download_routes"]

log = logging.getLogger(__name__)

_NOT_PERMITTED = "Only Strategy & Governance staff export the tracker or build the panel pack."
_CHUNK = 256 * 1024


def _as_at(request: web.Request, today: date) -> date:
    raw = request.rel_url.query.get("as_at", "").strip()
    if not raw:
        return today
    try:
        asked = date.fromisoformat(raw)
    except ValueError:
        raise Refused(400, "bad_date", f"as_at must be a date as YYYY-MM-DD, not {raw[:20]!r}") from None
    if asked > today:
        raise Refused(
            400,
            "future",
            f"{asked.isoformat()} is after today: the pack shows what has happened, so choose {today.isoformat()} or earlier.",
        )
    return asked


def _report(session: Session, as_at: date, zone: ZoneInfo) -> Report:
    """The report as at ``as_at``, or Refused when nothing had been recorded by then (zeros, not figures)."""
    first = first_change_at(session)
    if first is not None and as_at < (first_day := local_date(first, zone)):
        words = before_first_change_words(as_at, first_day)
        raise Refused(400, "before_first_change", f"{first_upper(words)}. Choose {first_day.isoformat()} or later.")
    with report_build("tab"):
        return build_report(load_tables(session, since=history_since(as_at)), as_at, zone=zone)


def _attachment(name: str) -> dict[str, str]:
    return {
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }


def add_download_routes(app: web.Application, ctx: TabContext) -> None:
    zone = ctx.settings.zone

    def allowed(viewer: Viewer) -> None:
        if not viewer.may_export:
            raise Refused(403, "not_permitted", _NOT_PERMITTED)

    async def export(request: web.Request, viewer: Viewer) -> web.StreamResponse:
        allowed(viewer)
        name = f"tracker-{ctx.today().isoformat()}.xlsx"
        with tempfile.TemporaryDirectory(prefix="tab-export-") as folder:
            path = Path(folder) / name
            counts = await in_thread(ctx, export_workbook, path)
            log.info("tracker exported from the tab by person %s: %s", viewer.person_id, counts)
            response = web.StreamResponse(headers={**_attachment(name), "Content-Type": XLSX_MEDIA_TYPE})
            response.content_length = path.stat().st_size
            await response.prepare(request)
            with path.open("rb") as source:
                while chunk := source.read(_CHUNK):
                    await response.write(chunk)
            await response.write_eof()
        return response

    async def pack(request: web.Request, viewer: Viewer) -> web.Response:
        allowed(viewer)
        as_at = _as_at(request, ctx.today())

        def read(session: Session) -> dict[str, Any]:
            report = _report(session, as_at, zone)
            return {
                "as_at": as_at.isoformat(),
                "figures": report.figures,
                "sentences": sentences(report.figures, report.previous_response_rate),
                "workbook": workbook_name(report),
            }

        return web.json_response(await in_thread(ctx, read), headers={"Cache-Control": "no-store"})

    async def pack_xlsx(request: web.Request, viewer: Viewer) -> web.Response:
        allowed(viewer)
        as_at = _as_at(request, ctx.today())

        def build(session: Session) -> tuple[str, bytes]:
            report = _report(session, as_at, zone)
            return workbook_name(report), workbook_bytes(report)

        name, body = await in_thread(ctx, build)
        return web.Response(body=body, content_type=XLSX_MEDIA_TYPE, headers=_attachment(name))

    async def pack_html(request: web.Request, viewer: Viewer) -> web.Response:
        allowed(viewer)
        as_at = _as_at(request, ctx.today())

        def build(session: Session) -> tuple[str, str]:
            report = _report(session, as_at, zone)
            name = workbook_name(report)
            return name.removesuffix(".xlsx") + ".html", standalone_summary_html(report, name)

        name, page = await in_thread(ctx, build)
        # A download, never shown on this origin; and should a browser show it, it runs nothing.
        headers = {
            **_attachment(name),
            "Content-Security-Policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'",
        }
        return web.Response(text=page, content_type="text/html", charset="utf-8", headers=headers)

    app.router.add_get("/api/tab/export", authenticated(ctx, export))
    app.router.add_get("/api/tab/pack", authenticated(ctx, pack))
    app.router.add_get("/api/tab/pack.xlsx", authenticated(ctx, pack_xlsx))
    app.router.add_get("/api/tab/pack.html", authenticated(ctx, pack_html))
