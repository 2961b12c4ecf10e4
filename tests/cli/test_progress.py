"""Progress on long work (issue 24 point 6): a bar on a terminal once the work takes a second; nothing
when nobody watches (no terminal, CI, JSON logs), and nothing for quick work."""

from __future__ import annotations

import io
import threading
import time

import pytest
from rich.console import Console

from cli.progress import wanted, working


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    "stream, env, log_format, shown",
    [
        (Tty(), {}, "text", True),
        (io.StringIO(), {}, "text", False),  # piped or redirected
        (Tty(), {"CI": "true"}, "text", False),
        (Tty(), {}, "json", False),
        (Tty(), {"TERM": "dumb"}, "text", False),
    ],
)
def test_a_bar_only_for_a_person_at_a_terminal(stream, env, log_format, shown):
    assert wanted(stream, env, log_format) is shown


def _wait_for(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        threading.Event().wait(0.01)


def test_long_work_shows_the_bar_and_leaves_no_trace():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=80)
    with working("Importing tracker.xlsx", log_format="text", console=console, delay=0.0):
        _wait_for(lambda: "Importing tracker.xlsx" in out.getvalue())  # the work goes on while it shows
    assert "Importing tracker.xlsx" in out.getvalue()


def test_quick_work_shows_nothing():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=80)
    with working("Exporting", log_format="text", console=console, delay=60.0):
        pass
    assert out.getvalue() == ""


def test_nothing_is_drawn_when_nobody_watches(url, tmp_path, capsys):
    from tests.cli.support import run

    code, out, err = run(capsys, "export", str(tmp_path / "t.xlsx"))
    assert code == 0 and err == "" and out.startswith("exported to")
