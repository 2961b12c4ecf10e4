"""Sample action and HMICFRS item views, and readers for card inputs, for the owner's card tests."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any, Iterator

from domain.update_views import ActionView, InspectionView, ItemPage
from tests.fakes.live_bot import card_buttons, card_inputs

TODAY = date(2026, 11, 26)
LONG = "Review and re-issue the expenses approval policy, retrain every approver and report monthly " * 60
UNICODE = "Überprüfung – “Disclosure” ✅ 事件 مراجعة 🚓 naïve café"


def action(i: int = 1, **changes: Any) -> ActionView:
    base = ActionView(
        ref=f"DARA-2011-{i:03d}",
        description="Document the end-to-end disclosure process and communicate it",
        audit_title="Case File Management – Disclosure",
        risk="high",
        business_group="Met Operations",
        owner_name="Olivia Owen",
        owner_email="olivia.owen@met.police.example",
        due_date=TODAY - timedelta(days=45),
        revised_due_date=None,
        status="in progress",
        version=3,
        delay_reason="Resource challenges",
        last_update_on=TODAY - timedelta(days=20),
        last_update_note="Draft reviewed by the command board.",
        days_overdue=45,
        position=i,
    )
    return dataclasses.replace(base, **changes)


def inspection(i: int = 1, **changes: Any) -> InspectionView:
    base = InspectionView(
        ref=f"HMI-2018-{i:03d}",
        inspection="Unannounced inspection visit to police custody suites",
        inspection_year="2018/19",
        scope="force",
        kind="afi",
        theme="Vulnerability",
        business_group="Met Operations",
        owner_name="Olivia Owen",
        due_date=TODAY - timedelta(days=3),
        status="open",
        version=1,
        days_overdue=3,
        position=i,
    )
    return dataclasses.replace(base, **changes)


def pages(items: list[Any], kind: str, size: int = 8) -> Iterator[ItemPage]:
    total = len(items)
    for n in range(max(1, -(-total // size))):
        yield ItemPage(
            kind=kind,
            items=tuple(items[n * size : (n + 1) * size]),
            page=n,
            page_size=size,
            total=total,
            overdue_total=sum(1 for i in items if i.days_overdue),
            other_total=4,
        )


buttons, inputs = card_buttons, card_inputs


def error_after(card: dict[str, Any], input_id: str) -> str | None:
    """The error text placed directly under an input in the card body."""
    body = card["body"]
    for i, node in enumerate(body):
        if node.get("id") == input_id:
            nxt = body[i + 1] if i + 1 < len(body) else {}
            return nxt.get("text") if nxt.get("color") == "Attention" else None
    for node in body:
        if node.get("type") == "Container":
            found = error_after({"body": node["items"]}, input_id)
            if found:
                return found
    return None
