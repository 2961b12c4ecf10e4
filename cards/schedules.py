"""Cards the schedules send (a due-date nudge to an owner, the weekly digest to a SPOC or chief
officer) and the "what is scheduled" card. Typed messages in (domain/messages.py Nudge and Weekly, queued
by store/cycles/schedule_jobs.py),
and what the schedules will send next (domain.schedule.ScheduledSend), worded here for Teams and the
command line alike (`scheduled_entries`)."""

from __future__ import annotations

from typing import Any, Callable, Sequence, TypeVar

from cards.common import action_set, adaptive_card, container, execute, heading, plain, table, text
from cards.cycle import fit, iso_date
from cards.cycle_request import item_button, my_actions_button
from domain.message_parts import Capped, WeekAction
from domain.messages import Nudge, Weekly
from domain.phrases import count_of
from domain.schedule import CYCLE_REMINDERS, DUE_NUDGES, WEEKLY_DIGEST, ScheduledSend

__all__ = ["nudge_card", "weekly_digest_card", "schedule_card", "scheduled_words", "scheduled_entries"]

T = TypeVar("T")
_DECISIONS = {"accepted": "revised date accepted", "rejected": "revised date rejected", "closed": "closed"}


def _first(name: str | None) -> str:
    return (name or "").split(" ")[0]


def nudge_card(nudge: Nudge) -> dict[str, Any]:
    """One card per owner per day: their monitored actions due in 14 days or due today."""
    today = [i for i in nudge.items if i.days_before == 0]
    soon = [i for i in nudge.items if i.days_before != 0]

    def build(most: int) -> dict[str, Any]:
        body = [
            heading("Actions coming due"),
            text(
                (f"Hello {plain(_first(nudge.owner))}, " if nudge.owner else "")
                + "please update these before their due date passes, or propose a revised date."
            ),
        ]
        for title, group in (("Due today", today), ("Due in 14 days", soon)):
            if not group:
                continue
            body.append(text(title, weight="Bolder", spacing="Medium"))
            for item in group[:most]:
                body.append(
                    container(
                        [
                            text(f"**{plain(item.ref)}** · due {iso_date(item.due)}", spacing="None"),
                            text(plain(item.title, 120), subtle=True, spacing="None"),
                            action_set([item_button(item.ref)]),
                        ],
                        separator=True,
                    )
                )
            if len(group) > most:
                body.append(text(f"…and {len(group) - most} more in My actions.", subtle=True))
        return adaptive_card(body, [my_actions_button()])

    return fit(build, 20)


def _section(
    title: str, block: Capped[T], header: Sequence[str], row: Callable[[T], list[Any]], empty: str
) -> list[dict[str, Any]]:
    out = [text(title, weight="Bolder", spacing="Small")]
    if not block.lines:
        return out + [text(empty, subtle=True, spacing="None")]
    out.append(table(header, [row(line) for line in block.lines]))
    if block.more:
        out.append(text(f"…and {block.more} more.", subtle=True, spacing="None"))
    return out


def _action_row(action: WeekAction) -> list[Any]:
    return [plain(action.ref), plain(action.owner, 40), iso_date(action.due)]


def weekly_digest_card(weekly: Weekly) -> dict[str, Any]:
    """Monday's digest: per group, the cycle's non-responders, newly overdue actions, decisions, and
    the outstanding actions whose owner has left (when there are any)."""
    body = [
        heading("Your weekly digest"),
        text(
            (f"Hello {plain(_first(weekly.recipient))}, " if weekly.recipient else "")
            + f"the week from {iso_date(weekly.week_from)} to {iso_date(weekly.day)}"
            + (f"; the update cycle's deadline is **{iso_date(weekly.deadline)}**." if weekly.deadline else ".")
        ),
    ]
    for group in weekly.groups:
        body.append(heading(plain(group.group, 60), size="Default"))
        if weekly.cycle_id:
            body += _section(
                "Not yet responded",
                group.non_responders,
                ["Owner"],
                lambda name: [plain(name, 50)],
                "Everyone has responded.",
            )
        body += _section(
            "Newly overdue", group.newly_overdue, ["Action", "Owner", "Due"], _action_row, "No action became overdue."
        )
        body += _section(
            "Decisions",
            group.decisions,
            ["Action", "Decision"],
            lambda d: [plain(d.ref), _DECISIONS.get(d.decision, d.decision)],
            "No decisions this week.",
        )
        if group.orphaned.lines:  # only when there are any: most weeks there are none
            body += _section(
                "Orphaned actions (owner has left)", group.orphaned, ["Action", "Former owner", "Due"], _action_row, ""
            )
    actions = (
        [execute("Cycle status", "cycle.status", {"cycle": weekly.cycle_id, "people": True})] if weekly.cycle_id else []
    )
    return adaptive_card(body, actions)


def scheduled_words(send: ScheduledSend) -> str:
    """'reminders to cycle 3's non-responders (7 days before the deadline 2026-12-10)'."""
    if send.job == CYCLE_REMINDERS:
        before = (send.deadline - send.day).days if send.deadline else 0
        deadline = send.deadline.isoformat() if send.deadline else ""
        return f"reminders to cycle {send.cycle_id}'s non-responders ({count_of(before, 'day')} before the deadline {deadline})"
    if send.job == DUE_NUDGES:
        return (
            f"due-date nudges to owners about {count_of(send.actions, 'action')} (14 days before, or on, the due date)"
        )
    if send.job == WEEKLY_DIGEST:
        return "weekly digest to SPOCs and chief officers"
    return send.job.replace("_", " ")


def scheduled_entries(sends: Sequence[ScheduledSend]) -> list[dict[str, Any]]:
    """{"day", "job", "detail"} each: what `schedule_card` and `cycle status` show (and its --json)."""
    return [{"day": s.day.isoformat(), "job": s.job, "detail": scheduled_words(s)} for s in sends]


def schedule_card(entries: Sequence[dict[str, Any]], *, timezone: str) -> dict[str, Any]:
    """What the schedules will send next ({"day", "job", "detail"} each), in local days."""
    body = [
        heading("What is scheduled"),
        text(f"Sent on working days between 09:00 and 17:00 ({timezone}).", subtle=True, spacing="None"),
    ]
    if not entries:
        body.append(text("Nothing is scheduled."))
    else:
        body.append(
            table(["Day", "What"], [[iso_date(e["day"]), plain(e["detail"], 100)] for e in entries[:20]], widths=[1, 3])
        )
    return adaptive_card(body)
