"""A progress bar on the operator's terminal while long work runs (import, export, report, migrate).

Drawn with rich on standard error, and only when someone is watching: standard error is a
terminal, not in CI (`CI` set), not with JSON logs (a collector reads every line) and not on a dumb
terminal. It appears once the work has taken a second, so quick runs print nothing extra, and it
leaves no trace when the work ends. The bar pulses with the time taken: the store's steps do not
report how far along they are.
"""

from __future__ import annotations

import os
import sys
import threading
from contextlib import contextmanager
from typing import IO, Iterator, Mapping

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

__all__ = ["working", "wanted", "DELAY_SECONDS"]

DELAY_SECONDS = 1.0


def wanted(stream: IO[str], env: Mapping[str, str], log_format: str) -> bool:
    """Draw a bar? Only for a person at a terminal."""
    if log_format == "json" or env.get("CI") or env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@contextmanager
def working(
    what: str,
    *,
    log_format: str,
    stream: IO[str] | None = None,
    env: Mapping[str, str] | None = None,
    delay: float = DELAY_SECONDS,
    console: Console | None = None,
) -> Iterator[None]:
    """Show "what" with a pulsing bar and the time taken, from ``delay`` seconds on, until the block ends."""
    stream = stream or sys.stderr
    if console is None and not wanted(stream, os.environ if env is None else env, log_format):
        yield
        return
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console or Console(file=stream),
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    )
    progress.add_task(what, total=None)
    shown = threading.Event()

    def show() -> None:
        progress.start()
        shown.set()

    timer = threading.Timer(delay, show)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        timer.join()
        if shown.is_set():
            progress.stop()
