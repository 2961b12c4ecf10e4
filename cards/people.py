"""Cards for reassigning an action, naming a cover, and the actions whose owner has left (issue 13).

Plain data in (dicts and tuples), card JSON out. People are offered in an Input.ChoiceSet with the
"filtered" style: Teams shows a box that narrows the list as you type a name.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Mapping, Sequence

from cards.common import (
    adaptive_card,
    choice_input,
    date_input,
    error_text,
    execute,
    facts,
    fmt_date,
    heading,
    message,
    shorten,
    table,
    text,
    text_input,
)

__all__ = [
    "MAX_CHOICES",
    "reassign_card",
    "reassigned_card",
    "reassign_problem",
    "cover_card",
    "cover_set_card",
    "cover_problem",
    "orphaned_card",
]

# A card must stay under 28 KB; ~60 bytes a person leaves room for the rest. The viewer's own
# group comes first, so the people they are likeliest to choose are always offered.
MAX_CHOICES = 300


def _people(choices: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(f"{name} ({email})", email) for name, email in choices[:MAX_CHOICES]]


def _errors(errors: Mapping[str, str], key: str) -> list[dict[str, Any]]:
    return [error_text(errors[key])] if errors.get(key) else []


def reassign_card(
    ref: str | None,
    choices: Sequence[tuple[str, str]],
    *,
    action: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Choose the new owner (searchable by typing); the action's ref is asked for when not known."""
    errors = errors or {}
    body: list[dict[str, Any]] = [heading(f"Reassign {ref}" if ref else "Reassign an action")]
    if action:
        body.append(text(shorten(action.get("description"), 200)))
        body.append(facts([("Owner now", action.get("owner_name")), ("Business group", action.get("group"))]))
    else:
        body.append(text_input("ref", "Action reference", value=ref, placeholder="e.g. MET-104", required=True))
        body += _errors(errors, "ref")
    body.append(
        choice_input(
            "to", "New owner", _people(choices), style="filtered", placeholder="Type a name to search", required=True
        )
    )
    body += _errors(errors, "to")
    body.append(
        text(
            "The history records who moved it, from whom and to whom. In an open update cycle the "
            "new owner is asked about it instead.",
            subtle=True,
            size="Small",
        )
    )
    data = {"ref": ref} if ref else {}
    return adaptive_card(body, [execute("Reassign", "reassign.save", data, style="positive")])


def reassigned_card(r: Mapping[str, Any]) -> dict[str, Any]:
    lines = [f"**{r['ref']}** now belongs to **{r['to_name']}** (it was {r['from_name']}'s)."]
    if r.get("cycle_id") is not None:
        lines.append(
            f"{r['to_name']} is asked about it in the open update cycle"
            + (f", and it was taken out of the request waiting for {r['from_name']}." if r.get("withdrawn") else ".")
        )
    return message("Action reassigned", " ".join(lines))


def reassign_problem(r: Mapping[str, Any]) -> str:
    """The sentence for an outcome that did not reassign (the card shows it beside the field)."""
    return {
        # One answer whether the ref is unknown or of a group the asker may not reassign in: a refusal
        # never tells which group a ref belongs to, who could act, or that it exists (issue 25).
        "not_found": f"No action you can reassign has the reference '{r.get('ref')}'. Check it and try again.",
        "refused": f"No action you can reassign has the reference '{r.get('ref')}'. Check it and try again.",
        "unknown_person": "That person is not on the tracker: choose someone from the list.",
        "person_left": f"{r.get('to_name')} has left: choose someone still here.",
        "same_owner": f"{r.get('to_name')} already owns {r.get('ref')}: choose someone else.",
        "not_outstanding": f"{r.get('ref')} is closed or superseded, so there is nothing left to own.",
    }.get(str(r.get("outcome")), "That did not work: please try again.")


