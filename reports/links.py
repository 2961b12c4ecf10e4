"""Short-lived signed download links for the panel pack: HMAC-SHA256 over the report date, the expiry
and who the link was made for.

A token reads ``2026-11-26.1795700000.42.<signature>`` (report date, expiry as Unix seconds, the id
of the person it was made for, URL-safe base64 of the HMAC). Anyone holding an unexpired token can
download that day's pack, so tokens live minutes, not days, and every download is logged with the
person the link was made for.

A token is checked for shape before anything is decoded (ASCII digits, dots and URL-safe base64 only),
and a genuine one must still name a report date beside its own expiry and an expiry no further off than
a link can live: the server only ever signs today's report, so a far-off date (0001-01-01, 9999-12-31)
is refused as invalid rather than handed to the calendar and pandas, which cannot build it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

__all__ = [
    "LINK_LIFETIME",
    "LONGEST_LIFETIME",
    "LinkError",
    "LinkExpired",
    "ReportGrant",
    "sign_report_token",
    "verify_report_token",
]

LINK_LIFETIME = timedelta(minutes=15)
# No link lives longer than this, so a genuine token's expiry is never further off.
LONGEST_LIFETIME = timedelta(days=1)
# A link names the report date of the day it was made; time zones put that day up to a day either side.
_DATE_SLACK = timedelta(days=2)
# date.expiry.person.signature: ASCII only, so nothing below ever meets a character it cannot encode.
_SHAPE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})\.([0-9]{1,12})\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})")


class LinkError(ValueError):
    """The token is malformed or its signature does not match."""


class LinkExpired(LinkError):
    """The token was genuine but its time is up."""


@dataclass(frozen=True)
class ReportGrant:
    as_of: date
    made_for: int  # the person id of the governance user who asked for the report


def _signature(secret: str, payload: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), payload.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def sign_report_token(
    secret: str, as_of: date, now: datetime, *, made_for: int, lifetime: timedelta = LINK_LIFETIME
) -> str:
    if not secret:
        raise ValueError("an empty secret would let anyone sign links")
    if not timedelta(0) < lifetime <= LONGEST_LIFETIME:
        raise ValueError(f"a link lives at most {LONGEST_LIFETIME}")
    if abs(as_of - now.date()) > _DATE_SLACK:
        raise ValueError("a link is for the report of the day it is made")
    expires = int((now + lifetime).timestamp())
    payload = f"{as_of.isoformat()}.{expires}.{int(made_for)}"
    return f"{payload}.{_signature(secret, payload)}"


def verify_report_token(secret: str, token: str, now: datetime) -> ReportGrant:
    """What the token grants; raises LinkExpired or LinkError (never anything else, whatever the token)."""
    shape = _SHAPE.fullmatch(token)
    if shape is None or not secret:
        raise LinkError("malformed token")
    day, expires, made_for, signature = shape.groups()
    if not hmac.compare_digest(_signature(secret, f"{day}.{expires}.{made_for}"), signature):
        raise LinkError("bad signature")
    try:
        as_of, deadline = date.fromisoformat(day), datetime.fromtimestamp(int(expires), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise LinkError("malformed token") from None
    if deadline - now > LONGEST_LIFETIME or abs(as_of - deadline.date()) > _DATE_SLACK:
        raise LinkError("not a date or expiry this server signs")
    if now >= deadline:
        raise LinkExpired("expired")
    return ReportGrant(as_of, int(made_for))
