"""`reassign REF --to EMAIL --by EMAIL` and `cover OWNER --by COVER --from D --to D` (issue 13 point 3).

The person named after --by (reassign) must be on the tracker and allowed to do it in Teams too
(governance, or the action's group's SPOC): the rules are the Viewer's (domain/permissions.py).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from sqlalchemy.orm import Session

from cli.runtime import CommandError, Runtime
from store.history import ChangeContext
from store.people import cover as covers
from store.people import reassign as moves
from store.people.operator import viewer_named
from store.people.viewers import Viewer

__all__ = ["register", "reassign_problem", "cover_problem"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "reassign",
        help="give an action to another owner",
        description="Make another person the owner of an action (governance, or the SPOC of the "
        "action's business group). An open update cycle follows the action.",
    )
    p.add_argument("ref", help="the action's reference")
    p.add_argument("--to", required=True, dest="to_email", help="the new owner's email")
    p.add_argument("--by", required=True, dest="by_email", help="your email (recorded in the history)")
    p.set_defaults(func=cmd_reassign)

    p = sub.add_parser(
        "cover",
        help="name a cover for an owner's absence",
        description="From --from to --to (inclusive) the cover sees and updates the owner's "
        "actions and gets their requests and reminders. Named by the owner, their "
        "group's SPOC or governance (--as; default: the owner).",
    )
    p.add_argument("owner", help="the absent owner's email")
    p.add_argument("--by", required=True, dest="cover_email", help="the cover's email")
    p.add_argument("--from", required=True, dest="starts", help="first day, YYYY-MM-DD")
    p.add_argument("--to", required=True, dest="ends", help="last day, YYYY-MM-DD")
    p.add_argument("--as", dest="as_email", help="who names the cover (default: the owner)")
    p.set_defaults(func=cmd_cover)


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"{option} {text!r} is not a date: write it as YYYY-MM-DD") from None


def _viewer(session: Session, email: str, option: str, today: date) -> Viewer:
    viewer = viewer_named(session, email, today)
    if viewer is None:
        raise CommandError(f"{option} {email!r} is not on the tracker: use the email of a person in the People sheet")
    return viewer


def reassign_problem(r: moves.Reassigned) -> str | None:
    """What went wrong, in words a person can act on (None: it was done)."""
    return {
        moves.NOT_FOUND: f"no action you can reassign has the reference {r.ref!r}",
        moves.REFUSED: f"no action you can reassign has the reference {r.ref!r}",  # never its group
        moves.UNKNOWN_PERSON: f"{r.to_email!r} is not on the tracker: use the email of a person in the People sheet",
        moves.PERSON_LEFT: f"{r.to_name} has left (inactive in the People sheet): choose someone still here",
        moves.SAME_OWNER: f"{r.to_name} already owns {r.ref}",
        moves.NOT_OUTSTANDING: f"{r.ref} is closed or superseded: there is nothing left to own",
    }.get(r.outcome)


def cover_problem(c: covers.CoverOutcome) -> str | None:
    return {
        covers.UNKNOWN_OWNER: f"{c.owner_email!r} is not someone you may name a cover for",
        covers.UNKNOWN_COVER: f"{c.cover_email!r} is not on the tracker: the cover must be in the People sheet",
        # the same words as an unknown owner: a refusal never says who else could act (issue 25)
        covers.REFUSED: f"{c.owner_email!r} is not someone you may name a cover for",
        covers.PERSON_LEFT: f"{c.cover_name} or {c.owner_name} has left (inactive in the People sheet)",
        covers.SAME_PERSON: "an owner cannot cover themselves: name someone else",
        covers.BAD_DATES: {
            "order": "the last day is before the first day",
            "past": "the cover would already be over: choose a last day from today on",
            "too_long": f"cover lasts at most {covers.MAX_COVER_DAYS} days: reassign the actions instead",
        }.get(c.problem or "", "the dates are not right"),
    }.get(c.outcome)


def cmd_reassign(rt: Runtime, args: argparse.Namespace) -> int:
    with rt.sessions.begin() as session:
        viewer = _viewer(session, args.by_email, "--by", rt.today())
        r = moves.reassign_action(
            session, viewer, args.ref, args.to_email, ctx=ChangeContext(viewer.email, "cli", rt.now()), today=rt.today()
        )
        problem = reassign_problem(r)
        if problem:
            raise CommandError(problem)
    cycle = ""
    if r.cycle_id is not None:
        cycle = (
            f"\n  update cycle {r.cycle_id}: "
            + (f"asked {r.to_name}" if r.requested else "already asked")
            + (f"; withdrawn from the request waiting for {r.from_name}" if r.withdrawn else "")
        )
    sys.stdout.write(f"{r.ref} reassigned from {r.from_name} <{r.from_email}> to {r.to_name} <{r.to_email}>{cycle}\n")
    return 0


def cmd_cover(rt: Runtime, args: argparse.Namespace) -> int:
    starts, ends = _day(args.starts, "--from"), _day(args.ends, "--to")
    with rt.sessions.begin() as session:
        viewer = _viewer(session, args.as_email or args.owner, "--as" if args.as_email else "the owner", rt.today())
        c = covers.set_cover(
            session,
            viewer,
            args.owner,
            args.cover_email,
            starts_on=starts,
            ends_on=ends,
            ctx=ChangeContext(viewer.email, "cli", rt.now()),
            today=rt.today(),
        )
        problem = cover_problem(c)
        if problem:
            raise CommandError(problem)
    sys.stdout.write(
        f"{c.cover_name} <{c.cover_email}> covers {c.owner_name} <{c.owner_email}> "
        f"from {starts.isoformat()} to {ends.isoformat()}\n"
    )
    return 0
