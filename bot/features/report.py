"""Governance asks for the "panel report": a card of headline figures and charts, and a short-lived
signed link (GET /reports/{token}) from which the bot serves the Excel pack."""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.routing import intent
from bot.services import BotServices
from bot.turn import Turn
from cards.report import PanelReportData, panel_report_card, panel_report_refused_card
from observability.metrics import report_build
from questions import Intent, Question
from reports import Report, frames_from_tables, history_since, report_from_frames
from reports.frames import Tables
from reports.links import LINK_LIFETIME, LinkError, LinkExpired, sign_report_token, verify_report_token
from reports.narrative import sentences
from store.queries.tables import load_tables

__all__ = ["panel_report", "add_report_routes", "report_url", "card_data"]

log = logging.getLogger(__name__)
# Any text after /reports/ reaches the handler (even "{" or an encoded "/"), so every token gets its
# one WARNING line and a 403, never the router's silent 404.
ROUTE = r"/reports/{token:[\s\S]+}"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_url(services: BotServices, as_of: date, made_for: int) -> str:
    token = sign_report_token(services.settings.link_key, as_of, services.now(), made_for=made_for)
    return f"{services.settings.base_url.rstrip('/')}/reports/{token}"


def card_data(report: Report, download_url: str | None) -> PanelReportData:
    table = report.open_by_quarter
    series = tuple((str(g), tuple(int(v) for v in table[g])) for g in table.columns)
    return PanelReportData(
        figures=report.figures,
        sentences=sentences(report.figures, report.previous_response_rate),
        quarter_categories=tuple(str(q) for q in table.index),
        quarter_series=series,
        download_url=download_url,
        link_minutes=int(LINK_LIFETIME.total_seconds() // 60),
    )


@intent(Intent.PANEL_REPORT)
async def panel_report(turn: Turn, question: Question) -> None:
    viewer = turn.viewer
    if viewer is None or not viewer.is_governance:
        await turn.send_card(panel_report_refused_card(turn.services.settings.governance_contact))
        return
    today = turn.today()
    with report_build("teams"):
        tables = await turn.services.run(load_tables, history_since(today))
        report = await asyncio.to_thread(
            _report, tables, today, turn.services.settings.zone
        )  # pandas work off the event loop
    log.info("panel report as at %s for person %s", today, viewer.person_id)
    await turn.send_card(panel_report_card(card_data(report, report_url(turn.services, today, viewer.person_id))))


def _report(tables: Tables, as_of: date, zone: ZoneInfo) -> Report:
    return report_from_frames(frames_from_tables(tables), as_of, zone=zone)


def _workbook(tables: Tables, as_of: date, zone: ZoneInfo) -> bytes:
    """The Excel pack (its charts are native Excel charts) for one report date: CPU work, run off the event loop."""
    from reports.pack import workbook_bytes

    return workbook_bytes(_report(tables, as_of, zone))


def add_report_routes(app: web.Application, services: BotServices) -> None:
    """GET /reports/{token}: the Excel pack, for a genuine unexpired token; 403 otherwise."""

    async def download(request: web.Request) -> web.StreamResponse:
        try:
            grant = verify_report_token(services.settings.link_key, request.match_info["token"], services.now())
        except LinkExpired:
            log.warning("panel pack download refused: expired link")
            return web.Response(
                status=403,
                text="This download link has expired. Ask the bot for the panel report again to get a new one.",
                content_type="text/plain",
            )
        except LinkError:
            log.warning("panel pack download refused: invalid link")
            return web.Response(status=403, text="This download link is not valid.", content_type="text/plain")
        as_of = grant.as_of
        log.info("panel pack as at %s downloaded with a link made for person %d", as_of, grant.made_for)
        tables = await services.run(load_tables, history_since(as_of))
        body = await asyncio.to_thread(_workbook, tables, as_of, services.settings.zone)
        headers: dict[str, Any] = {
            "Content-Disposition": f'attachment; filename="audit-panel-pack-{as_of.isoformat()}.xlsx"',
            "Cache-Control": "no-store",
        }
        return web.Response(body=body, content_type=_XLSX, headers=headers)

    app.router.add_get(ROUTE, download)
