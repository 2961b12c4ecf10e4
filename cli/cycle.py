"""`cycle start|preview|status|remind|close`: quarterly update cycles from the command line (schedulers)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from cards.cycle_wording import delivery_words, problem_words, scope_words
from cards.schedules import scheduled_entries
from cli.runtime import CommandError, Runtime
from domain.cycles import NOT_PERMITTED, CycleError, CycleScope
from domain.permissions import Viewer, operator_viewer
from domain.phrases import count_of, plural
from domain.schedule import parse_reminder_days, reminder_dates
from store.cycles.lifecycle import close_cycle, preview, queue_progress_card, start_cycle
from store.cycles.reminders import remind
from store.cycles.schedules import upcoming
from store.cycles.status import cycle_status
from store.people.operator import viewer_named

__all__ = ["register"]

_SCOPE_HELP = "all | group:NAME | overdue | due-within:DAYS"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "cycle",
        help="open, follow, chase and close quarterly update cycles",
        description="Quarterly update cycles: ask every owner in scope for an update by a deadline "
        "(one card each, sent by the outbox worker), follow the response rate, "
        "remind non-responders, close.",
    )
    cmds = p.add_subparsers(dest="cycle_command", metavar="ACTION", title="actions")
    cmds.required = True

    for name, help_text in (
        ("start", "open a cycle and queue one request per owner in scope"),
        ("preview", "show who a scope would reach, without opening a cycle"),
    ):
        c = cmds.add_parser(name, help=help_text, description=help_text)
        c.add_argument("--scope", required=True, help=_SCOPE_HELP)
        c.add_argument("--include-hmicfrs", action="store_true", help="also ask about open HMICFRS items")
        if name == "start":
            c.add_argument("--deadline", required=True, help="YYYY-MM-DD (today or later)")
            c.add_argument("--message", help="a message shown on every request card")
            c.add_argument("--actor", default="cli", help="who opens the cycle (recorded on it), when not --by")
            c.add_argument(
                "--by",
                dest="by_email",
                help="a governance person's email: recorded as the opener, "
                "and the progress card goes to their chat with the bot",
            )
            c.add_argument(
                "--reminders",
                default=None,
                metavar="DAYS",
                help="days before the deadline on which the bot reminds owners who have not "
                "responded, e.g. 7,2,0 (the default), or 'none'; sent on working days "
                "between 09:00 and 17:00 (TRACKER_TIMEZONE)",
            )
        c.set_defaults(func=cmd_start if name == "start" else cmd_preview)

    c = cmds.add_parser(
        "status",
        help="requests sent/failed/pending, responses and response rate by group",
        description="The open cycle's progress (or the latest cycle's).",
    )
    c.add_argument("--json", action="store_true", help="print the figures as JSON")
    c.add_argument("--cycle", type=int, help="a cycle id (default: the open or latest cycle)")
    c.set_defaults(func=cmd_status)

    c = cmds.add_parser(
        "remind",
        help="nudge owners with items not yet updated; digest to SPOCs and chief officers",
        description="Queue a reminder to each owner who has not updated every item (at most one "
        "a day), re-queue requests to owners who have installed the bot since, and "
        "send each group's SPOC and chief officer the list of its non-responders.",
    )
    c.set_defaults(func=cmd_remind)

    c = cmds.add_parser(
        "close",
        help="close the open cycle (responses after this do not count)",
        description="Close the open cycle; messages not yet sent for it are cancelled.",
    )
    c.set_defaults(func=cmd_close)


def _refused(exc: CycleError) -> CommandError:
    """The store's reason, in the words Teams uses too (cards/cycle_wording.py)."""
    return CommandError(problem_words(exc.problem))


def _scope(args: argparse.Namespace) -> CycleScope:
    try:
        return CycleScope.parse(args.scope, include_hmicfrs=args.include_hmicfrs)
    except CycleError as exc:
        raise _refused(exc) from None


def _deadline(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"--deadline {text!r} is not a date: write it as YYYY-MM-DD") from None


def cmd_preview(rt: Runtime, args: argparse.Namespace) -> int:
    try:
        with rt.sessions.begin() as session:
            p = preview(session, _scope(args), rt.today())
    except CycleError as exc:
        raise _refused(exc) from None
    sys.stdout.write(
        f"{scope_words(p.scope)}: {count_of(p.owners, 'owner')}, {count_of(p.actions, 'action')}"
        + (f", {count_of(p.inspections, 'HMICFRS item')}" if p.scope.include_hmicfrs else "")
        + f"; {count_of(len(p.unreachable), 'owner')} cannot be reached"
        + (f" ({', '.join(p.unreachable)})" if p.unreachable else "")
        + "\n"
    )
    return 0


def _reminder_days(text: str | None) -> tuple[int, ...]:
    try:
        return parse_reminder_days(text)
    except ValueError as exc:
        raise CommandError(f"--reminders: {exc}") from None


