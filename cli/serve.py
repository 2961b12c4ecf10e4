"""`serve`: run the bot's web server."""
from __future__ import annotations

import argparse

from cli.runtime import CommandError, Runtime

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the bot at http://HOST:PORT/api/messages",
                       description="Serve the bot (POST /api/messages, GET /healthz). "
                                   "HOST and PORT come from the environment (default 127.0.0.1:3978).")
    p.set_defaults(func=cmd_serve)


def cmd_serve(rt: Runtime, args: argparse.Namespace) -> int:
    problem = rt.settings.startup_problem()
    if problem:  # checked before anything is built, so a misconfigured server never listens
        raise CommandError(problem)
    from bot.app import run  # botbuilder is imported only when serving

    return run(rt.settings, rt.clock)
