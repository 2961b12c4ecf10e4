"""`serve`: run the bot's web server (one process, or N on one port with --workers N)."""

from __future__ import annotations

import argparse
import os
import secrets

from cli.errors import ensure_port_free
from cli.runtime import CommandError, Runtime

__all__ = ["register"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the bot at http://HOST:PORT/api/messages",
        description="Serve the bot (POST /api/messages, GET /healthz). "
        "HOST and PORT come from the environment (default 127.0.0.1:3978).",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="server processes sharing the port (default 1); more instances on other machines "
        "may share the same PostgreSQL database",
    )
    p.add_argument("--worker-of", type=int, help=argparse.SUPPRESS)  # a child started by --workers N
    p.add_argument("--start-grace", type=float, default=None, help=argparse.SUPPRESS)  # tests: see cli/supervisor.py
    p.set_defaults(func=cmd_serve)


def cmd_serve(rt: Runtime, args: argparse.Namespace) -> int:
    problem = rt.settings.startup_problem()
    if problem:  # checked before anything is built, so a misconfigured server never listens
        raise CommandError(problem)
    if args.worker_of:
        return _serve_child(rt, args.worker_of)  # its parent checked the database
    if args.workers < 1:
        raise CommandError("--workers must be at least 1")
    ensure_port_free(rt.settings.host, rt.settings.port)  # before anything says it listens
    if args.workers > 1 and rt.settings.port == 0:
        raise CommandError("--workers above 1 needs a fixed PORT (the processes share it)")
    rt.require_up_to_date()
    if args.workers == 1:
        from bot.app import run  # a Teams SDK is imported only when serving

        return run(rt.settings, rt.clock)
    from cli.supervisor import START_GRACE, Supervisor, child_command

    grace = START_GRACE if args.start_grace is None else args.start_grace
    env = dict(os.environ)
    if getattr(args, "today", None) is not None:  # the children run as on the same day (python app.py --today)
        env["TRACKER_TODAY"] = args.today.isoformat()
    if not rt.settings.link_secret:
        # Without LINK_SECRET each process would sign download links with a key of its own, and a
        # link made by one would fail on another: all N share one random key instead.
        env["LINK_SECRET"] = secrets.token_urlsafe(32)
    return Supervisor(child_command(args.workers), args.workers, start_grace=grace, env=env).run()


def _serve_child(rt: Runtime, workers: int) -> int:
    from bot.app import run

    settings = rt.settings
    if not settings.database_url.startswith("postgresql"):
        # SQLite paces with a process-local bucket: each of the N processes takes its share of the
        # rate. (On PostgreSQL all senders draw from one tenant-wide rate: bot/outbox/shared_rate.py.)
        settings = settings.model_copy(update={"send_rate_per_second": settings.send_rate_per_second / workers})
    return run(settings, rt.clock, reuse_port=True)
