"""Short-lived signed download links for the panel pack: HMAC-SHA256 over the report date and expiry.

A token reads ``2026-11-26.1795700000.<signature>`` (report date, expiry as Unix seconds, URL-safe
base64 of the HMAC). Anyone holding an unexpired token can download that day's pack, so tokens
live minutes, not days.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import date, datetime, timedelta, timezone

__all__ = ["LINK_LIFETIME", "LinkError", "LinkExpired", "sign_report_token", "verify_report_token"]

LINK_LIFETIME = timedelta(minutes=15)


class LinkError(ValueError):
    """The token is malformed or its signature does not match."""


class LinkExpired(LinkError):
    """The token was genuine but its time is up."""


def _signature(secret: str, payload: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), payload.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def sign_report_token(secret: str, as_of: date, now: datetime, lifetime: timedelta = LINK_LIFETIME) -> str:
    expires = int((now + lifetime).timestamp())
    payload = f"{as_of.isoformat()}.{expires}"
    return f"{payload}.{_signature(secret, payload)}"


def verify_report_token(secret: str, token: str, now: datetime) -> date:
    """The report date the token grants; raises LinkExpired or LinkError."""
    parts = token.split(".")
    if len(parts) != 3:
        raise LinkError("malformed token")
    day, expires, signature = parts
    if not hmac.compare_digest(_signature(secret, f"{day}.{expires}"), signature):
        raise LinkError("bad signature")
    try:
        as_of, deadline = date.fromisoformat(day), datetime.fromtimestamp(int(expires), tz=timezone.utc)
    except ValueError:
        raise LinkError("malformed token") from None
    if now >= deadline:
        raise LinkExpired("expired")
    return as_of
