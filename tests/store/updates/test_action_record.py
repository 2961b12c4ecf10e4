"""The owner's card view and the tab's detail read one action through one mapping
(store/updates/records.py): they agree on every fact they share, and the detail's JSON keys
(what web/api.py returns to the tab) are the ones the page reads."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from domain.update_views import SAVED
from store.queries.detail import action_detail
from store.updates.actions import action_view
from store.updates.proposals import pending_dates
from tests.store.owner_tracker import REASON, OwnerTracker, save

# The tab's detail pane reads these keys (web/page); renaming one breaks it silently.
DETAIL_KEYS = {
    "ref", "description", "audit", "audit_received", "audit_kind", "assurance", "risk", "monitored", "group",
    "owner", "owner_email", "status", "due_date", "revised_due_date", "effective_due", "days_overdue",
    "delay_reason", "key_theme", "implemented_on", "closed_on", "last_update_on", "last_update_note",
    "evidence_note", "evidence_link", "pending_revised_date", "history", "kind",
}  # fmt: skip


def test_card_view_and_tab_detail_agree_on_the_shared_facts(t: OwnerTracker) -> None:
    revised = t.today + timedelta(days=200)
    outcome = save(t, "olivia", "OVR-1", status="in progress", delay_reason=REASON, revised_date=revised.isoformat())
    assert outcome.status == SAVED
    t.session.flush()
    action = t.action("OVR-1")
    pending = pending_dates(t.session, [action.id]).get(action.id)
    view = action_view(action, t.viewer("laura"), t.today, pending=pending, position=3)
    detail = action_detail(t.session, t.viewer("grace"), "OVR-1", t.today)
    assert detail is not None

    assert set(dataclasses.asdict(detail)) == DETAIL_KEYS
    assert view.pending_date == detail.pending_revised_date == revised
    assert view.days_overdue == detail.days_overdue > 0
    assert view.effective_due_date == detail.effective_due
    assert (view.ref, view.description, view.audit_title, view.risk, view.business_group) == (
        detail.ref,
        detail.description,
        detail.audit,
        detail.risk,
        detail.group,
    )
    assert (view.owner_name, view.owner_email, view.status, view.due_date, view.delay_reason) == (
        detail.owner,
        detail.owner_email,
        detail.status,
        detail.due_date,
        detail.delay_reason,
    )
    # The card's own facts: laura covers for olivia, and the place in the list is the caller's.
    assert view.on_behalf_of == "Olivia Owen" and view.position == 3
    assert action_view(action, t.viewer("olivia"), t.today).on_behalf_of is None
