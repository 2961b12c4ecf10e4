"""The pack's sections beyond the headline figures (issue 23), as the January 2021 paper has them:

- distribution: outstanding by business group, split into limited and high_other (the chart after 1.10);
- new_audits: audits received in the report's quarter, each with its grading, monitored and high-risk
  actions; a restricted report with its actions "not yet shared" (1.29-1.31);
- delivered_by_group: delivered in the quarter per group, how many from follow-ups of limited (or no
  assurance) audits, and what the group still has outstanding (1.5, 1.6, 1.13);
- delivered_due: the delivered counted by the month of their ORIGINAL due date, and the shortest run
  of months holding at least nine in ten of them ("28 of the 31 were due between March and September");
- inspection_activity: inspection items closed / submitted for closure in the quarter (1.60);
- portal: the inspectorate portal's counts by theme as last imported on or before D, beside the
  force's own open recommendations in each theme (1.58-1.59).
All vectorised over the state rebuilt as at D (reports.asof), from the same flags as the figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from domain.calendar import received_label
from domain.words import LIMITED_ASSURANCES

if TYPE_CHECKING:
    from reports.figures import Flags

__all__ = ["SECTION_KEYS", "section_figures", "MOST_DELIVERED_SHARE"]

SECTION_KEYS = ("distribution", "new_audits", "delivered_by_group", "delivered_due", "inspection_activity", "portal")
MOST_DELIVERED_SHARE = 0.9  # "28 of the 31": the shortest run of months holding at least this share
_REC_KINDS = ("rec", "afi & rec")  # an "AFI & Rec" item is counted with the recommendations


def _distribution(f: Flags) -> list[dict[str, Any]]:
    a = f.state.actions
    frame = pd.DataFrame(
        {"group": a["business_group"], "limited": f.limited.astype(int), "total": f.outstanding.astype(int)}
    )[f.outstanding]
    sums = frame.groupby("group").sum().sort_index()
    return [
        {"group": str(g), "limited": int(r.limited), "high_other": int(r.total - r.limited), "total": int(r.total)}
        for g, r in sums.iterrows()
    ]


def _label(text: Any) -> str:
    try:
        return received_label(str(text))
    except ValueError:
        return str(text)


def _new_audits(f: Flags) -> list[dict[str, Any]]:
    audits, a = f.state.audits, f.state.actions
    received = audits[audits["received"].map(_label) == f.quarter.label]
    rows = []
    for audit in received.sort_values(["title", "audit_id"]).itertuples(index=False):
        mine = f.monitored & (a["audit_id"] == audit.audit_id)
        restricted = bool(audit.restricted)
        rows.append(
            {
                "audit": str(audit.audit_id),
                "title": str(audit.title),
                "kind": str(audit.kind),
                "assurance": str(audit.assurance),
                "restricted": restricted,
                # a restricted report's actions are not yet shared: no count is given for them
                "actions": None if restricted else int(mine.sum()),
                "high_risk": None if restricted else int((mine & (a["risk"] == "high")).sum()),
            }
        )
    return rows


def _delivered_by_group(f: Flags) -> list[dict[str, Any]]:
    a = f.state.actions
    limited_follow_up = (a["kind"] == "follow-up") & a["assurance"].isin(LIMITED_ASSURANCES)
    frame = pd.DataFrame(
        {
            "group": a["business_group"],
            "delivered": f.delivered.astype(int),
            "limited_follow_up": (f.delivered & limited_follow_up).astype(int),
            "outstanding": f.outstanding.astype(int),
        }
    )[f.delivered | f.outstanding]
    sums = frame.groupby("group").sum()
    sums = sums[sums["delivered"] > 0].reset_index().sort_values(["delivered", "group"], ascending=[False, True])
    return [
        {
            "group": str(r.group),
            "delivered": int(r.delivered),
            "from_limited_follow_ups": int(r.limited_follow_up),
            "outstanding": int(r.outstanding),
        }
        for r in sums.itertuples(index=False)
    ]


def _delivered_due(f: Flags) -> dict[str, Any]:
    due = f.state.actions.loc[f.delivered, "due_date"].dropna()
    months = due.dt.to_period("M").value_counts().sort_index()
    by_month = [{"month": str(p), "count": int(n)} for p, n in months.items()]
    total = int(len(due))
    out: dict[str, Any] = {"total": total, "by_month": by_month, "from": None, "to": None, "count": 0}
    if not total:
        return out
    periods = pd.period_range(months.index.min(), months.index.max(), freq="M")
    counts = months.reindex(periods, fill_value=0).to_numpy()
    need = -(-int(MOST_DELIVERED_SHARE * total * 10) // 10)  # at least nine in ten, rounded up
    best: tuple[int, int, int] | None = None  # (length, -end, start): shortest, then the latest
    for start in range(len(counts)):
        running = 0
        for end in range(start, len(counts)):
            running += int(counts[end])
            if running >= need:
                candidate = (end - start, -end, start)
                best = candidate if best is None or candidate < best else best
                break
    assert best is not None
    start, end = best[2], -best[1]
    out.update({"from": str(periods[start]), "to": str(periods[end]), "count": int(counts[start : end + 1].sum())})
    return out


def _inspection_activity(f: Flags) -> dict[str, Any]:
    items, q = f.state.inspections, f.quarter
    start, end = pd.Timestamp(q.start), pd.Timestamp(q.end)

    def within(column: str) -> pd.DataFrame:
        if column not in items:
            return items.iloc[0:0]
        return items[(items[column] >= start) & (items[column] <= end)]

    def summary(chosen: pd.DataFrame) -> dict[str, Any]:
        recs = chosen["kind"].isin(_REC_KINDS)
        return {
            "recommendations": int(recs.sum()),
            "afis": int((~recs).sum()),
            "inspections": sorted({str(i) for i in chosen["inspection"]}),
        }

    return {"closed": summary(within("closed_on")), "submitted": summary(within("submitted_on"))}


def _portal(f: Flags) -> dict[str, Any] | None:
    portal = f.state.portal
    if portal is None or portal.empty:
        return None
    dated = portal[portal["as_of"] <= pd.Timestamp(f.state.as_of)]
    if dated.empty:
        return None
    latest = dated["as_of"].max()
    rows = dated[dated["as_of"] == latest]
    items = f.state.inspections
    open_recs = items[(items["status"] != "closed") & items["kind"].isin(_REC_KINDS)]
    tracker = open_recs["theme"].fillna("").value_counts()
    themes = [
        {
            "theme": str(r.theme),
            "recommendations": int(r.recommendations),
            "afis": None if pd.isna(r.afis) else int(r.afis),
            "tracker_recommendations": int(tracker.get(str(r.theme), 0)),
        }
        for r in rows.sort_values("recommendations", ascending=False, kind="stable").itertuples(index=False)
    ]
    return {
        "as_of": latest.date().isoformat(),
        "recommendations": sum(t["recommendations"] for t in themes),
        "by_theme": themes,
    }


def section_figures(f: Flags) -> dict[str, Any]:
    """The sections' figures as at the state's date (part of the `report --json` document)."""
    return {
        "distribution": _distribution(f),
        "new_audits": _new_audits(f),
        "delivered_by_group": _delivered_by_group(f),
        "delivered_due": _delivered_due(f),
        "inspection_activity": _inspection_activity(f),
        "portal": _portal(f),
    }
