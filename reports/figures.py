"""Every figure of the spec (docs/domain.md, "Figures") as at a date D, with pandas.

Definitions, exactly as the spec words them (a report date D, its quarter Q per domain.calendar):
- monitored: risk high, or risk medium in an audit graded limited / no assurance;
- outstanding: monitored and status open or in progress;
- overdue: outstanding and the ORIGINAL due date is before D; with_revised_date: overdue and an
  accepted revised date exists;
- pct_overdue: 100 x overdue / outstanding, rounded half up (integer arithmetic);
- limited: outstanding from limited / no-assurance audits; high_other: the other outstanding;
- audits: distinct audits with an outstanding action;
- delivered: monitored, implemented (or since closed), implemented_on within Q; an action that
  was implemented and then reopened is outstanding again and is not delivered;
- new_in_quarter: monitored actions of audits received in Q;
- forthcoming: outstanding, effective due date (accepted revised, else original) in [D, D + 1 year];
  by_quarter_end: effective due date on or before the end of Q;
- stale: outstanding, original due date before domain.calendar.stale_cutoff(D);
- delay_reasons / key_themes: outstanding actions by their delay reason / key theme (none: not counted);
- inspections: items not closed, by theme ("Not themed" when none);
- response_rate: the latest update cycle opened by D: the items asked about (as `cycle status`
  counts them), those whose owner answered by D and before the cycle closed, the percentage
  rounded half up; null when no cycle had been opened by D.
previous_quarter repeats outstanding, overdue and forthcoming as at the end of the previous
quarter, on the state rebuilt from the history.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from dateutil.relativedelta import relativedelta

from domain.calendar import Quarter, stale_cutoff
from domain.rules import pct_half_up
from domain.words import LIMITED_ASSURANCES, OUTSTANDING_STATUSES
from reports.asof import State, state_as_of
from reports.frames import DEFAULT_ZONE, Frames
from reports.sections import SECTION_KEYS, section_figures

__all__ = [
    "Flags",
    "flags",
    "pct_half_up",
    "compute_figures",
    "headline",
    "figures_from_state",
    "response_rate",
    "NOT_THEMED",
    "DELIVERED_STATUSES",
    "FIGURE_KEYS",
]

NOT_THEMED = "Not themed"
DELIVERED_STATUSES = ("implemented", "closed")
FIGURE_KEYS = (
    "as_of",
    "quarter",
    "new_in_quarter",
    "outstanding",
    "by_group",
    "overdue",
    "delivered",
    "forthcoming",
    "delay_reasons",
    "key_themes",
    "stale",
    "inspections",
    "response_rate",
    "previous_quarter",
    *SECTION_KEYS,
)


class Flags:
    """Boolean columns over ``state.actions`` for one report date (vectorised)."""

    def __init__(self, state: State):
        a, d = state.actions, pd.Timestamp(state.as_of)
        self.state, self.quarter = state, Quarter.containing(state.as_of)
        self.monitored = (a["risk"] == "high") | ((a["risk"] == "medium") & a["assurance"].isin(LIMITED_ASSURANCES))
        self.outstanding = self.monitored & a["status"].isin(OUTSTANDING_STATUSES)
        self.overdue = self.outstanding & (a["due_date"] < d)
        self.limited = self.outstanding & a["assurance"].isin(LIMITED_ASSURANCES)
        self.effective_due = a["revised_due_date"].fillna(a["due_date"])
        year_on = pd.Timestamp(state.as_of + relativedelta(years=1))
        self.forthcoming = self.outstanding & (self.effective_due >= d) & (self.effective_due <= year_on)
        self.by_quarter_end = self.forthcoming & (self.effective_due <= pd.Timestamp(self.quarter.end))
        q_start, q_end = pd.Timestamp(self.quarter.start), pd.Timestamp(self.quarter.end)
        self.delivered = (
            self.monitored
            & a["status"].isin(DELIVERED_STATUSES)
            & (a["implemented_on"] >= q_start)
            & (a["implemented_on"] <= q_end)
        )


def flags(state: State) -> Flags:
    return Flags(state)


def _counts(values: pd.Series) -> dict[str, int]:
    """Counts by value, most first then alphabetical; missing values are not counted."""
    counts = values.dropna().value_counts()
    ordered = sorted(counts.items(), key=lambda kv: (-int(kv[1]), str(kv[0])))
    return {str(k): int(v) for k, v in ordered}


def headline(f: Flags) -> dict[str, Any]:
    """outstanding / overdue / forthcoming: the figures compared with the previous quarter."""
    a = f.state.actions
    total, limited = int(f.outstanding.sum()), int(f.limited.sum())
    return {
        "outstanding": {
            "total": total,
            "audits": int(a.loc[f.outstanding, "audit_id"].nunique()),
            "limited": limited,
            "high_other": total - limited,
        },
        "overdue": {
            "total": int(f.overdue.sum()),
            "with_revised_date": int((f.overdue & a["revised_due_date"].notna()).sum()),
        },
        "forthcoming": {"next_12_months": int(f.forthcoming.sum()), "by_quarter_end": int(f.by_quarter_end.sum())},
    }


def _by_group(f: Flags) -> list[dict[str, Any]]:
    a = f.state.actions
    grouped = (
        pd.DataFrame(
            {"group": a["business_group"], "outstanding": f.outstanding.astype(int), "overdue": f.overdue.astype(int)}
        )[f.outstanding]
        .groupby("group")
        .sum()
    )
    return [
        {
            "group": str(g),
            "outstanding": int(r.outstanding),
            "overdue": int(r.overdue),
            "pct_overdue": pct_half_up(int(r.overdue), int(r.outstanding)),
        }
        for g, r in grouped.sort_index().iterrows()
    ]


def _delivered(f: Flags) -> dict[str, Any]:
    done = f.state.actions[f.delivered]
    per_audit = (
        done.groupby(["title", "received"], dropna=False)
        .size()
        .rename("count")
        .reset_index()
        .sort_values(["received", "title"])
    )
    return {
        "total": int(len(done)),
        "original": int((done["kind"] == "original").sum()),
        "follow_up": int((done["kind"] == "follow-up").sum()),
        "by_audit": [
            {"audit": str(r.title), "received": str(r.received), "count": int(r.count)}
            for r in per_audit.itertuples(index=False)
        ],
    }


def _received_in(audits: pd.DataFrame, quarter: Quarter) -> pd.Series:
    """Audit ids received in ``quarter`` (labels parsed once per audit, so '2019/2020 Q4' matches too)."""

    def label(text: Any) -> str:
        try:
            return Quarter.parse(str(text)).label
        except ValueError:
            return str(text)

    labels = audits["received"].map(label)
    return audits.loc[labels == quarter.label, "audit_id"]


def _inspections(state: State) -> dict[str, Any]:
    items = state.inspections
    open_items = items[items["status"] != "closed"]
    themes = open_items["theme"].fillna(NOT_THEMED)
    return {"open": int(len(open_items)), "by_theme": _counts(themes)}


def response_rate(state: State) -> dict[str, Any] | None:
    if state.cycle is None:
        return None
    asked = state.cycle_items  # every item asked about (actions, and HMICFRS items when included)
    n, answered = int(len(asked)), int(asked["responded"].sum())
    # how many of them were HMICFRS items, so the sentence names what was asked about
    inspections = int(asked["inspection_id"].notna().sum()) if "inspection_id" in asked else 0
    return {"asked": n, "responded": answered, "pct": pct_half_up(answered, n), "inspection_items": inspections}


def figures_from_state(state: State) -> dict[str, Any]:
    """Every figure as at ``state.as_of`` (previous_quarter excepted: see compute_figures)."""
    f = Flags(state)
    a = f.state.actions
    cutoff = stale_cutoff(state.as_of)
    top = headline(f)
    return {
        "as_of": state.as_of.isoformat(),
        "quarter": f.quarter.label,
        "new_in_quarter": int((f.monitored & a["audit_id"].isin(_received_in(state.audits, f.quarter))).sum()),
        "outstanding": top["outstanding"],
        "by_group": _by_group(f),
        "overdue": top["overdue"],
        "delivered": _delivered(f),
        "forthcoming": top["forthcoming"],
        "delay_reasons": _counts(a.loc[f.outstanding, "delay_reason"]),
        "key_themes": _counts(a.loc[f.outstanding, "key_theme"]),
        "stale": {
            "before": cutoff.isoformat(),
            "count": int((f.outstanding & (a["due_date"] < pd.Timestamp(cutoff))).sum()),
        },
        "inspections": _inspections(state),
        "response_rate": response_rate(state),
    }


def previous_quarter_end(as_of: date) -> date:
    return Quarter.containing(as_of).previous().end


def compute_figures(frames: Frames, as_of: date, *, zone: ZoneInfo = DEFAULT_ZONE) -> dict[str, Any]:
    """The whole figure set (the ``report --json`` document) as at ``as_of``.

    ``frames`` must hold the history from the end of the previous quarter on
    (``load_tables(session, since=previous_quarter_end(as_of))`` or earlier).
    """
    state = state_as_of(frames, as_of, zone=zone)
    figures = figures_from_state(state)
    figures["previous_quarter"] = headline(Flags(state_as_of(frames, previous_quarter_end(as_of), zone=zone)))
    figures.update(section_figures(Flags(state)))
    return figures
