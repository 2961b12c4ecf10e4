"""The command line: `python app.py COMMAND`. Each command lives in its own module."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Sequence

from cli import (  # issue 5: update cycles, the outbox worker, DARA export
    closures,
    cycle,
    people,  # issue 13: reassignment and cover
    report,
    serve,
    tracker,
    worker,
)
from cli.errors import one_line
from cli.report import iso_date
from cli.runtime import CommandError, Runtime
from observability.logs import configure_logging, json_lines

__all__ = ["build_parser", "main", "COMMAND_MODULES"]

# Each module exposes register(subparsers) and adds its commands with set_defaults(func=...).
COMMAND_MODULES = [serve, tracker, report]
COMMAND_MODULES += [cycle, worker, closures]
COMMAND_MODULES += [people]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python app.py", description="Audit-action tracker: a Microsoft Teams bot and its command line."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    parser.add_argument(
        "--today",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="run the command as on this date, for loading a force's history and rehearsals: what it "
        "records is dated that day (TRACKER_TODAY does the same for serve and worker)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        runtime = Runtime.from_env()
    except (ValueError, CommandError) as exc:  # a setting the operator got wrong: say which, no traceback
        sys.stderr.write(f"error: {exc}\n")
        return 2
    configure_logging(runtime.settings.log_format, verbose=args.verbose)
    with json_lines(runtime.settings.log_format):
        return _run(runtime, args)


def _run(runtime: Runtime, args: argparse.Namespace) -> int:
    try:
        if args.today is not None:
            runtime.run_as_on(args.today)
        return int(args.func(runtime, args) or 0)
    except CommandError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:  # Ctrl-C: the user stopped it and knows why
        return 130
    except Exception as exc:  # noqa: BLE001 - the machine's problems: one line, never a traceback
        logging.getLogger(__name__).debug("%s failed", args.command, exc_info=True)
        sys.stderr.write(f"error: {one_line(exc)}\n")
        return 1
    finally:
        runtime.close()
