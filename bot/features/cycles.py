"""Update cycles in Teams (issue 5): 'request updates' -> scope card -> preview -> Confirm; 'cycle status'.

Governance opens, reminds and closes cycles. A SPOC or chief officer asking for the cycle status sees
their own groups' response rates and non-responders; anyone else is told, politely, who to ask.
Delivery is not done here: confirming queues one request per owner in the outbox and wakes the
sender (bot/outbox/worker.py), which sends them and keeps the progress card posted here up to date.

Verbs and their data (Teams merges the card's inputs into the data):
    cycle.request   {"values": {...}}  the scope card (prefilled when coming back from a preview)
    cycle.preview   scope, group, days, include_hmicfrs, deadline, message, reminders
    cycle.confirm   {"scope": {...}, "deadline": "YYYY-MM-DD", "message": str, "reminders": "7,2,0"}
    cycle.status    {"cycle": int, "people": bool}
    cycle.remind    {"cycle": int}
    cycle.close     {"cycle": int}
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from bot.routing import intent, verb
from bot.turn import Turn
from cards.common import execute, message
from cards.cycle import preview_card, scope_card, started_card
from cards.cycle_progress import progress_card
from cards.cycle_wording import problem_words, remind_words, scope_words, sentence
from cards.schedules import schedule_card, scheduled_entries
from domain.cycles import NOT_PERMITTED, UNKNOWN_GROUP, CycleError, CycleScope
from domain.numbers import BadNumber, card_int
from domain.schedule import DEFAULT_REMINDER_DAYS, format_reminder_days, parse_reminder_days, reminder_dates
from domain.text import clean
from questions import Intent, Question
from store.cycles.lifecycle import MAX_MESSAGE, check_deadline, close_cycle, preview, set_progress_target, start_cycle
from store.cycles.reminders import remind
from store.cycles.schedules import upcoming
from store.cycles.status import cycle_status
from store.db.setup import business_groups

__all__ = [
    "request_updates",
    "show_status",
    "show_schedule",
    "scope",
    "preview_scope",
    "confirm",
    "status",
    "send_reminders",
    "close",
    "refusal",
]

log = logging.getLogger(__name__)
DEFAULT_DAYS_TO_DEADLINE = 14


def refusal(turn: Turn, what: str) -> dict[str, Any]:
    contact = turn.services.settings.governance_contact
    return message(
        "That is for Strategy & Governance",
        f"Only Strategy & Governance staff can {what}. If you need this, please ask {contact}.",
    )


def _governance(turn: Turn) -> bool:
    """Whether to show the forms at all; the store refuses the changes themselves (NOT_PERMITTED)."""
    return turn.viewer is not None and turn.viewer.may_run_cycles


def _wake(turn: Turn) -> None:
    turn.services.wake_outbox()


@intent(Intent.REQUEST_UPDATES)
async def request_updates(turn: Turn, question: Question) -> None:
    await turn.send_card(await scope(turn, {}))


@verb("cycle.request")
async def scope(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    if not _governance(turn):
        return refusal(turn, "open an update cycle")
    groups = await turn.services.run(business_groups)
    values = data.get("values") if isinstance(data.get("values"), dict) else {}
    return scope_card(
        groups,
        default_deadline=turn.today() + timedelta(days=DEFAULT_DAYS_TO_DEADLINE),
        today=turn.today(),
        values=values,
    )


def _reminders(data: dict[str, Any], errors: dict[str, str]) -> tuple[int, ...]:
    try:
        return parse_reminder_days(str(data.get("reminders") or ""))
    except ValueError as exc:
        errors["reminders"] = sentence(str(exc))
        return DEFAULT_REMINDER_DAYS


def _read_form(data: dict[str, Any], today: date) -> tuple[CycleScope | None, date | None, str, dict[str, str]]:
    """The scope card's inputs, checked; every problem is reported beside its field."""
    errors: dict[str, str] = {}
    kind = str(data.get("scope") or "all").strip()
    include = str(data.get("include_hmicfrs") or "").strip().lower() in ("true", "1", "yes", "on")
    group = str(data.get("group") or "").strip() or None
    try:  # typed into the form: a bad value is the user's to fix, beside the field
        days = card_int(data, "days", high=10_000)
    except BadNumber:
        days = None
    scope_: CycleScope | None = CycleScope(
        kind,
        group=group if kind == "group" else None,
        days=days if kind == "due_within" else None,
        include_hmicfrs=include,
    )
    if kind == "group" and not group:
        errors["group"] = "Choose the business group."
    if kind == "due_within" and (days is None or not 1 <= days <= 730):
        errors["days"] = "Enter a number of days from 1 to 730."
    deadline: date | None = None
    try:
        deadline = date.fromisoformat(str(data.get("deadline") or "").strip())
        check_deadline(deadline, today)
    except CycleError as exc:  # a date, but in the past
        errors["deadline"] = sentence(problem_words(exc.problem))
        deadline = None
    except ValueError:  # no date, or not one
        errors["deadline"] = "Choose the deadline for updates."
    text = clean(data.get("message") if isinstance(data.get("message"), str) else "").strip()
    if len(text) > MAX_MESSAGE:
        errors["message"] = f"Keep the message to {MAX_MESSAGE} characters (it has {len(text)})."
    _reminders(data, errors)
    return (None if errors else scope_), deadline, text, errors