def cmd_start(rt: Runtime, args: argparse.Namespace) -> int:
    scope, deadline, reminders = _scope(args), _deadline(args.deadline), _reminder_days(args.reminders)
    try:
        with rt.sessions.begin() as session:
            opener = _opener(session, args.by_email, rt.today()) if args.by_email else None
            started = start_cycle(
                session,
                opener or operator_viewer(args.actor),
                scope=scope,
                deadline=deadline,
                message=args.message,
                now=rt.now(),
                today=rt.today(),
                reminder_days=reminders,
            )
            if opener is not None:
                queue_progress_card(
                    session,
                    started.cycle_id,
                    opener.person_id,
                    cycle_status(session, started.cycle_id).as_json(),
                    rt.now(),
                )
            days = reminder_dates(deadline, reminders, rt.today())
    except CycleError as exc:
        if args.by_email and exc.problem.code == NOT_PERMITTED:  # the person named is not governance
            raise CommandError(f"--by {args.by_email!r}: {problem_words(exc.problem)}") from None
        raise _refused(exc) from None
    p = started.preview
    sys.stdout.write(
        f"update cycle {started.cycle_id} opened: {scope_words(p.scope)}, deadline {deadline.isoformat()}\n"
        f"  {count_of(p.owners, 'owner')}, {count_of(p.actions, 'action')}"
        + (f", {count_of(p.inspections, 'HMICFRS item')}" if p.inspections else "")
        + f"\n  {count_of(started.queued, 'request')} queued, {started.not_installed} not installed"
        + (f" ({', '.join(p.unreachable)})" if p.unreachable else "")
        + (f"\n  the progress card goes to {args.by_email}'s chat with the bot" if args.by_email else "")
        + "\n  they are sent by the bot server, or by `python app.py worker`"
        + "\n  reminders to owners who have not responded: "
        + (", ".join(d.isoformat() for d in days) if days else "none")
        + "\n"
    )
    return 0


def _opener(session: Session, email: str, today: date) -> Viewer:
    viewer = viewer_named(session, email, today)
    if viewer is None:
        raise CommandError(f"--by {email!r} is not on the tracker: use the email of a Strategy & Governance person")
    return viewer  # whether they may open a cycle is start_cycle's to say


def cmd_status(rt: Runtime, args: argparse.Namespace) -> int:
    try:
        with rt.sessions.begin() as session:
            status = cycle_status(session, args.cycle)
            next_up = upcoming(session, rt.now(), _zone(rt), days=14)
    except CycleError as exc:
        raise _refused(exc) from None
    scheduled = scheduled_entries(next_up[:10])
    if args.json:  # the scope and the delivery failures in words, as this output has always given them
        failures = [{"owner": owner, "reason": delivery_words(reason)} for owner, reason in status.failures]
        figures = {**status.as_json(), "scope": scope_words(status.scope), "failures": failures, "scheduled": scheduled}
        sys.stdout.write(json.dumps(figures, indent=2) + "\n")
        return 0
    r = status.requests
    lines = [
        f"update cycle {status.cycle_id} ({status.status}): {scope_words(status.scope)}, deadline {status.deadline.isoformat()}",
        f"  requests: {r['sent']} sent, {r['pending']} pending, {r['failed']} failed, "
        f"{r['not_installed']} not installed (of {r['total']})",
        f"  response rate: {status.responded} of {count_of(status.asked, 'item')}"
        + (f" ({status.pct}%)" if status.pct is not None else "")
        + f"; {status.owners_responded} of {count_of(status.owners, 'owner')} {plural(status.owners_responded, 'has', 'have')} updated everything",
    ]
    for g in status.groups:
        lines.append(
            f"  {g.group}: {g.responded} of {g.asked}"
            + (f" ({g.pct}%)" if g.pct is not None else "")
            + (f"; not yet: {', '.join(p.name for p in g.non_responders)}" if g.non_responders else "")
        )
    for owner, reason in status.failures:
        lines.append(f"  could not deliver to {owner}: {delivery_words(reason)}")
    lines.append(f"scheduled next (working days 09:00-17:00, {rt.settings.timezone}):")
    lines += [f"  {s['day']}: {s['detail']}" for s in scheduled] or ["  nothing"]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _zone(rt: Runtime) -> ZoneInfo:
    try:
        return rt.settings.zone
    except ValueError as exc:
        raise CommandError(str(exc)) from None


def cmd_remind(rt: Runtime, args: argparse.Namespace) -> int:
    try:
        with rt.sessions.begin() as session:
            r = remind(session, operator_viewer(), now=rt.now(), today=rt.today())
    except CycleError as exc:
        raise _refused(exc) from None
    sys.stdout.write(
        f"update cycle {r.cycle_id}: {count_of(r.reminders, 'reminder')} and {count_of(r.digests, 'digest')} queued; "
        f"{count_of(r.requeued, 'request')} queued again (bot installed since); "
        f"the requests of {count_of(r.waiting_for_request, 'owner')} still on their way; "
        f"{count_of(r.unreachable, 'owner')} cannot be reached"
        + (f"; {r.already_reminded} already reminded today" if r.already_reminded else "")
        + "\n"
    )
    return 0


def cmd_close(rt: Runtime, args: argparse.Namespace) -> int:
    try:
        with rt.sessions.begin() as session:
            cycle = close_cycle(session, operator_viewer(), now=rt.now())
            status = cycle_status(session, cycle.id)
    except CycleError as exc:
        raise _refused(exc) from None
    rate = f"{status.pct}%" if status.pct is not None else "n/a"
    sys.stdout.write(
        f"update cycle {status.cycle_id} closed: response rate {rate} ({status.responded} of {count_of(status.asked, 'item')})\n"
    )
    return 0
