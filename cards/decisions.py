"""Governance decisions on proposed revised dates and closures, and the outcome card owners get.

Plain data in (`Pending.as_json()`: ISO dates as text), card dicts out. One page shows up to
PAGE_SIZE items, each with a reason box and Accept / Reject; a multi-select decides several at
once with one reason.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from cards.common import (
    action_set,
    adaptive_card,
    badge,
    choice_input,
    container,
    error_text,
    execute,
    facts,
    heading,
    plain,
    shorten,
    text,
    text_input,
)
from cards.cycle import fit, iso_date
from cards.cycle_request import my_actions_button
from domain.decisions import (
    ALREADY_DECIDED,
    DATE_OUT_OF_RANGE,
    DECIDED,
    NO_SUCH_ACTION,
    NO_SUCH_PROPOSAL,
    NOT_PERMITTED,
    NOT_PROPOSED,
    REASON_NEEDED,
    REASON_TOO_LONG,
    REVISED,
    UNKNOWN_KIND,
    DecisionResult,
)
from domain.message_parts import DecisionLine
from domain.messages import Outcome
from domain.phrases import count_of
from domain.text import LIMITS

__all__ = ["decisions_card", "outcome_card", "reason_input_id", "result_line", "refusal_words", "PAGE_SIZE"]

PAGE_SIZE = 8
MAX_OUTCOMES = 30

_NOT_PERMITTED = "only Strategy & Governance staff decide revised dates and closures"
_WORDS: dict[str, Callable[[DecisionResult], str]] = {
    NO_SUCH_PROPOSAL: lambda r: "no such proposed revised date",
    ALREADY_DECIDED: lambda r: f"already {r.detail}",
    DATE_OUT_OF_RANGE: lambda r: (
        f"the proposed date {r.date} is not after today and within ten years: reject it with a reason"
    ),
    NO_SUCH_ACTION: lambda r: "no such action",
    NOT_PROPOSED: lambda r: f"not proposed for closure (status is {r.detail})",
    REASON_NEEDED: lambda r: "a reason is needed to reject",
    REASON_TOO_LONG: lambda r: (
        f"the reason is {int(r.detail or 0):,} characters: keep it to {LIMITS['decision_reason']:,}"
    ),
    UNKNOWN_KIND: lambda r: f"unknown decision kind {r.detail!r}",
    NOT_PERMITTED: lambda r: _NOT_PERMITTED,
}


def result_line(result: DecisionResult) -> str:
    """'DARA-1: closure accepted', 'revised 12: no such proposed revised date' (a note or a problem)."""
    if result.outcome == DECIDED:
        words = (
            f"revised due date {result.date} {result.detail}"
            if result.decision.kind == REVISED
            else f"closure {result.detail}"
        )
    else:
        words = _WORDS[result.outcome](result) if result.outcome in _WORDS else result.outcome
    return f"{result.ref or result.decision.kind + ' ' + str(result.decision.id)}: {words}"


def refusal_words() -> str:
    """Why someone who is not governance may not decide (the tab's 403 says it as the card's line does)."""
    return _NOT_PERMITTED[:1].upper() + _NOT_PERMITTED[1:] + "."


def reason_input_id(kind: str, item_id: int) -> str:
    return f"reason_{kind}_{item_id}"


def _buttons(kind: str, item_id: int, what: str) -> dict[str, Any]:
    data = {"kind": kind, "id": item_id}
    return action_set(
        [
            execute(
                f"Accept {what}",
                "decision.decide",
                {**data, "accept": True},
                style="positive",
                associated_inputs="auto",
            ),
            execute(
                "Reject", "decision.decide", {**data, "accept": False}, style="destructive", associated_inputs="auto"
            ),
        ]
    )


def _revised_block(item: dict[str, Any]) -> dict[str, Any]:
    return container(
        [
            text(f"**{plain(item['ref'], 30)}** {plain(item['title'], 100)}", spacing="None"),
            facts(
                [
                    ("Owner", shorten(f"{item['owner']} ({item['group']})", 80)),
                    ("Original due", iso_date(item["due"])),
                    ("Accepted revised date", iso_date(item["revised"]) if item.get("revised") else None),
                    ("Proposed date", iso_date(item["proposed"])),
                    ("Delay reason", shorten(item.get("delay_reason"), 100)),
                    ("Proposed on", iso_date(item["proposed_on"])),
                ]
            ),
            text_input(reason_input_id("revised", item["proposal_id"]), "Reason (needed to reject)", max_length=1000),
            _buttons("revised", item["proposal_id"], "date"),
        ],
        separator=True,
        spacing="Medium",
    )


def _closure_block(item: dict[str, Any]) -> dict[str, Any]:
    return container(
        [
            text(f"**{plain(item['ref'], 30)}** {plain(item['title'], 100)}", spacing="None"),
            facts(
                [
                    ("Owner", shorten(f"{item['owner']} ({item['group']})", 80)),
                    ("Due", iso_date(item["due"])),
                    ("Implemented on", iso_date(item.get("implemented_on"))),
                    ("Evidence", shorten(item.get("evidence"), 200) or "none given"),
                ]
            ),
            text_input(reason_input_id("closure", item["action_id"]), "Reason (needed to reject)", max_length=1000),
            _buttons("closure", item["action_id"], "closure"),
        ],
        separator=True,
        spacing="Medium",
    )


def decisions_card(
    pending: dict[str, Any],
    *,
    page: int = 0,
    page_size: int = PAGE_SIZE,
    notes: Sequence[str] = (),
    problems: Sequence[str] = (),
) -> dict[str, Any]:
    """Pending revised dates and closures, a page at a time, with one-by-one and bulk decisions."""
    return fit(lambda size: _decisions(pending, page, max(1, size), notes, problems), max(1, page_size))


def _decisions(
    pending: dict[str, Any], page: int, size: int, notes: Sequence[str], problems: Sequence[str]
) -> dict[str, Any]:
    entries = [("revised", r) for r in pending.get("revised") or []] + [
        ("closure", c) for c in pending.get("closures") or []
    ]
    pages = max(1, -(-len(entries) // size))
    page = min(max(0, page), pages - 1)
    shown = entries[page * size : (page + 1) * size]
    n_rev, n_clo = len(pending.get("revised") or []), len(pending.get("closures") or [])
    body = [
        heading("Decisions waiting"),
        text(
            f"{count_of(n_rev, 'proposed revised date')} and {count_of(n_clo, 'closure proposal')}."
            + (f" Page {page + 1} of {pages}." if pages > 1 else "")
        ),
    ]
    body += [text(f"✓ {plain(n, 120)}", spacing="None") for n in notes[:10]]
    if len(notes) > 10:
        body.append(text(f"✓ …and {len(notes) - 10} more decided.", spacing="None"))
    body += [error_text(plain(p, 120)) for p in problems[:10]]
    if not entries:
        body.append(text("Nothing is waiting for a decision.", spacing="Medium"))
        return adaptive_card(body, [execute("Refresh", "decisions.show", {})])
    for kind, item in shown:
        body.append(_revised_block(item) if kind == "revised" else _closure_block(item))
    choices = [
        (
            shorten(
                f"{item['ref']}: "
                + (f"revised date {iso_date(item['proposed'])}" if kind == "revised" else "closure")
                + f" ({item['owner']})",
                80,
            ),
            f"{kind}:{item['proposal_id'] if kind == 'revised' else item['action_id']}",
        )
        for kind, item in shown
    ]
    body.append(
        container(
            [
                text("Decide several at once", weight="Bolder"),
                choice_input("selected", "Select items on this page", choices, multi=True, style="expanded"),
                text_input("bulk_reason", "Reason for all selected (needed to reject)", max_length=1000),
                action_set(
                    [
                        execute(
                            "Accept selected",
                            "decisions.bulk",
                            {"accept": True, "page": page, "size": size},
                            style="positive",
                            associated_inputs="auto",
                        ),
                        execute(
                            "Reject selected",
                            "decisions.bulk",
                            {"accept": False, "page": page, "size": size},
                            style="destructive",
                            associated_inputs="auto",
                        ),
                    ]
                ),
            ],
            separator=True,
            spacing="Large",
        )
    )
    nav = []
    if page > 0:
        nav.append(execute("Previous", "decisions.show", {"page": page - 1, "size": size}))
    if page < pages - 1:
        nav.append(execute("Next", "decisions.show", {"page": page + 1, "size": size}))
    nav.append(execute("Refresh", "decisions.show", {"page": page, "size": size}))
    return adaptive_card(body, nav)


def _outcome_line(item: DecisionLine) -> list[dict[str, Any]]:
    if item.kind == "revised":
        what = f"Revised due date {iso_date(item.date)} " + ("accepted" if item.accepted else "not accepted")
    else:
        what = (
            "Closure accepted: the action is closed"
            if item.accepted
            else "Closure not accepted: the action is back in progress"
        )
    lines = [
        text(f"**{plain(item.ref, 30)}** {plain(item.title, 90)}", spacing="None"),
        badge(f"✓ {what}", "Default") if item.accepted else badge(what, "Attention"),
    ]
    if item.reason:
        lines.append(text(f"Reason: {plain(item.reason, 300)}", subtle=True, size="Small", spacing="None"))
    return [container(lines, separator=True, spacing="Small")]


def outcome_card(outcome: Outcome) -> dict[str, Any]:
    """To the owner: what governance decided on their proposals, and why (domain/messages.py Outcome)."""
    items = list(outcome.items)
    first = outcome.owner.split(" ")[0]
    head = [
        heading("Decisions on your actions"),
        text(
            (f"Hello {first}, " if first else "") + f"{outcome.decided_by or 'Strategy & Governance'} "
            f"has decided on {len(items)} of your proposals."
        ),
    ]

    def build(shown: int) -> dict[str, Any]:
        body = list(head)
        for item in items[:shown]:
            body += _outcome_line(item)
        if len(items) > shown:
            body.append(text(f"…and {len(items) - shown} more. Open **My actions** to see them all."))
        return adaptive_card(body, [my_actions_button()])

    return fit(build, MAX_OUTCOMES)