@verb("cycle.preview")
async def preview_scope(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    if not _governance(turn):
        return refusal(turn, "open an update cycle")
    scope_, deadline, text, errors = _read_form(data, turn.today())
    groups = await turn.services.run(business_groups)
    if scope_ is not None and deadline is not None:
        try:
            found = await turn.services.run(preview, scope_, turn.today())
        except CycleError as exc:
            errors["group" if exc.problem.code == UNKNOWN_GROUP else "scope"] = sentence(problem_words(exc.problem))
        else:
            if found.items == 0:
                errors["scope"] = f"Nothing to ask about: there are no {scope_words(found.scope)}."
            else:
                days = _reminders(data, errors)
                return preview_card(
                    found.as_json(),
                    deadline=deadline.isoformat(),
                    message=text or None,
                    reminders=format_reminder_days(days),
                    reminder_dates=[d.isoformat() for d in reminder_dates(deadline, days, turn.today())],
                )
    return scope_card(
        groups,
        default_deadline=turn.today() + timedelta(days=DEFAULT_DAYS_TO_DEADLINE),
        today=turn.today(),
        values=data,
        errors=errors,
    )


@verb("cycle.confirm")
async def confirm(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    assert turn.viewer is not None  # verbs run for known people only (bot/handler.py)
    try:
        sent_scope = data.get("scope")
        scope_ = CycleScope.from_json(sent_scope if isinstance(sent_scope, dict) else {})
        deadline = date.fromisoformat(str(data.get("deadline") or ""))
        days = parse_reminder_days(str(data.get("reminders") or ""))
        started = await turn.services.run(
            start_cycle,
            turn.viewer,
            scope=scope_,
            deadline=deadline,
            message=data.get("message"),
            now=turn.now(),
            today=turn.today(),
            reminder_days=days,
        )
    except ValueError as exc:  # already open (e.g. a double click), date passed, a bad date or reminder days
        if isinstance(exc, CycleError) and exc.problem.code == NOT_PERMITTED:
            return refusal(turn, "open an update cycle")
        return message(
            "The update cycle was not opened",
            sentence(problem_words(exc.problem) if isinstance(exc, CycleError) else str(exc)),
            [execute("Cycle status", "cycle.status", {}), execute("Start again", "cycle.request", {})],
        )
    log.info(
        "update cycle %s opened by person %s: %d owners",
        started.cycle_id,
        turn.viewer.person_id,
        started.preview.owners,
    )
    _wake(turn)
    status = await turn.services.run(cycle_status, started.cycle_id)
    activity_id = await turn.send_card(progress_card(status.as_json()))
    if activity_id:
        reference = turn.facts.reference()
        await turn.services.run(set_progress_target, started.cycle_id, reference, activity_id)
    return started_card(
        started.cycle_id, started.preview.owners, started.queued, started.not_installed, deadline.isoformat()
    )


async def _status_card(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    viewer = turn.viewer
    if viewer is None or not viewer.may_follow_cycles:
        return refusal(turn, "follow an update cycle (a SPOC or chief officer sees their own group's)")
    try:
        status = await turn.services.run(cycle_status, card_int(data, "cycle"))
    except CycleError:
        return message(
            "No update cycle yet",
            "No update cycle has been opened yet."
            + (" Type **request updates** to open one." if viewer.is_governance else ""),
        )
    if viewer.is_governance:
        return progress_card(status.as_json(), show_people=bool(data.get("people")))
    return progress_card(status.for_groups(viewer.led_groups).as_json(), manage=False, show_people=True)


@intent(Intent.CYCLE_STATUS)
async def show_status(turn: Turn, question: Question) -> None:
    # "who hasn't responded" lists them, by group (issue 24), within the asker's scope
    await turn.send_card(await _status_card(turn, {"people": question.non_responders}))


@verb("cycle.status")
async def status(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    return await _status_card(turn, data)


@intent(Intent.SCHEDULE)
async def show_schedule(turn: Turn, question: Question) -> None:
    """'What is scheduled?', 'next reminders': what the bot's own schedules send next."""
    if not _governance(turn):
        await turn.send_card(refusal(turn, "see what the bot has scheduled"))
        return
    settings = turn.services.settings
    found = await turn.services.run(upcoming, turn.now(), settings.zone)
    await turn.send_card(schedule_card(scheduled_entries(found), timezone=settings.timezone))


@verb("cycle.remind")
async def send_reminders(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    try:
        r = await turn.services.run(
            remind, turn.viewer, now=turn.now(), cycle_id=card_int(data, "cycle"), today=turn.today()
        )
    except CycleError as exc:
        if exc.problem.code == NOT_PERMITTED:
            return refusal(turn, "send reminders")
        return message("No reminders sent", sentence(problem_words(exc.problem)))
    _wake(turn)
    return message(
        "Reminders queued",
        remind_words(r),
        [execute("Cycle status", "cycle.status", {"cycle": r.cycle_id, "people": True})],
    )


@verb("cycle.close")
async def close(turn: Turn, data: dict[str, Any]) -> dict[str, Any]:
    try:
        cycle = await turn.services.run(close_cycle, turn.viewer, now=turn.now(), cycle_id=card_int(data, "cycle"))
    except CycleError as exc:
        if exc.problem.code == NOT_PERMITTED:
            return refusal(turn, "close an update cycle")
        return message("Nothing to close", sentence(problem_words(exc.problem)))
    log.info("update cycle %s closed by person %s", cycle.id, turn.viewer.person_id if turn.viewer else "?")
    return progress_card((await turn.services.run(cycle_status, cycle.id)).as_json(), show_people=True)
