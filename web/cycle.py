"""Update cycles from the tab: governance previews a scope, starts a cycle, reminds; anyone who may
follow cycles watches the response rate by group (the page polls GET /api/tab/cycle/progress).

    GET  /api/tab/cycle/form       the scopes, groups and defaults the form offers (governance)
    GET  /api/tab/cycle/preview    ?scope=all|group|overdue|due_within&group=&days=&include_hmicfrs=1
                                    &deadline=YYYY-MM-DD&message=&reminders=7,2,0
    POST /api/tab/cycle            the same fields as JSON: opens the cycle
    POST /api/tab/cycle/remind     reminds the open cycle's non-responders (and the groups' digests)
    GET  /api/tab/cycle/progress   ?cycle=N: governance every group, a SPOC or chief officer theirs
                                    ({"cycle": null, "message": ...} while none has been opened)

The same store services as the bot's cycle cards and the command line (store/cycles/: preview,
start_cycle, remind, cycle_status), with the viewer: they refuse with CycleError codes, worded by
cards/cycle_wording.py. Starting queues one request per owner in the outbox (the bot's sender
delivers them) and the opener's progress card to their chat with the bot, as `cycle start --by` does.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Mapping

from aiohttp import web
from sqlalchemy.orm import Session

from cards.cycle import SCOPE_CHOICES
from cards.cycle_wording import problem_words, remind_words, scope_words, sentence
from domain.cycles import (
    ALREADY_OPEN,
    BAD_DAYS,
    MAX_DAYS,
    MESSAGE_TOO_LONG,
    NO_CYCLE_YET,
    NOT_PERMITTED,
    UNKNOWN_GROUP,
    CycleError,
    CycleProblem,
    CycleScope,
)
from domain.permissions import Viewer
from domain.schedule import DEFAULT_REMINDER_DAYS, format_reminder_days, parse_reminder_days, reminder_dates
from domain.text import clean
from store.cycles.lifecycle import MAX_MESSAGE, check_deadline, preview, queue_progress_card, start_cycle
from store.cycles.reminders import remind
from store.cycles.status import cycle_status
from store.db.setup import business_groups
from web.signin import TabContext, authenticated, problem

__all__ = ["add_cycle_routes", "CycleForm", "read_form", "DEFAULT_DAYS_TO_DEADLINE"]

log = logging.getLogger(__name__)
DEFAULT_DAYS_TO_DEADLINE = 14  # as the bot's scope card
_STATUS = {NOT_PERMITTED: 403, ALREADY_OPEN: 409, NO_CYCLE_YET: 404}
_FIELD = {UNKNOWN_GROUP: "group", BAD_DAYS: "days", MESSAGE_TOO_LONG: "message"}


@dataclass(frozen=True)
class CycleForm:
    scope: CycleScope
    deadline: date
    message: str
    reminders: tuple[int, ...]


class _Problems(ValueError):
    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "on")


def read_form(values: Mapping[str, Any], today: date) -> CycleForm:
    """The form's fields (query string or JSON), checked; _Problems names each field to fix, in the
    words the bot and the command line use for the same problem (cards/cycle_wording.py)."""
    problems: dict[str, str] = {}
    kind = str(values.get("scope") or "all").strip()
    group = str(values.get("group") or "").strip() or None
    raw_days = str(values.get("days") if values.get("days") is not None else "").strip()
    days = int(raw_days) if raw_days.isascii() and raw_days.isdigit() and len(raw_days) < 6 else None
    if kind == "due_within" and days is None:
        problems["days"] = sentence(problem_words(CycleProblem(BAD_DAYS, limit=MAX_DAYS)))
    scope = CycleScope(
        kind,
        group=group if kind == "group" else None,
        days=days if kind == "due_within" else None,
        include_hmicfrs=_truthy(values.get("include_hmicfrs")),
    )
    deadline = today
    try:
        deadline = date.fromisoformat(str(values.get("deadline") or "").strip())
        check_deadline(deadline, today)
    except CycleError as passed:
        problems["deadline"] = sentence(problem_words(passed.problem))
    except ValueError:
        problems["deadline"] = "Choose the deadline for updates, as a date YYYY-MM-DD."
    message = clean(values.get("message") if isinstance(values.get("message"), str) else "").strip()
    if len(message) > MAX_MESSAGE:
        too_long = CycleProblem(MESSAGE_TOO_LONG, count=len(message), limit=MAX_MESSAGE)
        problems["message"] = sentence(problem_words(too_long))
    reminders: tuple[int, ...] = DEFAULT_REMINDER_DAYS
    try:
        reminders = parse_reminder_days(str(values.get("reminders") or ""))
    except ValueError as bad:
        problems["reminders"] = sentence(str(bad))
    if problems:
        raise _Problems(problems)
    return CycleForm(scope, deadline, message, reminders)


def _refused(error: CycleError) -> web.Response:
    words = sentence(problem_words(error.problem))
    status = _STATUS.get(error.problem.code, 422)
    field = _FIELD.get(error.problem.code, "scope")
    return web.json_response(
        {"error": words, "code": error.problem.code, "problems": {field: words}},
        status=status,
        headers={"Cache-Control": "no-store"},
    )


def _ok(body: Any, status: int = 200) -> web.Response:
    return web.json_response(body, status=status, headers={"Cache-Control": "no-store"})


def progress_json(viewer: Viewer, session: Session, cycle_id: int | None) -> dict[str, Any]:
    """The cycle's progress as the bot's progress card has it, narrowed to the viewer's groups unless
    they run cycles (CycleStatus.for_groups: the bot's rule for a SPOC's or chief officer's card)."""
    status = cycle_status(session, cycle_id)
    if not viewer.may_run_cycles:
        status = status.for_groups(viewer.led_groups)
    body = status.as_json()
    return {**body, "scope_words": scope_words(status.scope), "manage": viewer.may_run_cycles}


def add_cycle_routes(app: web.Application, ctx: TabContext) -> None:
    not_permitted = CycleError(CycleProblem(NOT_PERMITTED))

    async def form(_request: web.Request, viewer: Viewer) -> web.Response:
        if not viewer.may_run_cycles:
            return _refused(not_permitted)
        groups = await ctx.run(business_groups)
        return _ok(
            {
                "scopes": [{"value": v, "label": label} for label, v in SCOPE_CHOICES],
                "groups": list(groups),
                "deadline": (ctx.today() + timedelta(days=DEFAULT_DAYS_TO_DEADLINE)).isoformat(),
                "reminders": format_reminder_days(DEFAULT_REMINDER_DAYS),
                "max_message": MAX_MESSAGE,
            }
        )

    async def preview_route(request: web.Request, viewer: Viewer) -> web.Response:
        if not viewer.may_run_cycles:  # the preview names owners: governance's, as the bot's card
            return _refused(not_permitted)
        try:
            asked = read_form(request.rel_url.query, ctx.today())
            found = await ctx.run(preview, asked.scope, ctx.today())
        except _Problems as bad:
            return _ok({"error": str(bad), "code": "bad_form", "problems": bad.problems}, 422)
        except CycleError as refused:
            return _refused(refused)
        dates = reminder_dates(asked.deadline, asked.reminders, ctx.today())
        return _ok(
            {
                **found.as_json(),
                "scope_words": scope_words(found.scope),
                "deadline": asked.deadline.isoformat(),
                "message": asked.message or None,
                "reminders": format_reminder_days(asked.reminders),
                "reminder_dates": [d.isoformat() for d in dates],
            }
        )

    async def start(request: web.Request, viewer: Viewer) -> web.Response:
        if not viewer.may_run_cycles:  # start_cycle refuses too; this answers before reading the form
            return _refused(not_permitted)
        try:
            body = json.loads(await request.read())
        except (ValueError, RecursionError):
            body = None
        if not isinstance(body, dict):
            return problem(400, "bad_body", "Send the cycle's scope, deadline and message as a JSON object.")
        try:
            asked = read_form(body, ctx.today())
        except _Problems as bad:
            return _ok({"error": str(bad), "code": "bad_form", "problems": bad.problems}, 422)
        now = ctx.clock()

        def open_it(session: Session) -> dict[str, Any]:
            started = start_cycle(
                session,
                viewer,
                scope=asked.scope,
                deadline=asked.deadline,
                message=asked.message or None,
                now=now,
                today=ctx.today(),
                reminder_days=asked.reminders,
            )
            status = cycle_status(session, started.cycle_id)
            # The opener's live progress card in their chat with the bot, as for a cycle opened there.
            queue_progress_card(session, started.cycle_id, viewer.person_id, status.as_json(), now)
            return {
                "cycle": started.cycle_id,
                "owners": started.preview.owners,
                "queued": started.queued,
                "not_installed": started.not_installed,
                "deadline": asked.deadline.isoformat(),
                "scope_words": scope_words(started.preview.scope),
            }

        try:
            opened = await ctx.run(open_it)
        except CycleError as refused:
            return _refused(refused)
        ctx.wake_outbox()
        log.info("update cycle %s opened in the tab by person %s", opened["cycle"], viewer.person_id)
        return _ok(opened, 201)

    async def remind_route(_request: web.Request, viewer: Viewer) -> web.Response:
        try:
            result = await ctx.run(remind, viewer, now=ctx.clock(), today=ctx.today())
        except CycleError as refused:
            return _refused(refused)
        ctx.wake_outbox()
        return _ok({"cycle": result.cycle_id, "reminders": result.reminders, "message": remind_words(result)})

    async def progress(request: web.Request, viewer: Viewer) -> web.Response:
        if not viewer.may_follow_cycles:
            return _refused(not_permitted)
        raw = request.rel_url.query.get("cycle", "").strip()
        if raw and not (raw.isascii() and raw.isdigit() and len(raw) < 10):
            return problem(400, "bad_query", "cycle must be a cycle's number, like 3.")
        try:
            return _ok(await ctx.run(lambda s: progress_json(viewer, s, int(raw) if raw else None)))
        except CycleError as refused:
            if refused.problem.code == NO_CYCLE_YET:  # not an error: the page polls until there is one
                return _ok({"cycle": None, "message": sentence(problem_words(refused.problem))})
            return _refused(refused)

    app.router.add_get("/api/tab/cycle/form", authenticated(ctx, form))
    app.router.add_get("/api/tab/cycle/preview", authenticated(ctx, preview_route))
    app.router.add_post("/api/tab/cycle", authenticated(ctx, start))
    app.router.add_post("/api/tab/cycle/remind", authenticated(ctx, remind_route))
    app.router.add_get("/api/tab/cycle/progress", authenticated(ctx, progress))
