"""The tables of the panel pack (one per table of the seed report), as DataFrames.

Each is built from the state as at the report date and agrees with reports.figures: the totals
rows are sums of the same flags the figures count.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from domain.calendar import Quarter
from reports.figures import NOT_THEMED, Flags, pct_half_up
from reports.section_tables import with_section_sheets, with_sections

__all__ = ["pack_tables", "open_by_quarter_due", "quarter_labels", "SHEETS"]

# Sheet name -> what it holds (sheet names are at most 31 characters, as Excel requires).
SHEETS = {  # the sections' sheets are placed among these as the paper has them (with_section_sheets)
    "Headlines": "the headline figures, now and at the end of the previous quarter",
    "Delivered this quarter": "actions delivered this quarter by audit",
    "Outstanding by group": "outstanding actions by business group, overdue and % overdue",
    "Delay reasons": "delay reasons for current (outstanding) actions",
    "Forthcoming": "actions due in the next 12 months and by the end of this quarter, by group",
    "Key themes": "key themes of outstanding actions",
    "HMICFRS by theme": "open HMICFRS recommendations and AFIs by theme",
    "Inspection tracker": "open inspection items by year, scope, kind and inspection",
    "Response rate": "the latest update cycle's response rate by business group",
}
SHEETS = with_section_sheets(SHEETS)
_SCOPES = {"force": "Met", "nationwide": "Nationwide"}
_KINDS = {"rec": "Rec", "afi": "AFI", "afi & rec": "AFI & Rec"}


def quarter_labels(dates: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Financial quarter of each date, vectorised: (sort key fy*10+q, label '2020/21 Q3')."""
    month, year = dates.dt.month, dates.dt.year
    fy = year - (month < 4).astype(int)
    q = ((month - 4) % 12) // 3 + 1
    key = fy * 10 + q
    label = fy.astype(str) + "/" + ((fy + 1) % 100).astype(str).str.zfill(2) + " Q" + q.astype(str)
    return key, label


def _with_total(frame: pd.DataFrame, label: str = "Total", pct: tuple[str, str, str] | None = None) -> pd.DataFrame:
    totals: dict[str, Any] = {frame.columns[0]: label}
    for col in frame.columns[1:]:
        if pd.api.types.is_numeric_dtype(frame[col]):
            totals[col] = int(frame[col].sum())
    if pct:
        part, whole, out = pct
        totals[out] = pct_half_up(totals[part], totals[whole])
    return pd.concat([frame, pd.DataFrame([totals])], ignore_index=True)


def _headlines(figures: dict[str, Any], previous_rr: dict[str, Any] | None) -> pd.DataFrame:
    """``previous_rr``: the cycle the narrative compares the latest with ("down from 80%")."""
    prev = figures["previous_quarter"]
    rr = figures["response_rate"]
    rows = [
        ("Outstanding actions", figures["outstanding"]["total"], prev["outstanding"]["total"]),
        ("Audits with outstanding actions", figures["outstanding"]["audits"], prev["outstanding"]["audits"]),
        (
            "Outstanding from limited / no assurance audits",
            figures["outstanding"]["limited"],
            prev["outstanding"]["limited"],
        ),
        ("Other outstanding (high risk)", figures["outstanding"]["high_other"], prev["outstanding"]["high_other"]),
        ("Past original due date", figures["overdue"]["total"], prev["overdue"]["total"]),
        (
            "Past original due date with an agreed revised date",
            figures["overdue"]["with_revised_date"],
            prev["overdue"]["with_revised_date"],
        ),
        ("Due in the next 12 months", figures["forthcoming"]["next_12_months"], prev["forthcoming"]["next_12_months"]),
        (
            "Due by the end of the quarter",
            figures["forthcoming"]["by_quarter_end"],
            prev["forthcoming"]["by_quarter_end"],
        ),
        ("New actions this quarter", figures["new_in_quarter"], None),
        ("Delivered this quarter", figures["delivered"]["total"], None),
        ("  from original audits", figures["delivered"]["original"], None),
        ("  from follow-up audits", figures["delivered"]["follow_up"], None),
        (f"Stale (original due before {figures['stale']['before']})", figures["stale"]["count"], None),
        ("Open HMICFRS recommendations and AFIs", figures["inspections"]["open"], None),
        (
            "Update cycle: actions asked about",
            rr["asked"] if rr else None,
            previous_rr["asked"] if previous_rr else None,
        ),
        ("Update cycle: response rate %", rr["pct"] if rr else None, previous_rr["pct"] if previous_rr else None),
    ]
    frame = pd.DataFrame(rows, columns=["Figure", f"As at {figures['as_of']}", "End of previous quarter"])
    return frame.astype({frame.columns[1]: "Int64", frame.columns[2]: "Int64"})