def cover_card(
    choices: Sequence[tuple[str, str]],
    *,
    today: date,
    owners: Sequence[tuple[str, str]] = (),
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Who covers, from when to when; SPOCs and governance also choose whose cover it is."""
    values, errors = values or {}, errors or {}
    body: list[dict[str, Any]] = [
        heading("Name a cover"),
        text(
            "While you are away your cover sees and updates your actions, and gets your update requests and reminders.",
            wrap=True,
        ),
    ]
    if owners:
        body.append(
            choice_input(
                "owner",
                "Whose cover",
                _people(owners),
                style="filtered",
                value=str(values.get("owner") or "") or None,
                placeholder="Type a name to search",
            )
        )
        body += _errors(errors, "owner")
    body.append(
        choice_input(
            "cover",
            "Cover",
            _people(choices),
            style="filtered",
            value=str(values.get("cover") or "") or None,
            placeholder="Type a name to search",
            required=True,
        )
    )
    body += _errors(errors, "cover")
    body.append(date_input("from", "First day", value=_day(values.get("from")) or today, min_date=today, required=True))
    body += _errors(errors, "from")
    body.append(date_input("to", "Last day", value=_day(values.get("to")), min_date=today, required=True))
    body += _errors(errors, "to")
    return adaptive_card(body, [execute("Save cover", "cover.save", {}, style="positive")])


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def cover_set_card(c: Mapping[str, Any]) -> dict[str, Any]:
    return message(
        "Cover saved",
        f"**{c['cover_name']}** covers **{c['owner_name']}** from "
        f"{fmt_date(c['starts_on'])} to {fmt_date(c['ends_on'])}: they see and update "
        f"{c['owner_name']}'s actions and get their requests and reminders.",
    )


_NOT_YOURS = "Choose whose cover it is from the list: it offers everyone you may name a cover for."


def cover_problem(c: Mapping[str, Any], max_days: int) -> tuple[str, str]:
    """(the field to show it beside, the sentence) for an outcome that did not set the cover."""
    return {
        # Unknown and refused read the same: a refusal neither names who else could act nor confirms
        # that the person is on the tracker (issue 25).
        "unknown_owner": ("owner", _NOT_YOURS),
        "unknown_cover": ("cover", "That person is not on the tracker: choose someone from the list."),
        "refused": ("owner", _NOT_YOURS),
        "person_left": ("cover", "One of them has left: choose someone still here."),
        "same_person": ("cover", "Nobody can cover themselves: choose someone else."),
        "bad_dates": (
            "to",
            {
                "order": "The last day is before the first day.",
                "past": "That cover would already be over: choose a last day from today on.",
                "too_long": f"Cover lasts at most {max_days} days: reassign the actions instead.",
            }.get(str(c.get("problem")), "Check the dates."),
        ),
    }.get(str(c.get("outcome")), ("cover", "That did not work: please try again."))


def orphaned_card(rows: Sequence[Mapping[str, Any]], *, scope: str, may_reassign: bool) -> dict[str, Any]:
    """Outstanding actions whose owner has left, each with a Reassign button where allowed."""
    if not rows:
        return message("No orphaned actions", f"Every outstanding action in {scope} has an owner who is still here.")
    shown = rows[:40]
    body: list[dict[str, Any]] = [
        heading(f"Orphaned actions: {len(rows)}"),
        text(f"Outstanding actions in {scope} whose owner has left. Reassign them so someone is asked for updates."),
        table(
            ["Ref", "Action", "Owner (left)", "Due"],
            [
                [r["ref"], shorten(r["description"], 60), r["owner_name"], fmt_date(r["effective_due_date"])]
                for r in shown
            ],
            widths=[1, 3, 2, 1],
        ),
    ]
    if len(rows) > len(shown):
        body.append(text(f"…and {len(rows) - len(shown)} more.", subtle=True))
    actions = (
        [execute(f"Reassign {r['ref']}", "reassign.form", {"ref": r["ref"]}) for r in shown[:5]] if may_reassign else []
    )
    return adaptive_card(body, actions)
