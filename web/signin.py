"""Who is calling the tab's API: a Viewer from an Entra ID token, or a demo person in local mode.

Inside Teams the page sends the token TeamsJS gives it; :mod:`web.auth` checks it and the person is
found by their object id with the bot's identity rule (``store.people.viewers.find_viewer``: the
object id, else the e-mail/UPN of a person not yet known by an object id). In anonymous local mode
(no MicrosoftAppId) the page names a demo person in the ``X-Tab-Person`` header instead; with an app
id set that header is refused, so local mode can never be switched on from the browser.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Awaitable, Callable, TypeVar

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from config import Settings
from domain.localtime import local_date
from domain.permissions import Viewer
from store.db.models import Person
from store.people.viewers import find_viewer, viewer_for
from web.auth import BadToken, KeysUnavailable, TokenValidator, WrongTenant

__all__ = ["LOCAL_PERSON_HEADER", "TabContext", "Refused", "authenticated", "viewer_of", "problem"]

log = logging.getLogger(__name__)

LOCAL_PERSON_HEADER = "X-Tab-Person"
T = TypeVar("T")


@dataclass
class TabContext:
    """What the tab's routes need: settings, database sessions, the clock and the token checker."""

    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    clock: Callable[[], datetime]
    validator: TokenValidator | None  # None in anonymous local mode
    # Messages were queued (decisions, a cycle, reminders): the bot's outbox sender claims them now
    # rather than at its next poll. Nothing to wake when no sender runs in this process.
    wake_outbox: Callable[[], None] = field(default=lambda: None)

    def today(self) -> date:
        """The tracker's local day (overdue, due windows)."""
        return local_date(self.clock(), self.settings.zone)

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """A store function in one transaction, like the bot's unit of work."""
        async with self.sessions() as session, session.begin():
            return await session.run_sync(lambda sync_session: fn(sync_session, *args, **kwargs))


class Refused(Exception):
    """The request is turned away; ``status`` and the words say why."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def problem(status: int, code: str, message: str) -> web.Response:
    """A JSON error the page shows as it is: what happened and what to do."""
    return web.json_response({"error": message, "code": code}, status=status, headers={"Cache-Control": "no-store"})


def _local_viewer(session: Session, person_id: int, today: date) -> Viewer | None:
    person = session.get(Person, person_id)
    return viewer_for(session, person, today) if person is not None and person.active else None


async def viewer_of(request: web.Request, ctx: TabContext) -> Viewer:
    """The caller as a Viewer, or Refused (401 no or bad token, 403 wrong tenant or unknown person)."""
    today = ctx.today()
    chosen = request.headers.get(LOCAL_PERSON_HEADER)
    if ctx.validator is None:
        if not chosen or not (chosen.strip().isascii() and chosen.strip().isdigit()):
            raise Refused(401, "pick_person", "Local mode: pick a demo person to act as.")
        viewer = await ctx.run(_local_viewer, int(chosen.strip()), today)
        if viewer is None:
            raise Refused(401, "pick_person", "That demo person is not on the tracker: pick another.")
        return viewer
    if chosen is not None:
        raise Refused(
            403, "local_mode_off", "Local mode is off on this server (an app id is set): open the tab in Teams."
        )
    try:
        identity = await ctx.validator.validate(request.headers.get("Authorization"))
    except BadToken as bad:
        log.warning("Tab request refused: %s", bad.reason)
        raise Refused(401, "sign_in", "Sign-in failed: reopen the tab in Teams to sign in again.") from bad
    except WrongTenant as wrong:
        log.warning("Tab request refused: tenant %s is not allowed", wrong.tenant)
        raise Refused(403, "tenant", "This app does not serve your organisation.") from wrong
    except KeysUnavailable as down:
        log.warning("Tab request not checked: Entra ID's keys are unavailable (%s)", down)
        raise Refused(503, "keys", "Cannot check your sign-in right now; try again shortly.") from down
    viewer = await ctx.run(find_viewer, identity.object_id, identity.username, today)
    if viewer is None:
        raise Refused(
            403, "not_on_tracker", f"You are not on the tracker. Ask {ctx.settings.governance_contact} to add you."
        )
    return viewer


Handler = Callable[[web.Request, Viewer], Awaitable[web.StreamResponse]]


def authenticated(ctx: TabContext, handler: Handler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Wrap an API handler: it runs only for a known viewer; refusals become JSON problems."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            viewer = await viewer_of(request, ctx)
            return await handler(request, viewer)
        except Refused as refused:
            return problem(refused.status, refused.code, refused.message)

    return wrapped
