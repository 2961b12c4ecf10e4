"""Short-lived signed download links for the panel pack: HMAC-SHA256 over the report date, the expiry
and who the link was made for.

A token reads ``2026-11-26.1795700000.42.<signature>`` (report date, expiry as Unix seconds, the id
of the person it was made for, URL-safe base64 of the HMAC). Anyone holding an unexpired token can
download that day's pack, so tokens live minutes, not days, and every download is logged with the
person the link was made for.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

__all__ = ["LINK_LIFETIME", "LinkError", "LinkExpired", "ReportGrant", "sign_report_token", "verify_report_token"]

LINK_LIFETIME = timedelta(minutes=15)


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
    expires = int((now + lifetime).timestamp())
    payload = f"{as_of.isoformat()}.{expires}.{int(made_for)}"
    return f"{payload}.{_signature(secret, payload)}"


def verify_report_token(secret: str, token: str, now: datetime) -> ReportGrant:
    """What the token grants; raises LinkExpired or LinkError."""
    parts = token.split(".")
    if len(parts) != 4 or not secret:
        raise LinkError("malformed token")
    day, expires, made_for, signature = parts
    if not hmac.compare_digest(_signature(secret, f"{day}.{expires}.{made_for}"), signature):
        raise LinkError("bad signature")
    try:
        as_of, deadline = date.fromisoformat(day), datetime.fromtimestamp(int(expires), tz=timezone.utc)
        person = int(made_for)
    except (ValueError, OverflowError, OSError):
        raise LinkError("malformed token") from None
    if now >= deadline:
        raise LinkExpired("expired")
    return ReportGrant(as_of, person)
