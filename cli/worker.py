"""`worker`: the outbox sender in a process of its own (the bot server also runs one)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from cli.runtime import CommandError, Runtime

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "worker",
        help="send queued Teams messages (requests, reminders, outcomes)",
        description="Claim queued messages from the outbox and send them to Teams through the "
        "stored conversation references, at the configured rate "
        "(SEND_RATE_PER_SECOND, default 20: on PostgreSQL the total of all workers "
        "and servers, on SQLite per process). Several workers may run at once. "
        "Stops on SIGTERM or Ctrl+C, after finishing the sends in flight.",
    )
    p.add_argument(
        "--until-idle",
        action="store_true",
        help="exit once nothing is queued or being sent (for schedulers and scripts)",
    )
    p.add_argument("--rate", type=float, help="messages per second (default: SEND_RATE_PER_SECOND)")
    # the defaults of bot.outbox.settings (DEFAULT_LEASE, DEFAULT_TIMEOUT), kept here so --help needs no Teams SDK
    p.add_argument(
        "--lease",
        type=float,
        default=24.0,
        metavar="SECONDS",
        help="how long a claim lasts unless renewed; a killed worker's messages are taken over by "
        "another worker within this (default 24; renewed while this worker holds them)",
    )
    p.add_argument(
        "--timeout", type=float, default=10.0, metavar="SECONDS", help="time allowed for one send (default 10)"
    )
    p.add_argument("--batch", type=int, help="messages claimed at a time (default: two seconds' worth)")
    p.set_defaults(func=cmd_worker)


def cmd_worker(rt: Runtime, args: argparse.Namespace) -> int:
    if args.rate is not None and args.rate <= 0:
        raise CommandError("--rate must be above zero")
    if args.timeout <= 0:
        raise CommandError("--timeout must be above zero")
    if args.lease < 2 * args.timeout + 2:
        raise CommandError(f"--lease must be at least twice --timeout plus 2 seconds ({2 * args.timeout + 2:g})")
    if args.batch is not None and args.batch < 1:
        raise CommandError("--batch must be at least 1")
    rt.require_up_to_date()
    from bot.outbox.hosts import run_worker  # a Teams SDK is imported only when sending

    stats = asyncio.run(
        run_worker(
            rt.settings,
            rt.clock,
            rate=args.rate,
            until_idle=args.until_idle,
            lease_seconds=args.lease,
            timeout=args.timeout,
            batch_size=args.batch,
        )
    )
    sys.stdout.write(
        f"worker stopped: {stats.sent} sent, {stats.retried} to retry, {stats.failed} failed, "
        f"{stats.not_installed} not installed\n"
    )
    return 0
