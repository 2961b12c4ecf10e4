"""bench_turns' server processes: the bot, bare echo bots (botbuilder's and the Agents SDK's) and the
fake Bot Connector.

Each runs in its own process, started as ``bench_turns.py --serve KIND ...`` (``serve`` below), so
the load generator, the servers and their CPU time stay apart. The process helpers (spawn, wait
until listening, stop, peak RSS, CPU seconds) read /proc, so the benchmark runs on Linux.
"""

from __future__ import annotations

import asyncio
import cProfile
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_TURNS = Path(__file__).with_name("bench_turns.py")
NOW = datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc)  # the bot's clock


def serve(kind: str, args: list[str]) -> None:
    """Run one server until SIGINT: ``bot PORT DATABASE_URL PROFILE_TO [ANSWER_CACHE_SIZE]``, ``echo PORT``
    (botbuilder), ``agents-echo PORT`` (Microsoft 365 Agents SDK), ``connector CONTROL_PORT``."""
    if kind == "bot":
        _serve_bot(int(args[0]), args[1], args[2] or None, cache=int(args[3]) if len(args) > 3 else None)
    elif kind == "echo":
        _serve_echo(int(args[0]))
    elif kind == "agents-echo":
        _serve_agents_echo(int(args[0]))
    else:
        _serve_connector(int(args[0]))


def _serve_bot(port: int, database_url: str, profile_to: str | None, *, cache: int | None = None) -> None:
    from aiohttp import web

    from bot.app import build_app
    from bot.server import serve
    from config import Settings

    settings = Settings(database_url=database_url, port=port)
    if cache is not None:
        settings = settings.model_copy(update={"answer_cache_size": cache})
    app, _ = build_app(settings, lambda: NOW)
    profiler = cProfile.Profile() if profile_to else None
    if profiler:

        async def start_profile(_app: web.Application) -> None:
            profiler.enable()

        app.on_startup.append(start_profile)
    serve(app, "127.0.0.1", port)  # as `app.py serve` does (its start-up gc.freeze included)
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile_to)


def _serve_echo(port: int) -> None:
    from types import SimpleNamespace

    from aiohttp import web
    from botbuilder.core import ActivityHandler, TurnContext
    from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

    class EchoBot(ActivityHandler):
        async def on_message_activity(self, turn_context: TurnContext) -> None:
            await turn_context.send_activity(f"Echo: {turn_context.activity.text}")

    config = SimpleNamespace(APP_ID="", APP_PASSWORD="", APP_TENANTID="", APP_TYPE="MultiTenant")
    adapter, bot = CloudAdapter(ConfigurationBotFrameworkAuthentication(config)), EchoBot()

    async def messages(request: web.Request) -> web.Response:
        return await adapter.process(request, bot)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def _serve_agents_echo(port: int) -> None:
    """The Agents SDK's bare echo bot, as its samples write one: anonymous, the compatible
    ActivityHandler, CloudAdapter.process behind the SDK's JWT decorator."""
    from aiohttp import web
    from microsoft_agents.activity import load_configuration_from_env
    from microsoft_agents.authentication.msal import MsalConnectionManager
    from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_decorator
    from microsoft_agents.hosting.core import ActivityHandler, TurnContext

    class EchoBot(ActivityHandler):
        async def on_message_activity(self, turn_context: TurnContext) -> None:
            await turn_context.send_activity(f"Echo: {turn_context.activity.text}")

    config = load_configuration_from_env({"CONNECTIONS__SERVICE_CONNECTION__SETTINGS__ANONYMOUS_ALLOWED": "True"})
    connections = MsalConnectionManager(**config)
    adapter, bot = CloudAdapter(connection_manager=connections), EchoBot()

    @jwt_authorization_decorator
    async def messages(request: web.Request) -> web.Response:
        return await adapter.process(request, bot)

    app = web.Application()
    app["agent_configuration"] = connections.get_default_connection_configuration()
    app.router.add_post("/api/messages", messages)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def _serve_connector(control_port: int) -> None:
    """The fake connector, plus GET /last/{cid} on a control port: the newest activity sent to a
    conversation (to check the bot answered properly); it then forgets everything, so a long run
    does not hold every card in memory."""
    import gc

    from aiohttp import web

    from tests.fakes.connector import FakeConnector

    # The fake connector keeps every activity it receives until told to forget (between cells): its
    # collections over that growing heap paused it for 100-250 ms a few times a cell, and every
    # turn of both servers waits for the connector to accept the reply. It is the harness, not what
    # is measured: no collections in this process (the heap is dropped at each forget()).
    gc.disable()

    async def main() -> None:
        connector = FakeConnector()
        await connector.start()

        async def last(request: web.Request) -> web.Response:
            found = connector.activities(request.match_info["cid"])
            connector.forget()
            return web.json_response(found[-1] if found else None)

        async def forget(_request: web.Request) -> web.Response:
            connector.forget()
            return web.json_response({"port": connector.port})

        control = web.Application()
        control.router.add_get("/last/{cid}", last)
        control.router.add_get("/forget", forget)
        runner = web.AppRunner(control, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", control_port).start()
        await asyncio.Event().wait()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass


# --- processes ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn(*args: str) -> subprocess.Popen:
    """``bench_turns.py --serve KIND ...`` in a new process."""
    return subprocess.Popen([sys.executable, str(BENCH_TURNS), "--serve", *args], cwd=ROOT)


async def wait_listening(port: int, deadline_s: float = 60.0) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            _r, w = await asyncio.open_connection("127.0.0.1", port)
            w.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError(f"nothing listening on port {port} after {deadline_s} s")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the whole process (all threads: aiosqlite's too)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
