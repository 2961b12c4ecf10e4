"""What an owner is told about an update outcome: the store returns codes and data, this words them."""

from __future__ import annotations

from cards.common import plain
from domain.update_views import ACTION, CLOSED, INVALID, NOT_FOUND, REFUSED, SAVED, STALE, ActionView, UpdateOutcome

__all__ = ["outcome_message", "stale_notice", "next_step"]


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
        return (
            f"{outcome.ref} is {outcome.item_status or 'closed'}{when}, so it is no longer updated here. "
            "If that is wrong, please contact Strategy & Governance."
        )
    # The store names the group only to someone who may see it, and never the owner.
    spoc = f"the {outcome.group} SPOC" if outcome.group else "its business group's SPOC"
    return (
        f"You can't update {outcome.ref}: only its owner, a delegate they have named, "
        f"{spoc} or Strategy & Governance can."
    )


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


def _by_when(outcome: UpdateOutcome) -> str:
    """When governance looks: with the answers to the open update round, if one asked about this item."""
    if outcome.cycle_deadline is None:
        return "at their next review of the tracker"
    return f"with this quarter's updates, once the round closes on {outcome.cycle_deadline:%d %b %Y}"


def next_step(outcome: UpdateOutcome) -> str | None:
    """What happens after a save: who decides, and by when (docs/domain.md: Strategy & Governance
    accept or reject revised dates and closures; until then a proposal changes nothing)."""
    item = outcome.item
    if outcome.status != SAVED or item is None:
        return None
    action = item if isinstance(item, ActionView) else None
    told = " You will get a message in Teams with their decision." if action is not None else ""
    if action is not None and outcome.proposed_date is not None:
        return (
            f"Your revised date of {outcome.proposed_date:%d %b %Y} goes to Strategy & Governance for a "
            f"decision {_by_when(outcome)}. Until they accept it, the due date stays "
            f"{action.effective_due_date:%d %b %Y}.{told}"
        )
    if "status" in outcome.changed and item.status in ("implemented", "submitted for closure"):
        what = "action" if action is not None else "item"
        return (
            f"Strategy & Governance will review your closure request {_by_when(outcome)}. "
            f"If they accept it, the {what} is closed.{told}"
        )
    parts = []
    if action is not None and "delay_reason" in outcome.changed and not action.delay_reason:
        parts.append(f"Delay reason cleared: the action is back on track for {action.effective_due_date:%d %b %Y}.")
    if outcome.cycle_deadline is not None:
        parts.append(
            f"This is your answer to this quarter's update round (due {outcome.cycle_deadline:%d %b %Y}): "
            "nothing more is needed from you for it."
        )
    else:
        parts.append(
            "Nothing needs a decision: your update is on the tracker for Strategy & Governance and your business group."
        )
    return " ".join(parts)
