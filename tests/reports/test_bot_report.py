"""The panel report in Teams, end to end over HTTP with the demo tracker: governance gets the card
(figures equal to reports.figures) and a signed link that serves the Excel pack; others are refused."""

from __future__ import annotations

import io
import logging
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlparse

from openpyxl import load_workbook

from config import Settings
from reports.links import sign_report_token
from reports.workbook_charts import CHART_SHEETS
from store.db.engine import make_engine, make_sessionmaker
from tests.cardcheck import assert_valid_cards
from tests.conftest import NOW
from tests.fakes.live_bot import LiveBot
from tests.reports.load import figures_as_of

TODAY = NOW.date()
SECRET = "test-link-secret-of-at-least-32-characters"


def clock() -> datetime:
    return NOW


def _person_id(url: str, key: str) -> int:
    from sqlalchemy import select

    from store.db.models import Person

    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            return session.scalar(select(Person.id).where(Person.aad_object_id == LiveBot.user(key).aad_object_id))
    finally:
        engine.dispose()


def expected_figures(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            return figures_as_of(session, TODAY)
    finally:
        engine.dispose()


def facts(card: dict[str, Any]) -> dict[str, str]:
    [fact_set] = [el for el in card["body"] if el["type"] == "FactSet"]
    return {f["title"]: f["value"] for f in fact_set["facts"]}


def charts(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {el["title"]: el for el in card["body"] if el["type"].startswith("Chart.")}


async def get(live: LiveBot, path: str) -> tuple[int, bytes, str]:
    async with live.http.get(f"{live.url}{path}") as response:
        return response.status, await response.read(), response.headers.get("Content-Type", "")


async def test_governance_gets_the_figures_and_downloads_the_pack(database_url: str, caplog) -> None:
    caplog.set_level(logging.INFO, logger="bot.features.report")
    settings = Settings(database_url=database_url, link_secret=SECRET)
    async with LiveBot.running(database_url, clock=clock, settings=settings) as live:
        reply = await live.say(live.user("grace"), "panel report")
        [card] = reply.cards
        assert_valid_cards(card)
        f = expected_figures(database_url)
        shown = facts(card)
        assert shown["Outstanding actions"] == (
            f"{f['outstanding']['total']} ({f['previous_quarter']['outstanding']['total']} at the end of last quarter)"
        )
        assert shown["Past original due date"] == (
            f"{f['overdue']['total']} ({f['previous_quarter']['overdue']['total']} last quarter); "
            f"{f['overdue']['with_revised_date']} with an agreed revised date"
        )
        assert shown["Due in the next 12 months"] == (
            f"{f['forthcoming']['next_12_months']}, of which {f['forthcoming']['by_quarter_end']} by the end of the quarter"
        )
        assert shown["Delivered this quarter"] == (
            f"{f['delivered']['total']} ({f['delivered']['original']} original, {f['delivered']['follow_up']} follow-up)"
        )
        assert shown["New actions this quarter"] == str(f["new_in_quarter"])
        assert shown["Open HMICFRS items"] == str(f["inspections"]["open"])
        # The demo mirrors the seed's table: 44 / 8 / 49 / 42 outstanding.
        assert [(g["group"], g["outstanding"]) for g in f["by_group"]] == [
            ("Corporate Services", 44),
            ("Frontline Policing", 8),
            ("Met Operations", 49),
            ("Professionalism", 42),
        ]

        by_group = charts(card)["Outstanding actions by business group"]
        assert by_group["type"] == "Chart.HorizontalBar.Stacked" and by_group["fallback"]["type"] == "Table"
        # one stacked bar per group: its parts are overdue and not yet due (legends carry their totals)
        series: dict[str, list[int]] = {}
        for bar in by_group["data"]:
            for part in bar["data"]:
                series.setdefault(part["legend"].split(" (")[0], []).append(part["value"])
        assert series["Overdue"] == [g["overdue"] for g in f["by_group"]]
        assert [o + n for o, n in zip(series["Overdue"], series["Not yet due"])] == [
            g["outstanding"] for g in f["by_group"]
        ]
        reasons = charts(card)["Delay reasons for current actions"]
        assert reasons["type"] == "Chart.HorizontalBar" and reasons["fallback"]["type"] == "Table"
        assert sum(p["y"] for p in reasons["data"]) == sum(f["delay_reasons"].values())
        themes = charts(card)["Key themes of outstanding actions"]
        # a donut shows at most five categories; more are bars (issue 24)
        assert themes["type"] == ("Chart.Donut" if len(f["key_themes"]) <= 5 else "Chart.HorizontalBar")
        assert themes["fallback"]["type"] == "Table"
        assert sum(_values(themes)) == sum(f["key_themes"].values())
        by_quarter = charts(card)["Open actions by quarter of original due date"]
        assert sum(_values(by_quarter)) == f["outstanding"]["total"]

        [download] = [a for a in card["actions"] if a["type"] == "Action.OpenUrl"]
        assert download["title"] == "Download the Excel pack"
        link = urlparse(download["url"])
        assert f"{link.scheme}://{link.netloc}" == settings.base_url and link.path.startswith("/reports/")
        status, body, content_type = await get(live, link.path)
        assert status == 200 and content_type.startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
        # The link says who it was made for, and the download is logged with that person.
        grace_id = _person_id(database_url, "grace")
        assert link.path.split("/")[-1].split(".")[2] == str(grace_id)
        assert any(f"made for person {grace_id}" in r.getMessage() for r in caplog.records)
        book = load_workbook(io.BytesIO(body))
        by_group = list(book["Outstanding by group"].iter_rows(values_only=True))
        last = len(by_group) - 1
        assert by_group[-1][:3] == ("Total", f"=SUM(B2:B{last})", f"=SUM(C2:C{last})")
        assert sum(r[1] for r in by_group[1:-1]) == f["outstanding"]["total"]
        assert sum(r[2] for r in by_group[1:-1]) == f["overdue"]["total"]
        assert all(len(book[sheet]._charts) == 1 for sheet in CHART_SHEETS.values())  # native Excel charts


def _values(chart: dict) -> list[int]:
    """Every number a chart element draws, whatever its kind (donut, bars, stacked or grouped bars)."""
    out: list[int] = []
    for point in chart["data"]:
        if "data" in point:  # a stacked bar: its parts
            out += [part["value"] for part in point["data"]]
        elif "values" in point:  # a series of grouped bars
            out += [p["y"] for p in point["values"]]
        else:
            out.append(point["value"] if "value" in point else point["y"])
    return out


async def test_expired_or_forged_links_are_refused(sqlite_url: str) -> None:
    settings = Settings(database_url=sqlite_url, link_secret=SECRET)
    async with LiveBot.running(sqlite_url, clock=clock, settings=settings) as live:
        good = sign_report_token(SECRET, TODAY, NOW, made_for=1)
        assert (await get(live, f"/reports/{good}"))[0] == 200
        expired = sign_report_token(SECRET, TODAY, NOW - timedelta(minutes=16), made_for=1)
        status, body, _ = await get(live, f"/reports/{expired}")
        assert status == 403 and b"expired" in body
        other_key = sign_report_token("someone-else", TODAY, NOW, made_for=1)
        day, expires, person, _sig = good.split(".")
        for forged in (
            other_key,
            f"{day}.{int(expires) + 3600}.{person}.{_sig}",
            f"2020-01-01.{expires}.{person}.{_sig}",
            f"{day}.{expires}.2.{_sig}",
            "nonsense",
        ):
            status, body, _ = await get(live, f"/reports/{forged}")
            assert status == 403 and body == b"This download link is not valid.", forged


async def test_only_governance_may_have_the_panel_report(sqlite_url: str) -> None:
    async with LiveBot.running(sqlite_url, clock=clock) as live:
        for who in ("olivia", "colin"):
            reply = await live.say(live.user(who), "panel report")
            [card] = reply.cards
            assert_valid_cards(card)
            text = reply.card_text()
            assert "The panel report is for governance" in text
            assert "Outstanding actions" not in text and not card.get("actions")
