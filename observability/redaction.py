"""Passwords never leave the process in text: the one place that hides the password of a URL.

DATABASE_URL carries the database password (postgresql://user:password@host/db). Banners, log lines,
error messages and the settings' repr pass what they show through `redact_urls`, which replaces the
password part of every URL in a text with ``***`` and leaves the rest (scheme, user, host, database)
so an operator can still see where the process points.
"""

from __future__ import annotations

import re

__all__ = ["REDACTED", "redact_urls"]

REDACTED = "***"
# scheme://user:password@ : the password ends at the first "@" (a literal "@" or "/" in a password
# must be percent-encoded in a URL, so neither appears inside one).
_URL_PASSWORD = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@]*:)(?P<password>[^\s@/]+)(?=@)")
# ...and libpq's other spelling, postgresql://user@host/db?password=...
_QUERY_PASSWORD = re.compile(r"(?P<head>[?&]password=)(?P<password>[^&\s]+)", re.IGNORECASE)


def redact_urls(text: str) -> str:
    """``text`` with the password of every URL in it replaced by ``***``."""
    text = _URL_PASSWORD.sub(rf"\g<head>{REDACTED}", text)
    return _QUERY_PASSWORD.sub(rf"\g<head>{REDACTED}", text)
