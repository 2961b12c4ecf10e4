"""Logging setup: plain text by default, one JSON object per line with LOG_FORMAT=json.

Each JSON line carries the correlation id, turn id and conversation id of the work in progress
(context variables set by the web layer), never what people typed: messages name records by id.
"""

from __future__ import annotations

import contextvars
import io
import json
import logging
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import IO, Iterator

from observability.redaction import redact_urls

__all__ = [
    "CORRELATION_ID",
    "TURN_ID",
    "CONVERSATION_ID",
    "JsonFormatter",
    "TextFormatter",
    "configure_logging",
    "json_lines",
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


class _JsonLines(io.TextIOBase):
    """A stream that writes what a process prints as JSON lines.

    With LOG_FORMAT=json a log collector reads every line as JSON, so what the commands and the
    server write for people (the server's banner, a command's result, "error: ...") goes out as a
    log record of logger ``stdout`` / ``stderr``. A JSON document written whole (`report --json`)
    goes out as itself, on one line.
    """

    def __init__(self, target: IO[str], name: str) -> None:
        super().__init__()
        self._target, self._name, self._pending = target, name, ""
        self._formatter = JsonFormatter()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._pending += text
        if self._pending.endswith("\n"):
            self._emit(self._pending)
            self._pending = ""
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._emit(self._pending)
            self._pending = ""
        self._target.flush()

    def _emit(self, text: str) -> None:
        try:
            whole = json.loads(text)
        except ValueError:
            whole = None
        if isinstance(whole, (dict, list)):
            self._target.write(json.dumps(whole, ensure_ascii=False) + "\n")
            return
        for line in text.splitlines():
            if line.strip():
                self._target.write(self._formatter.format(self._record(line)) + "\n")

    def _record(self, line: str) -> logging.LogRecord:
        level = logging.ERROR if line.startswith("error:") else logging.INFO
        return logging.LogRecord(self._name, level, __file__, 0, line, None, None)


@contextmanager
def json_lines(log_format: str) -> Iterator[None]:
    """While a command runs with LOG_FORMAT=json, what it prints goes out as JSON lines too."""
    if log_format != "json":
        yield
        return
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _JsonLines(saved[0], "stdout"), _JsonLines(saved[1], "stderr")
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = saved
