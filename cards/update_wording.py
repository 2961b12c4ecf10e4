"""What an owner is told about an update outcome: the store returns codes and data, this words them
(the outcome itself, and each problem the update rules found with an input)."""

from __future__ import annotations

from typing import Callable, Mapping

from cards.common import fmt_date, plain
from domain import update_problems as P
from domain.update_problems import UpdateProblem
from domain.update_views import ACTION, CLOSED, INVALID, NOT_FOUND, REFUSED, SAVED, STALE, ActionView, UpdateOutcome

__all__ = ["outcome_message", "stale_notice", "next_step", "problem_words", "error_messages"]


def _quoted(link: str | None, limit: int = 60) -> str:
    link = link or ""
    return f"‘{link if len(link) <= limit else link[: limit - 1] + '…'}’"


def _not_https(p: UpdateProblem) -> str:
    what = "is not an https link" if not p.count else f"and {p.count} more are not https links"
    return (
        f"Evidence links must start with https:// — {_quoted(p.link)} {what}. "
        "Put one link per line, or describe the evidence in the note."
    )


_PROBLEMS: dict[str, Callable[[UpdateProblem], str]] = {
    P.TOO_LONG: lambda p: f"Too long: {p.count or 0:,} characters. Please keep it to {p.limit or 0:,}.",
    P.TOO_MANY_LINKS: lambda p: (
        f"Up to {p.limit} links, please ({p.count} given): put the rest in one shared folder or page."
    ),
    P.NOT_HTTPS: _not_https,
    P.EVIDENCE_FOR_IMPLEMENTED: lambda p: (
        "Evidence is required when marking an action implemented: add a note, a link, or both."
    ),
    P.EVIDENCE_FOR_CLOSURE: lambda p: (
        "Evidence is required when submitting an item for closure: add a note, a link, or both."
    ),
    P.ACTION_STATUS_NOT_OWNERS: lambda p: (
        "Choose open, in progress or implemented. Closing or superseding an action "
        "is decided by DARA and Strategy & Governance."
    ),
    P.INSPECTION_STATUS_NOT_OWNERS: lambda p: (
        "Choose open or submitted for closure. Closing an item is decided by Strategy & Governance."
    ),
    P.DATE_UNREADABLE: lambda p: "Enter the date as YYYY-MM-DD.",
    P.DATE_NOT_FUTURE: lambda p: f"A revised date must be in the future (after {fmt_date(p.on)}).",
    P.DATE_TOO_FAR: lambda p: f"A revised date must be within ten years, by {fmt_date(p.on)}: check the year.",
    P.DATE_NOT_AFTER_DUE: lambda p: f"A revised date must be after the original due date, {fmt_date(p.on)}.",
    P.DATE_ALREADY_AGREED: lambda p: "That is already the agreed revised date: leave this empty to keep it.",
    P.DATE_WITH_IMPLEMENTED: lambda p: "Leave the revised date empty when marking the action implemented.",
    P.KEEPS_DELAY_REASON: lambda p: (
        "This action is past its original due date, so it keeps a delay reason: "
        "choose the reason that applies (or mark it implemented when it is done)."
    ),
    P.REASON_FOR_PROPOSAL: lambda p: (
        "Choose a delay reason for the revised date you are proposing, or leave "
        "the date empty if the action is back on track."
    ),
    P.REASON_WHILE_PENDING: lambda p: (
        f"Your revised date of {fmt_date(p.on)} is still waiting for "
        "Strategy & Governance, so its delay reason stays until they decide."
    ),
    P.REASON_NOT_LISTED: lambda p: "Choose a delay reason from the list.",
    P.REASON_NEEDED_OVERDUE: lambda p: "Choose a delay reason: this action is past its original due date.",
    P.REASON_NEEDED_PROPOSAL: lambda p: "Choose a delay reason: you are proposing a revised date.",
    P.NOTHING_TO_SAVE: lambda p: "Nothing to save yet: add a progress note or change a field.",
}


def problem_words(problem: UpdateProblem | str) -> str:
    """What to fix, in a sentence shown under the input (a str is already worded: shown as it is)."""
    if isinstance(problem, str):
        return problem
    words = _PROBLEMS.get(problem.code)
    return words(problem) if words else "Please check this field."


def error_messages(errors: Mapping[str, UpdateProblem | str]) -> dict[str, str]:
    """An invalid outcome's problems, worded, by input id."""
    return {name: problem_words(problem) for name, problem in errors.items()}


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
        cover = f" for {plain(outcome.changed_for)}" if outcome.changed_for else ""  # a cover acting for the owner
        who = f" (last change: {plain(outcome.changed_by)}{cover}{when})"
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
