"""What the in-process command-line tests share: the real clock's dates and one way to run a command."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cli import main

__all__ = ["TODAY", "DEADLINE", "run"]

TODAY = date.today()  # the command line runs on the real clock
DEADLINE = (TODAY + timedelta(days=14)).isoformat()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `app.py ARGS` in this process: exit code, stdout, stderr."""
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err
