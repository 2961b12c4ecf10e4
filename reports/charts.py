"""PNG charts of the panel pack, drawn with matplotlib's Agg canvas (no display, no pyplot state, so
charts can be drawn from several threads of the bot at once)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from reports.report import Report

__all__ = ["CHARTS", "open_actions_chart", "counts_chart", "distribution_chart", "write_charts"]

# File name -> title (the HTML summary and the README refer to these names).
CHARTS = {
    "distribution-by-group.png": "Distribution by business group",
    "open-actions-by-group-and-quarter.png": "Open actions by business group and quarter due",
    "delay-reasons.png": "Delay reasons for current actions",
    "key-themes.png": "Key themes of outstanding actions",
}
_COLOURS = (
    "#1f4e79",
    "#2e75b6",
    "#9dc3e6",
    "#70ad47",
    "#c5e0b4",
    "#ffc000",
    "#ed7d31",
    "#a5a5a5",
    "#7030a0",
    "#264478",
)


def _empty(ax: Axes, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, color="#555555", transform=ax.transAxes)
    ax.set_axis_off()


def open_actions_chart(table: pd.DataFrame, current_quarter: str, as_of_label: str) -> Figure:
    """Stacked bars: quarters of the original due date across, business groups stacked.

    A dotted line marks the start of the current quarter: bars to its right are due this
    quarter or later; bars to its left have passed their original due date.
    """
    fig = Figure(figsize=(10, 5.2), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    if table.empty:
        _empty(ax, f"No outstanding actions as at {as_of_label}")
    else:
        x = range(len(table.index))
        bottom = pd.Series(0, index=table.index)
        for i, group in enumerate(table.columns):
            ax.bar(x, table[group], bottom=bottom, label=str(group), color=_COLOURS[i % len(_COLOURS)], width=0.7)
            bottom = bottom + table[group]
        for xi, total in zip(x, bottom):
            ax.text(xi, total, str(int(total)), ha="center", va="bottom", fontsize=8)
        ax.set_ylim(0, max(1, int(bottom.max())) * 1.15)
        labels = list(table.index)
        later = [i for i, q in enumerate(labels) if q == "Later" or (q != "Earlier" and q >= current_quarter)]
        if later:
            line = later[0] - 0.5
            ax.axvline(line, linestyle=":", color="black", linewidth=1.5)
            ax.text(line + 0.1, ax.get_ylim()[1] * 0.99, "current quarter →", fontsize=8, va="top")
        ax.set_xticks(list(x), labels, rotation=45, ha="right", fontsize=8)
        ax.set_ylabel("Outstanding actions")
        ax.set_xlabel("Quarter of original due date")
        ax.legend(fontsize=8, frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(f"{CHARTS['open-actions-by-group-and-quarter.png']} (as at {as_of_label})", fontsize=11)
    fig.tight_layout()
    return fig


def counts_chart(counts: dict[str, int], title: str, colour: str = "#2e75b6") -> Figure:
    """Horizontal bars, largest at the top, each labelled with its count."""
    height = 1.2 + 0.38 * max(1, len(counts))
    fig = Figure(figsize=(9, height), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    if not counts:
        _empty(ax, "None recorded")
    else:
        labels = [textwrap.shorten(k, 60, placeholder="…") for k in counts][::-1]
        values = list(counts.values())[::-1]
        ax.barh(labels, values, color=colour)
        for y, v in enumerate(values):
            ax.text(v, y, f" {v}", va="center", fontsize=8)
        ax.tick_params(axis="y", labelsize=8)
        ax.set_xlabel("Actions")
        ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title, fontsize=11)
    fig.tight_layout()
    return fig


def distribution_chart(rows: list[dict[str, Any]], as_of_label: str) -> Figure:
    """The paper's chart after 1.10: outstanding per business group, limited assurance and other high risk."""
    fig = Figure(figsize=(9, 1.6 + 0.5 * max(1, len(rows))), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    if not rows:
        _empty(ax, f"No outstanding actions as at {as_of_label}")
    else:
        ordered = sorted(rows, key=lambda r: (r["total"], r["group"]))
        labels = [r["group"] for r in ordered]
        limited = [r["limited"] for r in ordered]
        other = [r["high_other"] for r in ordered]
        ax.barh(labels, limited, color=_COLOURS[0], label="Limited assurance (medium and high risk)")
        ax.barh(labels, other, left=limited, color=_COLOURS[2], label="High risk (other reports)")
        for y, r in enumerate(ordered):
            ax.text(r["total"], y, f" {r['total']}", va="center", fontsize=8)
        ax.set_xlabel("Outstanding actions")
        ax.legend(fontsize=8, frameon=False, loc="lower right")
        ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(f"{CHARTS['distribution-by-group.png']} (as at {as_of_label})", fontsize=11)
    fig.tight_layout()
    return fig


def write_charts(report: Report, folder: Path) -> dict[str, Path]:
    """Draw every chart into ``folder``; returns file name -> path."""
    figures = report.figures
    drawn = {
        "distribution-by-group.png": distribution_chart(figures.get("distribution", []), figures["as_of"]),
        "open-actions-by-group-and-quarter.png": open_actions_chart(
            report.open_by_quarter, report.current_quarter, figures["as_of"]
        ),
        "delay-reasons.png": counts_chart(figures["delay_reasons"], CHARTS["delay-reasons.png"], "#ed7d31"),
        "key-themes.png": counts_chart(figures["key_themes"], CHARTS["key-themes.png"], "#70ad47"),
    }
    paths = {}
    for name, fig in drawn.items():
        paths[name] = folder / name
        fig.savefig(paths[name], format="png", metadata={"Software": None})
    return paths
