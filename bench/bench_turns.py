"""Benchmark: turns per second at POST /api/messages, the bot beside a bare botbuilder echo bot.

    .venv/bin/python bench/bench_turns.py                      # SQLite + PostgreSQL, demo + 100k, 1 + 20 users
    .venv/bin/python bench/bench_turns.py --backends sqlite --trackers demo --seconds 3
    .venv/bin/python bench/bench_turns.py --profile            # also cProfile the bot under 20 users
    .venv/bin/python bench/bench_turns.py --write              # update this benchmark's section of RESULTS.md

Four processes on 127.0.0.1: the bot (bot.app.build_app, one process, one event loop), a bare
botbuilder 4.17.1 echo bot (CloudAdapter, anonymous, one send_activity per turn), a fake Bot
Connector (tests/fakes/connector.py) that both bots reply to, and this load generator. Each
simulated user has its own personal conversation and posts its next activity when the previous
POST returned (a turn is done when the reply has reached the connector: CloudAdapter awaits the
send before answering the POST). The first turn of each user (registration) is not timed.
The echo bot is measured in the same run, right before the bot, at the same concurrency.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import logging
import os
import pstats
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

log = logging.getLogger("bench_turns")
NOW = datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc)
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
TURNS = (  # (label, who, text, what the reply must contain)
    ('"hello" (greeting card)', "owner", "hello", "AdaptiveCard"),
    ('"what\'s overdue in my group" (chief officer)', "chief officer", "what's overdue in my group", "AdaptiveCard"),
    ('"my actions" (owner)', "owner", "my actions", "AdaptiveCard"),
)
DEMO_AAD = {"chief officer": "00000000-0000-4000-8000-0000000000a2", "owner": "00000000-0000-4000-8000-0000000000a4"}
BIG_AAD = {"chief officer": "00000000-0000-4000-8000-00000000b0c0", "owner": "00000000-0000-4000-8000-00000000b00a"}


# --- the servers (each runs in its own process: `bench_turns.py --serve KIND ...`) -------------


def _serve_bot(port: int, database_url: str, profile_to: str | None) -> None:
    from aiohttp import web

    from bot.app import build_app
    from config import Settings

    app, _ = build_app(Settings(database_url=database_url, port=port), lambda: NOW)
    profiler = cProfile.Profile() if profile_to else None
    if profiler:

        async def start_profile(_app: web.Application) -> None:
            profiler.enable()

        app.on_startup.append(start_profile)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)
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


def _serve_connector(control_port: int) -> None:
    """The fake connector, plus GET /last/{cid} on a control port: the newest activity sent to a
    conversation (to check the bot answered properly); it then forgets everything, so a long run
    does not hold every card in memory."""
    from aiohttp import web

    from tests.fakes.connector import FakeConnector

    async def main() -> None:
        connector = FakeConnector()
        await connector.start()

        async def last(request: web.Request) -> web.Response:
            found = connector.activities(request.match_info["cid"])
            connector.clear()
            with connector._lock:  # noqa: SLF001 - a bench helper: drop the records too
                connector._records.clear()  # noqa: SLF001
            return web.json_response(found[-1] if found else None)

        async def forget(_request: web.Request) -> web.Response:
            with connector._lock:  # noqa: SLF001
                connector._records.clear()  # noqa: SLF001
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _spawn(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, "--serve", *args], cwd=ROOT)


async def _wait_listening(port: int, deadline_s: float = 60.0) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            _r, w = await asyncio.open_connection("127.0.0.1", port)
            w.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError(f"nothing listening on port {port} after {deadline_s} s")


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of the whole process (all threads: aiosqlite's too)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# --- databases ---------------------------------------------------------------------------------


def prepare(url: str, tracker: str) -> dict[str, str]:
    """Migrate and fill the database; returns the aad object id of one person per role."""
    from sqlalchemy import update

    from store.db.engine import make_engine, make_sessionmaker
    from store.demo.builder import load_demo
    from store.db.migrate import upgrade
    from store.db.models import Person
    from store.db.setup import ensure_default_lists

    engine = make_engine(url)
    try:
        upgrade(engine)
        if tracker == "demo":
            with make_sessionmaker(engine).begin() as session:
                ensure_default_lists(session)
                load_demo(session, NOW.date(), NOW)
            return dict(DEMO_AAD)
        import bench_questions

        ids = bench_questions.generate(engine, 100_000)
        with engine.begin() as conn:
            for role, aad in BIG_AAD.items():
                conn.execute(update(Person).where(Person.id == ids[role]).values(aad_object_id=aad))
        return dict(BIG_AAD)
    finally:
        engine.dispose()


@contextmanager
def database(backend: str) -> Iterator[str]:
    import bench_questions

    with bench_questions.database(backend, PG_URL) as url:
        yield url


# --- the load ----------------------------------------------------------------------------------


@dataclass
class Cell:
    server: str  # "bot" | "echo"
    users: int
    turns: int
    seconds: float
    latencies_ms: list[float]
    errors: int
    cpu_s: float = 0.0  # server CPU spent during the timed part

    @property
    def cpu_ms_per_turn(self) -> float:
        return 1000 * self.cpu_s / self.turns if self.turns else float("nan")

    @property
    def rate(self) -> float:
        return self.turns / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def _activity(service_url: str, *, cid: str, uid: str, aad: str, text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "id": f"in-{uuid.uuid4().hex[:12]}",
        "timestamp": "2026-11-26T09:30:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": uid, "name": "Bench User", "aadObjectId": aad},
        "conversation": {"id": cid, "conversationType": "personal", "tenantId": "tenant-1"},
        "recipient": {"id": "28:bot", "name": "Tracker"},
        "channelData": {"tenant": {"id": "tenant-1"}},
        "locale": "en-GB",
        "text": text,
    }


async def load(
    http,
    url: str,
    service_url: str,
    *,
    users: int,
    aad: str,
    text: str,
    seconds: float,
    tag: str,
    server: str,
    pid: int,
) -> Cell:
    """`users` users post turns back to back for `seconds` (after one untimed turn each)."""
    latencies: list[float] = []
    errors = 0
    ids = [(f"a:bench-{tag}-{i}", f"29:bench-{tag}-{i}") for i in range(users)]

    async def post(cid: str, uid: str) -> bool:
        body = _activity(service_url, cid=cid, uid=uid, aad=aad, text=text)
        async with http.post(f"{url}/api/messages", json=body) as response:
            await response.read()
            return response.status in (200, 201, 202)

    await asyncio.gather(*(post(cid, uid) for cid, uid in ids))  # registration, warm caches
    end = time.perf_counter() + seconds

    async def user(cid: str, uid: str) -> None:
        nonlocal errors
        while time.perf_counter() < end:
            started = time.perf_counter()
            ok = await post(cid, uid)
            if ok:
                latencies.append((time.perf_counter() - started) * 1000)
            else:
                errors += 1

    started, cpu = time.perf_counter(), _cpu_seconds(pid)
    await asyncio.gather(*(user(cid, uid) for cid, uid in ids))
    return Cell(
        server, users, len(latencies), time.perf_counter() - started, latencies, errors, _cpu_seconds(pid) - cpu
    )


async def _check_reply(http, control: str, cid: str, expected: str) -> str:
    async with http.get(f"{control}/last/{cid}") as response:
        activity = await response.json()
    raw = json.dumps(activity)
    if expected not in raw or "something went wrong" in raw:
        return f"UNEXPECTED REPLY: {raw[:300]}"
    return ""


# --- one configuration: backend x tracker ----------------------------------------------------


async def run_config(
    backend: str,
    tracker: str,
    users_list: list[int],
    seconds: float,
    profile_to: str | None,
    turns: tuple[tuple[str, str, str, str], ...] = TURNS,
) -> tuple[list[tuple[str, Cell, Cell, str]], float]:
    import aiohttp

    rows: list[tuple[str, Cell, Cell, str]] = []
    with database(backend) as url:
        started = time.perf_counter()
        aads = await asyncio.to_thread(prepare, url, tracker)
        log.warning("%s/%s: tracker ready in %.1f s", backend, tracker, time.perf_counter() - started)
        ports = {k: _free_port() for k in ("bot", "echo", "control")}
        procs = {
            "connector": _spawn("connector", str(ports["control"])),
            "echo": _spawn("echo", str(ports["echo"])),
            "bot": _spawn("bot", str(ports["bot"]), url, profile_to or ""),
        }
        try:
            for name in ("control", "echo", "bot"):
                await _wait_listening(ports[name])
            control = f"http://127.0.0.1:{ports['control']}"
            bot_url, echo_url = f"http://127.0.0.1:{ports['bot']}", f"http://127.0.0.1:{ports['echo']}"
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
                async with http.get(f"{control}/forget") as response:  # the connector picks its own port
                    service_url = f"http://127.0.0.1:{(await response.json())['port']}/"
                for users in users_list:
                    for n, (label, who, text, expected) in enumerate(turns):
                        tag = f"{n}-{users}"
                        echo = await load(
                            http,
                            echo_url,
                            service_url,
                            users=users,
                            aad=aads[who],
                            text=text,
                            seconds=seconds,
                            tag="echo" + tag,
                            server="echo",
                            pid=procs["echo"].pid,
                        )
                        await http.get(f"{control}/forget")
                        bot = await load(
                            http,
                            bot_url,
                            service_url,
                            users=users,
                            aad=aads[who],
                            text=text,
                            seconds=seconds,
                            tag="bot" + tag,
                            server="bot",
                            pid=procs["bot"].pid,
                        )
                        problem = await _check_reply(http, control, f"a:bench-bot{tag}-0", expected)
                        rows.append((label, bot, echo, problem))
                        log.warning(
                            "%s/%s %2d users %-50s bot %6.1f/s p50 %6.1f p99 %6.1f cpu %5.1f ms | "
                            "echo %6.1f/s cpu %5.1f ms %s",
                            backend,
                            tracker,
                            users,
                            label,
                            bot.rate,
                            bot.pct(50),
                            bot.pct(99),
                            bot.cpu_ms_per_turn,
                            echo.rate,
                            echo.cpu_ms_per_turn,
                            problem,
                        )
            rss = _peak_rss_mb(procs["bot"].pid)
        finally:
            for proc in procs.values():
                _stop(proc)
    return rows, rss


_AREAS = (  # (label, path fragment): the first match names where a function's own time went
    ("waiting in epoll (idle, or other processes on the CPU)", "~:0:<method 'poll'"),
    ("aiosqlite / sqlite3 (thread hand-offs, SQL execution)", "aiosqlite"),
    ("aiosqlite / sqlite3 (thread hand-offs, SQL execution)", "put_nowait"),
    ("aiosqlite / sqlite3 (thread hand-offs, SQL execution)", "sqlite3"),
    ("psycopg (PostgreSQL driver)", "psycopg"),
    ("SQLAlchemy (statement building, compile cache keys, ORM)", "sqlalchemy"),
    ("greenlet (SQLAlchemy's async bridge)", "greenlet"),
    ("msrest (incoming activity deserialisation)", "msrest"),
    ("botbuilder SDK", "botbuilder"),
    ("botbuilder SDK", "botframework"),
    ("aiohttp / multidict / yarl (HTTP server and client)", "aiohttp"),
    ("aiohttp / multidict / yarl (HTTP server and client)", "multidict"),
    ("aiohttp / multidict / yarl (HTTP server and client)", "yarl"),
    ("sockets", "socket"),
    ("json", "json"),
    ("asyncio event loop", "asyncio"),
    ("other libraries", "site-packages"),
    ("the bot's own code (cards, questions, store, bot)", "/work/"),
)


def _areas(stats: pstats.Stats) -> list[tuple[str, float]]:
    totals: dict[str, float] = {}
    for (filename, line, name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        where = f"{filename}:{line}:{name}"
        label = next((lbl for lbl, frag in _AREAS if frag in where), "other (stdlib, copy, re, logging, ...)")
        totals[label] = totals.get(label, 0.0) + tottime
    return sorted(totals.items(), key=lambda kv: -kv[1])


def _profile_text(path: str, limit: int = 30) -> str:
    out = io.StringIO()
    stats = pstats.Stats(path, stream=out)
    areas = _areas(stats)
    busy = sum(t for label, t in areas if not label.startswith("waiting"))
    out.write("Own time by area (share of the non-idle time):\n")
    for label, seconds in areas:
        share = "" if label.startswith("waiting") else f"{100 * seconds / busy:5.1f}%"
        out.write(f"  {seconds:8.2f} s {share:>6}  {label}\n")
    out.write("\n")
    stats.strip_dirs().sort_stats("tottime").print_stats(limit)
    out.write("\n")
    stats.sort_stats("cumulative").print_stats(limit)
    text = out.getvalue()
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip())


def table(results: list[tuple[str, str, int, list[tuple[str, Cell, Cell, str]], float]]) -> str:
    lines = [
        "| backend | tracker | users | turn | bot turns/s | echo turns/s | ratio | bot p50 ms | bot p99 ms "
        "| echo p99 ms | bot CPU ms/turn | echo CPU ms/turn | CPU ratio | errors |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for backend, tracker, _rss, rows in ((b, t, r, rows) for b, t, _u, rows, r in results):
        for label, bot, echo, problem in rows:
            ratio = bot.rate / echo.rate if echo.rate else float("nan")
            lines.append(
                f"| {backend} | {tracker} | {bot.users} | {label} | {bot.rate:.0f} | {echo.rate:.0f} | "
                f"{ratio:.1f}× | {bot.pct(50):.1f} | {bot.pct(99):.1f} | {echo.pct(99):.1f} | "
                f"{bot.cpu_ms_per_turn:.1f} | {echo.cpu_ms_per_turn:.1f} | "
                f"{echo.cpu_ms_per_turn / bot.cpu_ms_per_turn:.1f}× | "
                f"{bot.errors + echo.errors}{' ' + problem if problem else ''} |"
            )
    lines += ["", "Bot server peak RSS (VmHWM, whole process, after all turns of the configuration):", ""]
    for backend, tracker, _u, _rows, rss in results:
        lines.append(f"- {backend}, {tracker} tracker: {rss:.0f} MB")
    return "\n".join(lines)


START, END = "<!-- bench_turns:start -->", "<!-- bench_turns:end -->"


def write_results(section: str) -> None:
    path = ROOT / "bench" / "RESULTS.md"
    current = path.read_text() if path.exists() else "# Benchmark results\n"
    block = f"{START}\n{section}\n{END}"
    if START in current and END in current:
        current = current[: current.index(START)] + block + current[current.index(END) + len(END) :]
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    path.write_text(current)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--serve"]:
        logging.basicConfig(level=logging.WARNING)
        kind, rest = argv[1], argv[2:]
        if kind == "bot":
            _serve_bot(int(rest[0]), rest[1], rest[2] or None)
        elif kind == "echo":
            _serve_echo(int(rest[0]))
        else:
            _serve_connector(int(rest[0]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--trackers", default="demo,100k")
    parser.add_argument("--users", default="1,20")
    parser.add_argument("--seconds", type=float, default=5.0, help="timed seconds per cell")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="then run the bot under cProfile (first backend and tracker, most users) and print the top",
    )
    parser.add_argument(
        "--turns", default="", help="only the turns whose text contains one of these words (comma separated)"
    )
    parser.add_argument("--write", action="store_true", help="update this benchmark's section of bench/RESULTS.md")
    parser.add_argument("--notes", default="", help="text to put under the section heading (machine, findings)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    users_list = [int(u) for u in args.users.split(",")]
    words = [w.strip() for w in args.turns.split(",") if w.strip()]
    turns = tuple(t for t in TURNS if not words or any(w in t[2] for w in words))
    results = []
    for backend in args.backends.split(","):
        for tracker in args.trackers.split(","):
            rows, rss = asyncio.run(run_config(backend, tracker, users_list, args.seconds, None, turns))
            results.append((backend, tracker, users_list, rows, rss))
    section = ["### Turns at POST /api/messages, beside a bare echo bot (bench/bench_turns.py)", ""]
    if args.notes:
        section += [args.notes, ""]
    section.append(table(results))
    print(table(results))
    if args.profile:
        path = str(ROOT / "bench" / ".bench_turns.prof")
        backend, tracker = args.backends.split(",")[0], args.trackers.split(",")[0]
        asyncio.run(run_config(backend, tracker, [max(users_list)], args.seconds, path, turns))
        profile = _profile_text(path)
        os.unlink(path)
        print(profile)
        section += [
            "",
            f"<details><summary>cProfile of the bot server, {backend}, {tracker} tracker, "
            f"{max(users_list)} users, {len(turns)} turns (own time by area, then top functions by own time, "
            "then cumulative)</summary>",
            "",
            "```",
            profile,
            "```",
            "",
            "</details>",
        ]
    if args.write:
        write_results("\n".join(section))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
