"""A failed proactive call as a SendResult, whichever SDK made it (the outbox decides what to retry)."""

from __future__ import annotations

import email.utils
import json
import time
from typing import Any, Mapping

from bot.platform.base import SendResult

__all__ = ["parse_retry_after", "http_failure", "connection_failure"]


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _detail(body: Any) -> str:
    """`: Code message` from the connector's {"error": {"code", "message"}} body, if it has one."""
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            return ""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or not (error.get("code") or error.get("message")):
        return ""
    return f": {error.get('code') or ''} {error.get('message') or ''}".rstrip()


def http_failure(status: int | None, headers: Mapping[str, str] | None, body: Any = None) -> SendResult:
    retry_after = parse_retry_after((headers or {}).get("Retry-After")) if status == 429 else None
    return SendResult(ok=False, status=status, retry_after=retry_after, error=f"HTTP {status}{_detail(body)}"[:300])


def connection_failure(error: Exception) -> SendResult:
    return SendResult(ok=False, status=None, error=f"connection error: {type(error).__name__}"[:300])
