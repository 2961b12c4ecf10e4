"""Progress of an update cycle (the governance card updated in place; also 'cycle status'), and the
digest each group's SPOC and chief officer get.

Plain data in: `CycleStatus.as_json()`, and the typed Digest message (domain/messages.py).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from cards.common import adaptive_card, execute, facts, heading, plain, shorten, table, text
from cards.cycle import fit, iso_date
from cards.cycle_wording import delivery_words, scope_words
from domain.messages import Digest
from domain.phrases import count_of, first_upper, plural

__all__ = ["progress_card", "digest_card", "MAX_ROWS"]

MAX_ROWS = 30
_REQUEST_WORDS = {
    "sent": "request sent",
    "queued": "request waiting",
    "sending": "request sending",
    "failed": "request failed",
    "not_installed": "bot not installed",
    "none": "no request",
}


def _rate(responded: int, asked: int, pct: int | None) -> str:
    return f"{responded} of {asked} ({pct}%)" if pct is not None else "nothing asked"


class _Row(NamedTuple):
    """A non-responder as the tables show one (from the status JSON, or a digest's NonResponder)."""

    name: str
    items: int
    request: str
    group: str = ""


def _non_responder_table(people: list[_Row], with_group: bool, most: int = MAX_ROWS) -> list[dict[str, Any]]:
    if not people:
        return [text("✓ Everyone has responded.", weight="Bolder")]
    header = ["Owner", "Group", "Items", "Request"] if with_group else ["Owner", "Items", "Request"]
    rows = [
        [shorten(p.name, 40), shorten(p.group, 30), p.items, _REQUEST_WORDS.get(p.request, p.request)]
        if with_group
        else [shorten(p.name, 40), p.items, _REQUEST_WORDS.get(p.request, p.request)]
        for p in people[:most]
    ]
    blocks = [table(header, rows, widths=[3, 3, 1, 2] if with_group else [3, 1, 2])] if rows else []
    if len(people) > most:
        blocks.append(text(f"…and {len(people) - most} more.", subtle=True))
    return blocks


def progress_card(
    status: dict[str, Any], *, manage: bool = True, show_people: bool = False, updated: str | None = None
) -> dict[str, Any]:
    """Sent, failed, pending, not installed; responses and the response rate overall and by group.

    `manage`: governance buttons (remind, close); `show_people`: list the non-responders."""
    return fit(lambda most: _progress(status, manage, show_people, updated, most), MAX_ROWS)


def _progress(
    status: dict[str, Any], manage: bool, show_people: bool, updated: str | None, most: int
) -> dict[str, Any]:
    req = status["requests"]
    rate = status["response_rate"]
    closed = status["status"] != "open"
    body = [
        heading(f"Update cycle {status['cycle']}{' (closed)' if closed else ''}"),
        text(
            f"{first_upper(scope_words(status['scope']))} · deadline {iso_date(status['deadline'])}",
            subtle=True,
            spacing="None",
        ),
        facts(
            [
                ("Requests sent", f"{req['sent']} of {req['total']}"),
                ("Pending", req["pending"]),
                ("Failed", req["failed"]),
                ("Not installed", req["not_installed"]),
                ("Responded", _rate(rate["responded"], rate["asked"], rate["pct"])),
                ("Owners fully updated", f"{status['owners']['responded_fully']} of {status['owners']['asked']}"),
                ("Reminders sent", status.get("reminders", {}).get("reminder", 0) or None),
            ]
        ),
    ]
    groups = status.get("by_group") or []
    if groups:
        body.append(text("Response rate by business group", weight="Bolder", spacing="Medium"))
        body.append(
            table(
                ["Group", "Asked", "Responded", "Rate"],
                [
                    [
                        shorten(g["group"], 40),
                        g["asked"],
                        g["responded"],
                        f"{g['pct']}%" if g["pct"] is not None else "—",
                    ]
                    for g in groups[:MAX_ROWS]
                ],
                widths=[3, 1, 1, 1],
            )
        )
    failures = status.get("failures") or []
    if failures:
        body.append(
            text(
                "Could not deliver to: "
                + "; ".join(f"{plain(f['owner'], 40)} ({plain(delivery_words(f['reason']), 60)})" for f in failures[:5])
                + (" …" if len(failures) > 5 else ""),
                subtle=True,
                size="Small",
            )
        )
    if show_people:
        people = [
            _Row(p["name"], p["items"], p["request"], g["group"] or "") for g in groups for p in g["non_responders"]
        ]
        body.append(text("Not yet responded", weight="Bolder", spacing="Medium"))
        body += _non_responder_table(people, with_group=len(groups) > 1, most=most)
    if updated:
        body.append(text(f"Updated {updated}", subtle=True, size="Small"))
    actions = [execute("Refresh", "cycle.status", {"cycle": status["cycle"]})]
    if not show_people:
        actions.append(execute("Who hasn't responded", "cycle.status", {"cycle": status["cycle"], "people": True}))
    if manage and not closed:
        actions.append(execute("Send reminders", "cycle.remind", {"cycle": status["cycle"]}))
        actions.append(execute("Close cycle", "cycle.close", {"cycle": status["cycle"]}, style="destructive"))
    return adaptive_card(body, actions)


def digest_card(digest: Digest) -> dict[str, Any]:
    """To a group's SPOC and chief officer: who in the group has not responded yet."""
    people = [_Row(p.name, p.items, p.request) for p in digest.non_responders]
    first = digest.recipient.split(" ")[0]
    rate = f"{digest.responded} of {digest.asked} items updated ({digest.pct}%)" if digest.pct is not None else ""
    head = [
        heading(f"{digest.group}: not yet responded"),
        text(
            (f"Hello {first}, " if first else "") + f"{count_of(len(people), 'owner')} in "
            f"{digest.group} {plural(len(people), 'has', 'have')} not updated all their items. "
            f"The deadline is **{iso_date(digest.deadline)}**. {rate}."
        ),
    ]
    button = execute("Cycle status", "cycle.status", {"cycle": digest.cycle_id, "people": True})
    return fit(lambda most: adaptive_card(head + _non_responder_table(people, False, most), [button]), 60)
