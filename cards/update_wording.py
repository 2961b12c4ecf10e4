"""What an owner is told about an update outcome: the store returns codes and data, this words them."""
from __future__ import annotations

from cards.common import plain
from domain.update_views import (
    ACTION, CLOSED, INVALID, NOT_FOUND, REFUSED, SAVED, STALE, UpdateOutcome,
)

__all__ = ["outcome_message", "stale_notice"]


def _saved(outcome: UpdateOutcome) -> str:
    parts = ["Saved."]
    item = outcome.item
    status_changed = "status" in outcome.changed and item is not None
    if outcome.kind == ACTION:
        if outcome.proposed_date is not None:
            parts.append(f"Revised date {outcome.proposed_date:%d %b %Y} proposed — awaiting Strategy & Governance.")
        if status_changed and item is not None and item.status == "implemented":
            parts.append("Marked implemented — proposed to DARA for closure.")
    elif status_changed and item is not None and item.status == "submitted for closure":
        parts.append("Submitted for closure — awaiting Strategy & Governance.")
    return " ".join(parts)


def _refused(outcome: UpdateOutcome) -> str:
    if outcome.refusal == CLOSED:
        when = f" on {outcome.closed_on:%d %b %Y}" if outcome.closed_on else ""
        return (f"{outcome.ref} is {outcome.item_status or 'closed'}{when}, so it is no longer updated here. "
                "If that is wrong, please contact Strategy & Governance.")
    # The store names the group only to someone who may see it, and never the owner.
    spoc = f"the {outcome.group} SPOC" if outcome.group else "its business group's SPOC"
    return (f"You can't update {outcome.ref}: only its owner, a delegate they have named, "
            f"{spoc} or Strategy & Governance can.")


def outcome_message(outcome: UpdateOutcome) -> str:
    """The sentence at the top of the card (empty for a plain form)."""
    if outcome.status == SAVED:
        return _saved(outcome)
    if outcome.status == INVALID:
        return "Not saved yet: please fix the fields marked below."
    if outcome.status == STALE:
        return f"Not saved: {outcome.ref} was changed after this card was sent. Here is how it stands now."
    if outcome.status == NOT_FOUND:
        what = "an action" if outcome.kind == ACTION else "an HMICFRS item"
        return f"I can't find {what} with the reference '{outcome.ref}'. Type **my actions** to see yours."
    if outcome.status == REFUSED:
        return _refused(outcome)
    return ""


def stale_notice(outcome: UpdateOutcome) -> str:
    who = ""
    if outcome.changed_by:
        when = f", {outcome.changed_at:%d %b %Y %H:%M}" if outcome.changed_at else ""
        who = f" (last change: {plain(outcome.changed_by)}{when})"
    return f"{outcome_message(outcome)}{who} Check it, then make your change again."
