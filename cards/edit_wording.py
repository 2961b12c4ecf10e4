"""What governance is told when an edit of an action's fields (store/updates/edits.py) does not save,
and what was saved: the one wording of those outcome codes, for the tab and any later caller."""

from __future__ import annotations

from typing import Mapping, Sequence

__all__ = ["FIELD_NAMES", "edit_outcome_words", "edit_problem_words"]

FIELD_NAMES = {
    "description": "title",
    "title": "title",
    "risk": "risk",
    "audit": "audit",
    "due_date": "due date",
    "revised_due_date": "revised due date",
    "owner_email": "owner",
}

_PROBLEMS = {
    "empty": "Give the action a title.",
    "too_long": "Too long: keep the title to 4,000 characters.",
    "unknown_risk": "Risk must be high, medium or low.",
    "unknown_audit": "No audit has that id: choose one from the list.",
}


def edit_problem_words(problems: Mapping[str, str]) -> dict[str, str]:
    """The sentence beside each field the edit refused."""
    return {name: _PROBLEMS.get(code, "Check this value.") for name, code in problems.items()}


def edit_outcome_words(outcome: str, ref: str, changed: Sequence[str] = ()) -> str:
    if outcome == "edited":
        fields = ", ".join(dict.fromkeys(FIELD_NAMES.get(f, f) for f in changed))
        return f"Saved {ref}: {fields} changed."
    return {
        "unchanged": f"Nothing changed on {ref}.",
        "not_found": f"No action has the reference '{ref}'. Check it and try again.",
        "not_permitted": f"Only Strategy & Governance can change {ref}'s title, risk, audit or due dates.",
        "stale": f"{ref} was changed by someone else meanwhile: reload it to see their change, then edit again.",
        "invalid": "Some values need fixing: see the messages beside them.",
    }.get(outcome, "That did not work: please try again.")
