"""One action's (or HMICFRS item's) detail, and the polite refusal and unknown-group cards."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from cards.answers import PAGE_VERB
from cards.common import adaptive_card, execute, facts, fmt_date, heading, message, open_url, plain, shorten, text
from domain.evidence import split_links
from domain.text import safe_link

if TYPE_CHECKING:
    from domain.answers import ActionDetail, HistoryLine, InspectionDetail, Refusal

__all__ = ["detail_card", "refusal_card", "refusal_words", "not_found_card", "bad_button_card"]

_FIELD_NAMES = {
    "_created": "created",
    "revised_due_date": "revised due date",
    "delay_reason": "delay reason",
    "last_update_note": "progress note",
    "last_update_on": "last update",
    "implemented_on": "implemented on",
    "closed_on": "closed on",
    "evidence_note": "evidence",
    "evidence_link": "evidence link",
}


def _history(lines: Sequence["HistoryLine"]) -> list[dict[str, Any]]:
    if not lines:
        return [text("No recorded changes.", subtle=True, size="Small")]
    out = []
    for h in lines:
        field = _FIELD_NAMES.get(h.field, h.field.replace("_", " "))
        change = (
            "created" if h.field == "_created" else f"{field}: {plain(h.old, 40) or '—'} → {plain(h.new, 60) or '—'}"
        )
        out.append(text(f"{fmt_date(h.at)} · {plain(h.actor)} · {change}", size="Small", spacing="None"))
    return out


def _back(q: dict[str, Any] | None, page: int) -> list[dict[str, Any]]:
    return [execute("Back to the list", PAGE_VERB, {"q": q, "page": page})] if q else []


def _link(value: str | None) -> list[dict[str, Any]]:
    """A button per evidence link on file (several are stored one per line), the first three."""
    # https only, and no bidi or control characters hiding where it goes
    links = [link for link in (safe_link(one) for one in split_links(value)) if link][:3]
    if len(links) == 1:
        return [open_url("Open the evidence", links[0])]
    return [open_url(f"Open evidence {n}", link) for n, link in enumerate(links, 1)]


def detail_card(
    detail: "ActionDetail | InspectionDetail", q: dict[str, Any] | None = None, page: int = 0
) -> dict[str, Any]:
    """Every field of the item and its recent history; Back re-asks the question it came from."""
    if detail.kind == "inspection":
        return _inspection_card(detail, q, page)  # type: ignore[arg-type]
    d: ActionDetail = detail  # type: ignore[assignment]
    late = f"{d.days_overdue} days" if d.days_overdue else None
    body = [
        heading(plain(d.ref)),
        text(plain(d.description, 1200)),
        facts(
            [
                ("Status", d.status),
                ("Business group", d.group),
                ("Owner", f"{d.owner} ({d.owner_email})"),
                ("Audit", f"{d.audit} ({d.audit_kind}, received {d.audit_received})"),
                ("Assurance", d.assurance),
                ("Risk", d.risk + ("" if d.monitored else " (below the monitoring threshold: not counted centrally)")),
                ("Original due date", fmt_date(d.due_date)),
                ("Revised due date (agreed)", fmt_date(d.revised_due_date) if d.revised_due_date else None),
                ("Effective due date", fmt_date(d.effective_due)),
                ("Days overdue", late),
                (
                    "Revised date proposed, awaiting governance",
                    fmt_date(d.pending_revised_date) if d.pending_revised_date else None,
                ),
                ("Delay reason", d.delay_reason),
                ("Key theme", d.key_theme),
                ("Implemented on", fmt_date(d.implemented_on) if d.implemented_on else None),
                ("Closed on", fmt_date(d.closed_on) if d.closed_on else None),
                ("Last update", fmt_date(d.last_update_on) if d.last_update_on else None),
                ("Progress note", shorten(d.last_update_note, 500) if d.last_update_note else None),
                ("Evidence", shorten(d.evidence_note, 300) if d.evidence_note else None),
            ]
        ),
        text("Recent history", weight="Bolder"),
        *_history(d.history),
    ]
    return adaptive_card(body, _back(q, page) + _link(d.evidence_link))


def _inspection_card(d: "InspectionDetail", q: dict[str, Any] | None, page: int) -> dict[str, Any]:
    body = [
        heading(f"{plain(d.ref)} ({d.item_kind.upper()})"),
        text(plain(d.inspection, 600)),
        facts(
            [
                ("Status", d.status),
                ("Inspection year", d.inspection_year),
                ("Scope", "nationwide" if d.scope == "nationwide" else "this force"),
                ("Theme", d.theme),
                ("Business group", d.group),
                ("Owner", d.owner),
                ("Due date", fmt_date(d.due_date) if d.due_date else None),
                ("Last update", fmt_date(d.last_update_on) if d.last_update_on else None),
                ("Progress note", shorten(d.progress_note, 500) if d.progress_note else None),
                ("Evidence", shorten(d.evidence_note, 300) if d.evidence_note else None),
            ]
        ),
        text("Recent history", weight="Bolder"),
        *_history(d.history),
    ]
    return adaptive_card(body, _back(q, page) + _link(d.evidence_link))


def _join(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def refusal_words(refusal: "Refusal") -> str:
    """Why a group's figures are not shown to this person, and what they may ask about instead."""
    if refusal.kind == "unknown_group":
        return f"There is no business group called “{refusal.asked[0] if refusal.asked else ''}” on the tracker."
    return (
        f"{_join(refusal.asked)} is outside the groups you lead, so I can't show its actions. "
        f"You can ask about {_join(refusal.allowed)}."
    )


def refusal_card(refusal: "Refusal") -> dict[str, Any]:
    """Out of scope: say politely what this person can ask about. Unknown: list the groups known."""
    if refusal.kind == "unknown_group":
        asked = plain(refusal.asked[0] if refusal.asked else "", 60)
        body = [
            heading("I don't know that business group"),
            text(f"There is no business group called “{asked}” on the tracker. These are the ones I know:"),
            *[text(f"• {plain(g)}", spacing="None") for g in refusal.known[:40]],
            text('Try again with one of these names (short forms like "Met Ops" work too).', subtle=True),
        ]
        buttons = [execute(f"Overdue in {g}"[:40], "ask", {"text": f"overdue in {g}"}) for g in refusal.known[:3]]
        return adaptive_card(body, buttons)
    body = [
        heading("Sorry, I can't share that"),
        text(plain(refusal_words(refusal), 2000)),
        text("Strategy & Governance can give you force-wide figures.", subtle=True),
    ]
    return adaptive_card(
        body,
        [
            execute("What's overdue in my group", "ask", {"text": "what's overdue in my group"}),
            execute("Summary for my group", "ask", {"text": "summary for my group"}),
        ],
    )


def not_found_card(ref: str) -> dict[str, Any]:
    return message(
        "I can't show that item", f"“{plain(ref, 60)}” isn't on the tracker, or it is outside what you can see."
    )


def bad_button_card() -> dict[str, Any]:
    return message(
        "That button no longer works",
        "The card it came from is out of date. Ask your question again, for example “summary”.",
    )
