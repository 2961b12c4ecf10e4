"""The tables of the pack's sections (reports/sections.py), placed where the January 2021 paper has
them among the other tables (reports/tables.py) and written to the xlsx and the HTML like them."""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["SECTION_SHEETS", "with_sections", "with_section_sheets", "NOT_YET_SHARED", "month_words"]

NOT_YET_SHARED = "not yet shared (restricted)"
# Sheet name -> what it holds (at most 31 characters, as Excel requires).
SECTION_SHEETS = {
    "Delivered by group": "actions delivered this quarter by business group",
    "Delivered by due month": "actions delivered this quarter by the month they were originally due",
    "Distribution by group": "distribution of outstanding actions by business group",
    "New audits": "new audits received this quarter",
    "HMICFRS this quarter": "HMICFRS items closed and submitted for closure this quarter",
    "HMICFRS portal": "the HMICFRS monitoring portal's open recommendations beside the force's tracker",
}
# Each section's table goes after this table of the paper.
_AFTER = {
    "Delivered by group": "Delivered this quarter",
    "Delivered by due month": "Delivered by group",
    "Distribution by group": "Outstanding by group",
    "New audits": "Key themes",
    "HMICFRS this quarter": "New audits",
    "HMICFRS portal": "HMICFRS this quarter",
}


def month_words(period: str) -> str:
    """'2020-03' -> 'March 2020'."""
    words: str = pd.Period(period, freq="M").strftime("%B %Y")  # pandas is untyped here (no stubs)
    return words


def _total(frame: pd.DataFrame) -> pd.DataFrame:
    totals: dict[str, Any] = {frame.columns[0]: "Total"}
    for col in frame.columns[1:]:
        if pd.api.types.is_numeric_dtype(frame[col]):
            totals[col] = int(frame[col].sum())
    return pd.concat([frame, pd.DataFrame([totals])], ignore_index=True)


def _int_frame(rows: list[tuple[Any, ...]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({c: "int64" for c in columns[1:]}) if not frame.empty else frame


def _distribution(figures: dict[str, Any]) -> pd.DataFrame:
    rows = [(d["group"], d["limited"], d["high_other"], d["total"]) for d in figures["distribution"]]
    columns = ["Business group", "Limited assurance (medium and high risk)", "High risk (other reports)", "Total"]
    return _total(_int_frame(rows, columns))


def _delivered_by_group(figures: dict[str, Any]) -> pd.DataFrame:
    rows = [
        (d["group"], d["delivered"], d["from_limited_follow_ups"], d["outstanding"])
        for d in figures["delivered_by_group"]
    ]
    columns = ["Business group", "Delivered this quarter", "From limited follow-ups", "Still outstanding"]
    return _total(_int_frame(rows, columns))


def _delivered_due(figures: dict[str, Any]) -> pd.DataFrame:
    rows = [(month_words(m["month"]), m["count"]) for m in figures["delivered_due"]["by_month"]]
    return _total(_int_frame(rows, ["Originally due", "Actions delivered"]))


def _new_audits(figures: dict[str, Any]) -> pd.DataFrame:
    rows = [
        (
            a["title"],
            a["kind"],
            a["assurance"],
            NOT_YET_SHARED if a["restricted"] else a["actions"],
            NOT_YET_SHARED if a["restricted"] else a["high_risk"],
        )
        for a in figures["new_audits"]
    ]
    columns = ["Audit title", "Original / follow-up", "Grading", "Monitored actions", "High risk actions"]
    if not rows:
        return pd.DataFrame({"Audit title": [f"No audits were received in {figures['quarter']}"]})
    return pd.DataFrame(rows, columns=columns).astype(object)


def _inspection_activity(figures: dict[str, Any]) -> pd.DataFrame:
    activity = figures["inspection_activity"]
    rows = [
        (label, activity[key]["recommendations"], activity[key]["afis"], ", ".join(activity[key]["inspections"]))
        for key, label in (("closed", "Closed by HMICFRS"), ("submitted", "Submitted for closure"))
    ]
    return pd.DataFrame(rows, columns=["This quarter", "Recommendations", "AFIs", "Inspections"]).astype(
        {"Recommendations": "int64", "AFIs": "int64"}
    )


def _portal(figures: dict[str, Any]) -> pd.DataFrame:
    portal = figures["portal"]
    if not portal:
        return pd.DataFrame({"Inspection theme": ["No monitoring portal figures imported by the report date"]})
    rows = [(t["theme"], t["recommendations"], t["tracker_recommendations"]) for t in portal["by_theme"]]
    columns = [
        "Inspection theme",
        f"Portal open recommendations ({portal['as_of']})",
        "Force tracker open recommendations",
    ]
    return _total(_int_frame(rows, columns))


_BUILDERS = {
    "Delivered by group": _delivered_by_group,
    "Delivered by due month": _delivered_due,
    "Distribution by group": _distribution,
    "New audits": _new_audits,
    "HMICFRS this quarter": _inspection_activity,
    "HMICFRS portal": _portal,
}


def _placed(existing: dict[str, Any], added: dict[str, Any]) -> dict[str, Any]:
    """``existing`` with each of ``added`` after the entry the paper puts it behind."""
    out = dict(existing)
    for name, value in added.items():
        items = list(out.items())
        at = next((i + 1 for i, (key, _) in enumerate(items) if key == _AFTER[name]), len(items))
        items.insert(at, (name, value))
        out = dict(items)
    return out


def with_section_sheets(sheets: dict[str, str]) -> dict[str, str]:
    """The pack's sheet names and captions in the paper's order, the sections' among them."""
    return _placed(sheets, SECTION_SHEETS)


def with_sections(tables: dict[str, pd.DataFrame], figures: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """``tables`` with each section's table after the one the paper puts it behind."""
    return _placed(tables, {name: build(figures) for name, build in _BUILDERS.items()})