def _by_group(flags: Flags) -> tuple[pd.DataFrame, pd.DataFrame]:
    a = flags.state.actions
    data = pd.DataFrame(
        {
            "Business group": a["business_group"],
            "Total outstanding": flags.outstanding.astype(int),
            "Overdue": flags.overdue.astype(int),
            "Next 12 months": flags.forthcoming.astype(int),
            "By end of quarter": flags.by_quarter_end.astype(int),
        }
    )[flags.outstanding]
    sums = data.groupby("Business group", as_index=False).sum().sort_values("Business group")
    outstanding = sums[["Business group", "Total outstanding", "Overdue"]].copy()
    outstanding["% overdue"] = [
        pct_half_up(o, n) for o, n in zip(outstanding["Overdue"], outstanding["Total outstanding"])
    ]
    forthcoming = sums[["Business group", "Next 12 months", "By end of quarter"]]
    return (_with_total(outstanding, pct=("Overdue", "Total outstanding", "% overdue")), _with_total(forthcoming))


def _counted(counts: dict[str, int], label: str, value: str, total: str | None) -> pd.DataFrame:
    frame = pd.DataFrame(list(counts.items()), columns=[label, value]).astype({value: "int64"})
    return _with_total(frame, total) if total else frame


def _inspection_tables(flags: Flags) -> tuple[pd.DataFrame, pd.DataFrame]:
    items = flags.state.inspections
    items = items[items["status"] != "closed"].assign(theme=lambda t: t["theme"].fillna(NOT_THEMED))
    kinds = items["kind"].replace({"afi & rec": "rec"})  # one "AFI & Rec" item counts once, as a recommendation
    by_theme = pd.crosstab(items["theme"], kinds).reindex(columns=["rec", "afi"], fill_value=0)
    by_theme = by_theme.rename(columns={"rec": "Recommendations", "afi": "AFIs"})
    by_theme["Total"] = by_theme.sum(axis=1)
    by_theme = (
        by_theme.sort_values(["Total"], ascending=False, kind="stable").rename_axis("Inspection theme").reset_index()
    )
    tracker = (
        items.groupby(["inspection_year", "scope", "kind", "inspection"])
        .size()
        .rename("Total open")
        .reset_index()
        .sort_values(["inspection_year", "scope", "kind", "inspection"])
    )
    tracker["scope"] = tracker["scope"].map(_SCOPES).fillna(tracker["scope"])
    tracker["kind"] = tracker["kind"].map(_KINDS).fillna(tracker["kind"])
    tracker.columns = ["Inspection year", "Met specific or Nationwide", "Rec / AFI", "Inspection name", "Total open"]
    return _with_total(by_theme), tracker.reset_index(drop=True)


def _response_by_group(flags: Flags) -> pd.DataFrame:
    state = flags.state
    items = state.cycle_items
    if state.cycle is None:
        return pd.DataFrame({"Business group": [f"No update cycle had been opened by {state.as_of.isoformat()}"]})
    groups = items["business_group"].fillna("(no group)")
    table = (
        pd.DataFrame({"Business group": groups, "Asked": 1, "Responded": items["responded"].astype(int)})
        .groupby("Business group", as_index=False)
        .sum()
        .sort_values("Business group")
    )
    table["% responded"] = [pct_half_up(r, n) for r, n in zip(table["Responded"], table["Asked"])]
    return _with_total(table, pct=("Responded", "Asked", "% responded"))


def _delivered(figures: dict[str, Any]) -> pd.DataFrame:
    rows = [(r["audit"], r["received"], r["count"]) for r in figures["delivered"]["by_audit"]]
    frame = pd.DataFrame(rows, columns=["Audit title", "Audit received", "Actions closed"]).astype(
        {"Actions closed": "int64"}
    )
    return _with_total(frame)


def pack_tables(
    flags: Flags, figures: dict[str, Any], *, previous_response_rate: dict[str, Any] | None = None
) -> dict[str, pd.DataFrame]:
    """Sheet name -> table, in the order of the seed report."""
    outstanding, forthcoming = _by_group(flags)
    hmicfrs, tracker = _inspection_tables(flags)
    tables = {
        "Headlines": _headlines(figures, previous_response_rate),
        "Delivered this quarter": _delivered(figures),
        "Outstanding by group": outstanding,
        "Delay reasons": _counted(figures["delay_reasons"], "Delay reason", "Current actions", "Grand Total"),
        "Forthcoming": forthcoming,
        "Key themes": _counted(figures["key_themes"], "Key theme", "Outstanding actions", None),
        "HMICFRS by theme": hmicfrs,
        "Inspection tracker": tracker,
        "Response rate": _response_by_group(flags),
    }
    return with_sections(tables, figures)


def open_by_quarter_due(flags: Flags, before: int = 8, after: int = 4) -> tuple[pd.DataFrame, str]:
    """Outstanding actions by quarter of ORIGINAL due date (rows) and business group (columns).

    Quarters more than ``before`` quarters before the current one fold into 'Earlier', more than
    ``after`` after it into 'Later'. Returns the table and the current quarter's label.
    """
    current = Quarter.containing(flags.state.as_of)
    a = flags.state.actions[flags.outstanding]
    key, label = quarter_labels(a["due_date"])
    index = np.floor_divide(key, 10) * 4 + key % 10 - (current.fy * 4 + current.q)
    label = label.where(index >= -before, "Earlier").where(index <= after, "Later")
    order = key.where(index >= -before, 0).where(index <= after, 10**9)
    table = pd.crosstab([order, label], a["business_group"]).sort_index(level=0).droplevel(0)
    table.index.name, table.columns.name = "Quarter due", "Business group"
    return table, current.label
