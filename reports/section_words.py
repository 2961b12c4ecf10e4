"""The paper's sentences for the pack's sections (reports/sections.py), filled from the figures, in the
January 2021 paper's wording (1.5, 1.6, 1.10, 1.13, 1.29-1.32, 1.59, 1.60). Plain text, not HTML."""

from __future__ import annotations

from typing import Any

from domain.phrases import count_of, first_upper, plural
from reports.section_tables import month_words

__all__ = ["section_sentences", "delivered_group_sentences", "joined"]


def joined(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def _titled(audit: dict[str, Any]) -> str:
    title: str = audit["title"]
    return title + (" (follow up)" if audit["kind"] == "follow-up" else "")


def delivered_group_sentences(figures: dict[str, Any]) -> list[str]:
    """A group that delivered everything (1.5, 1.13), then the group that delivered most of the rest (1.6)."""
    groups, total = figures["delivered_by_group"], figures["delivered"]["total"]
    said = []
    for g in groups:
        if g["outstanding"] == 0:
            said.append(
                f"{g['group']} have delivered {count_of(g['delivered'], 'recommendation')} this quarter, "
                "leaving them with no further actions."
            )
    rest = [g for g in groups if g["outstanding"] > 0]
    if rest:
        top = rest[0]
        limited = top["from_limited_follow_ups"]
        said.append(
            f"{top['delivered']} of the {count_of(total, 'action')} recommended for closure "
            f"{'was' if top['delivered'] == 1 else 'were'} from {top['group']}"
            + (f", with {limited} from limited follow-up audits." if limited else ".")
        )
    return said


def _delivered_due(figures: dict[str, Any]) -> str:
    due = figures["delivered_due"]
    if not due["total"]:
        return "No actions were closed within the last quarter."
    start, end = month_words(due["from"]), month_words(due["to"])
    if due["from"] == due["to"]:
        when = f"in {start}"
    elif start[-4:] == end[-4:]:
        when = f"between {start[:-5]} and {end}"
    else:
        when = f"between {start} and {end}"
    return (
        f"Of the {count_of(due['total'], 'action')} closed within the last quarter, {due['count']} "
        f"{'was' if due['count'] == 1 else 'were'} due {when}."
    )


def _new_audits(figures: dict[str, Any]) -> str:
    audits = figures["new_audits"]
    if not audits:
        return "Since the last audit panel we have not received the findings of any new audits."
    listed = "; ".join(_titled(a) for a in audits)
    said = [f"Since the last audit panel we have received the findings from the following audits: {listed}."]
    for a in audits:
        if not a["restricted"]:
            high = count_of(a["high_risk"], "high risk action", zero="no")
            said.append(f"{_titled(a)} was rated {a['assurance']} with {high}.")
    return " ".join(said)


def _restricted(figures: dict[str, Any]) -> str:
    restricted = [a for a in figures["new_audits"] if a["restricted"]]
    if not restricted:
        return ""
    n = len(restricted)
    return (
        f"The {joined([_titled(a) for a in restricted])} {plural(n, 'report')} {'has' if n == 1 else 'have'} been "
        f"issued to the business, but {'has' if n == 1 else 'have'} not yet been shared with Strategy and "
        f"Governance as the {plural(n, 'report is', 'reports are')} restricted."
    )


def _limited(figures: dict[str, Any]) -> str:
    limited = [a for a in figures["new_audits"] if a["assurance"] in ("limited", "no assurance")]
    if not limited:
        return "We have not received any Limited graded audits this quarter."
    return f"We have received {count_of(len(limited), 'Limited graded audit')} this quarter: {joined([_titled(a) for a in limited])}."


def _kinds(counts: dict[str, Any]) -> str:
    parts = [count_of(counts["afis"], "AFI")] if counts["afis"] else []
    parts += [count_of(counts["recommendations"], "recommendation")] if counts["recommendations"] else []
    return " and ".join(parts) or "no recommendations or AFIs"


def _inspection_activity(figures: dict[str, Any]) -> str:
    closed, submitted = figures["inspection_activity"]["closed"], figures["inspection_activity"]["submitted"]
    source = (
        f" from the {joined(closed['inspections'])} {plural(len(closed['inspections']), 'inspection')}"
        if closed["inspections"]
        else ""
    )
    n = submitted["recommendations"] + submitted["afis"]
    return (
        f"This quarter, HMICFRS has closed {_kinds(closed)}{source} and {_kinds(submitted)} "
        f"{'has' if n == 1 else 'have'} been submitted to our Force Liaison Lead for review for closure."
    )


def _portal(figures: dict[str, Any]) -> str:
    portal = figures["portal"]
    if not portal:
        return "No HMICFRS Monitoring Portal figures had been imported by the report date."
    return f"The Monitoring Portal currently shows {count_of(portal['recommendations'], 'open recommendation')}:"


def _distribution(figures: dict[str, Any]) -> str:
    groups = sorted(figures["distribution"], key=lambda g: (-g["total"], g["group"]))
    if not groups:
        return "No business group has outstanding actions."
    top = groups[0]
    return (
        f"Distribution by business group is as follows: {top['group']} have the most outstanding actions "
        f"({top['total']}, {top['limited']} of them from limited assurance reports)."
    )


def section_sentences(figures: dict[str, Any]) -> dict[str, str]:
    """Topic -> sentence(s) for the sections, in the paper's order."""
    return {
        "delivered_groups": " ".join(delivered_group_sentences(figures)),
        "delivered_due": _delivered_due(figures),
        "distribution": _distribution(figures),
        "new_audits": _new_audits(figures),
        "restricted": _restricted(figures),
        "limited_audits": _limited(figures),
        "inspection_activity": first_upper(_inspection_activity(figures)),
        "portal": _portal(figures),
    }
