"""Logging setup: plain text by default, one JSON object per line with LOG_FORMAT=json.

Each JSON line carries the correlation id, turn id and conversation id of the work in progress
(context variables set by the web layer), never what people typed: messages name records by id.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from datetime import datetime, timezone
from typing import IO

from observability.redaction import redact_urls

__all__ = [
    "CORRELATION_ID",
    "TURN_ID",
    "CONVERSATION_ID",
    "JsonFormatter",
    "TextFormatter",
    "configure_logging",
    "TEXT_FORMAT",
]

CORRELATION_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("correlation_id", default=None)
TURN_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("turn_id", default=None)
CONVERSATION_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("conversation_id", default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact_urls(record.getMessage()),
            "correlation_id": CORRELATION_ID.get(),
            "turn_id": TURN_ID.get(),
            "conversation_id": CONVERSATION_ID.get(),
        }
        if record.exc_info:
            entry["exception"] = redact_urls(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """TEXT_FORMAT, with the password of any URL in the line or its traceback hidden."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_urls(super().format(record))


def configure_logging(log_format: str, *, verbose: bool = False, stream: IO[str] | None = None) -> None:
    """Configure the root logger for a process (the command line calls this).

    Like logging.basicConfig, it leaves a root logger that already has handlers alone (pytest's
    capture, an embedding application), so calling main() in-process changes nothing there.
    """
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter(TEXT_FORMAT))
        root.addHandler(handler)
        root.setLevel(logging.DEBUG if verbose else logging.INFO)
    if not verbose:
        logging.getLogger("alembic").setLevel(logging.WARNING)  # migration chatter is noise for users
