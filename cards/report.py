"""The Audit Panel report card: headline figures, the seed's key sentences, Teams charts (each with a
Table fallback) and a link to download the Excel pack. Pure: plain data in, card JSON out."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from cards.charts import chart_element
from cards.common import adaptive_card, fmt_date, heading, message, open_url, text
from domain.answers import Chart

__all__ = ["PanelReportData", "panel_report_card", "panel_report_refused_card", "headline_facts", "top_counts"]

_TOP = 8  # categories shown in the reason / theme charts; the rest are summed into "Other"
_MAX_BYTES = 25 * 1024  # headroom under Teams' 28 KB for the activity around the card


@dataclass(frozen=True)
class PanelReportData:
    figures: dict[str, Any]  # reports.figures document (the `report --json` keys)
    sentences: dict[str, str]  # reports.narrative.sentences(figures)
    quarter_categories: tuple[str, ...] = ()  # quarters of the original due date, oldest first
    quarter_series: tuple[tuple[str, tuple[int, ...]], ...] = ()  # (business group, count per quarter)
    download_url: str | None = None
    link_minutes: int = 15  # how long the download link works


def top_counts(counts: dict[str, int], limit: int = _TOP) -> tuple[tuple[str, ...], tuple[int, ...]]:
    items = list(counts.items())
    if len(items) > limit:
        items = items[: limit - 1] + [("Other", sum(v for _, v in items[limit - 1 :]))]
    return tuple(k for k, _ in items), tuple(v for _, v in items)


def headline_facts(f: dict[str, Any]) -> list[tuple[str, str]]:
    """(title, value) pairs; every number is a figure of reports.figures, unchanged."""
    prev, rr = f["previous_quarter"], f["response_rate"]
    out, overdue, fc, dl = f["outstanding"], f["overdue"], f["forthcoming"], f["delivered"]
    return [
        ("Outstanding actions", f"{out['total']} ({prev['outstanding']['total']} at the end of last quarter)"),
        (
            "Audits with outstanding actions",
            f"{out['audits']} ({out['limited']} actions from limited-assurance "
            f"audits, {out['high_other']} other high risk)",
        ),
        (
            "Past original due date",
            f"{overdue['total']} ({prev['overdue']['total']} last quarter); "
            f"{overdue['with_revised_date']} with an agreed revised date",
        ),
        (
            "Due in the next 12 months",
            f"{fc['next_12_months']}, of which {fc['by_quarter_end']} by the end of the quarter",
        ),
        ("Delivered this quarter", f"{dl['total']} ({dl['original']} original, {dl['follow_up']} follow-up)"),
        ("New actions this quarter", str(f["new_in_quarter"])),
        (
            "Stale",
            f"{f['stale']['count']} (originally due before {fmt_date(date.fromisoformat(f['stale']['before']))})",
        ),
        ("Open HMICFRS items", str(f["inspections"]["open"])),
        (
            "Latest update cycle",
            f"{rr['pct']}% responded ({rr['responded']} of {rr['asked']})"
            if rr and rr["pct"] is not None
            else "no update cycle yet",
        ),
    ]


def _charts(data: PanelReportData) -> list[dict[str, Any]]:
    f = data.figures
    groups = f["by_group"]
    charts = [
        Chart(
            "stacked",
            "Outstanding actions by business group",
            tuple(g["group"] for g in groups),
            (
                ("Overdue", tuple(g["overdue"] for g in groups)),
                ("Not yet due", tuple(g["outstanding"] - g["overdue"] for g in groups)),
            ),
            x_title="Business group",
            y_title="Actions",
        )
    ]
    if data.quarter_categories:
        charts.append(
            Chart(
                "stacked",
                "Open actions by quarter of original due date",
                data.quarter_categories,
                data.quarter_series,
                x_title="Quarter due",
                y_title="Actions",
            )
        )
    reasons, reason_counts = top_counts(f["delay_reasons"])
    charts.append(
        Chart(
            "hbar",
            "Delay reasons for current actions",
            reasons,
            (("Actions", reason_counts),),
            x_title="Delay reason",
            y_title="Actions",
        )
    )
    themes, theme_counts = top_counts(f["key_themes"])
    charts.append(
        Chart("donut", "Key themes of outstanding actions", themes, (("Actions", theme_counts),), x_title="Key theme")
    )
    body = []
    for chart in charts:
        body.append(heading(chart.title, size="Default"))
        body.append(text("None recorded.", subtle=True) if chart.empty else chart_element(chart))
    return body


def panel_report_card(data: PanelReportData) -> dict[str, Any]:
    """The card; the quarter-due chart is left out when keeping it would pass Teams' 28 KB limit."""
    card = _card(data)
    if data.quarter_categories and len(json.dumps(card, separators=(",", ":"))) > _MAX_BYTES:
        card = _card(replace(data, quarter_categories=(), quarter_series=()))
    return card


def _card(data: PanelReportData) -> dict[str, Any]:
    f, said = data.figures, data.sentences
    as_of = date.fromisoformat(f["as_of"])
    body: list[dict[str, Any]] = [
        heading("Audit Panel report", size="Large"),
        text(
            f"As at {fmt_date(as_of)} ({f['quarter']}), compared with the end of the previous quarter.",
            subtle=True,
            spacing="None",
        ),
        {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in headline_facts(f)]},
        text(" ".join(said[k] for k in ("outstanding", "overdue", "forthcoming")), spacing="Medium"),
        *_charts(data),
    ]
    actions = [open_url("Download the Excel pack", data.download_url)] if data.download_url else []
    if data.download_url:
        body.append(
            text(
                f"The download link works for {data.link_minutes} minutes; ask for the panel report "
                f"again for a new one.",
                subtle=True,
                size="Small",
            )
        )
    return adaptive_card(body, actions)


def panel_report_refused_card(contact: str) -> dict[str, Any]:
    return message(
        "The panel report is for governance",
        f"The quarterly Audit Panel pack is produced by {contact}. Ask them for a copy, or type "
        f"**help** to see what you can ask me.",
    )
