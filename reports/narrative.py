"""The narrative sentences of the seed report, filled from the figures (plain text, not HTML)."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.phrases import count_of
from reports.section_words import section_sentences

__all__ = ["sentences", "change_phrase", "long_date"]


def long_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day} {d:%B %Y}"


def _n(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _asked(rr: dict[str, Any]) -> str:
    """'49 actions', '3 HMICFRS items', '52 actions and HMICFRS items': what the cycle asked about."""
    items = rr.get("inspection_items", 0)
    if not items:
        return count_of(rr["asked"], "action")
    if items == rr["asked"]:
        return count_of(rr["asked"], "HMICFRS item")
    return f"{rr['asked']} actions and HMICFRS items"


def change_phrase(now: int, before: int) -> str:
    """'an increase of 9' / 'a decrease of 3' / 'no change' since the last reporting quarter."""
    if now > before:
        return f"an increase of {now - before} since the last reporting quarter"
    if now < before:
        return f"a decrease of {before - now} since the last reporting quarter"
    return "no change since the last reporting quarter"


def _compared(pct: int | None, previous: dict[str, Any] | None) -> str:
    """', down from 80% in the previous cycle' (the seed's comparison), or nothing without one."""
    if not previous or previous.get("pct") is None or pct is None:
        return ""
    before = previous["pct"]
    word = "down from" if pct < before else "up from" if pct > before else "the same as"
    return f", {word} {before}% in the previous cycle"


def sentences(figures: dict[str, Any], previous_response_rate: dict[str, Any] | None = None) -> dict[str, str]:
    """Topic -> sentence, in the order the seed report tells them."""
    out, prev = figures["outstanding"], figures["previous_quarter"]
    overdue, fc, dl = figures["overdue"], figures["forthcoming"], figures["delivered"]
    rr, stale, insp = figures["response_rate"], figures["stale"], figures["inspections"]
    text = {
        "new": f"Since last quarter's report, {count_of(figures['new_in_quarter'], 'new DARA action', zero='no')} that meet the "
        f"monitoring threshold {'has' if figures['new_in_quarter'] == 1 else 'have'} been received.",
        "delivered": f"During the same period, {_n(dl['total'], 'action')} {'was' if dl['total'] == 1 else 'were'} "
        f"implemented and {'is' if dl['total'] == 1 else 'are'} now proposed as closed. Of these, "
        f"{dl['original']} {'is' if dl['original'] == 1 else 'are'} from original audits and "
        f"{dl['follow_up']} from follow-ups.",
        "outstanding": f"The total number of outstanding actions is now {out['total']} compared to "
        f"{prev['outstanding']['total']} last quarter.",
        "audits": f"The {out['total']} outstanding actions pertain to {_n(out['audits'], 'audit')}. {out['limited']} "
        f"are in response to both medium and high risk in “limited assurance” reports and "
        f"{out['high_other']} to address high-risk actions from all reports.",
        "overdue": f"We now have {overdue['total']} outstanding actions past their original due dates, "
        f"{change_phrase(overdue['total'], prev['overdue']['total'])}; revised dates have been agreed "
        f"for {overdue['with_revised_date']} of the {overdue['total']}.",
        "forthcoming": f"{_n(fc['next_12_months'], 'action')} {'needs' if fc['next_12_months'] == 1 else 'need'} "
        f"to be implemented within the next 12 months, "
        f"of which {fc['by_quarter_end']} {'is' if fc['by_quarter_end'] == 1 else 'are'} due by "
        f"the end of the quarter.",
        "stale": f"{_n(stale['count'], 'outstanding action')} {'was' if stale['count'] == 1 else 'were'} originally "
        f"due before {long_date(stale['before'])}.",
        "response": (
            f"We requested updates on {_asked(rr)} in the latest update cycle and received "
            f"a {rr['pct'] if rr['pct'] is not None else 0}% response rate ({rr['responded']} responded"
            f"{_compared(rr['pct'], previous_response_rate)})."
            if rr
            else "No update cycle had been opened by the report date."
        ),
        "inspections": f"The tracker holds {insp['open']} open HMICFRS recommendations and areas for improvement.",
    }
    if "delivered_by_group" in figures:  # figures computed before issue 23's sections have none of these
        text.update(section_sentences(figures))
    return text
