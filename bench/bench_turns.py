"""Benchmark: turns per second at POST /api/messages, the bot beside a bare botbuilder echo bot.

    .venv/bin/python bench/bench_turns.py                      # SQLite + PostgreSQL, demo + 100k, 1 + 20 users
    .venv/bin/python bench/bench_turns.py --backends sqlite --trackers demo --seconds 3
    .venv/bin/python bench/bench_turns.py --profile            # also cProfile the bot under 20 users
    .venv/bin/python bench/bench_turns.py --write              # update this benchmark's section of RESULTS.md
    .venv/bin/python bench/bench_turns.py --mixes A,B --trackers demo --users 20   # a week's load (turn_mix.py)

Four processes on 127.0.0.1: the bot (bot.app.build_app, one process, one event loop), a bare
botbuilder 4.17.1 echo bot (CloudAdapter, anonymous, one send_activity per turn), a fake Bot
Connector (tests/fakes/connector/) that both bots reply to, and this load generator. Each
simulated user has its own personal conversation and posts its next activity when the previous
POST returned (a turn is done when the reply has reached the connector: CloudAdapter awaits the
send before answering the POST). The first turn of each user (registration) is not timed.
The echo bot is measured in the same run, at the same concurrency, in slices taking turns with the
bot's (--slices), so a slower spell of this shared machine falls on both alike.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# only the standard library at import time: the `--serve` processes import what their server needs
from bench.results import write_section  # noqa: E402
from bench.turn_load import Cell, check_reply, load, merged  # noqa: E402
from bench.turn_mix_run import ECHO_BOTS, mix_table, run_mixes  # noqa: E402
from bench.turn_profile import profile_text  # noqa: E402
from bench.turn_servers import NOW, free_port, peak_rss_mb, serve, spawn, stop, wait_listening  # noqa: E402

log = logging.getLogger("bench_turns")
TURNS = (  # (label, who, text, what the reply must contain)
    ('"hello" (greeting card)', "owner", "hello", "AdaptiveCard"),
    ('"what\'s overdue in my group" (chief officer)', "chief officer", "what's overdue in my group", "AdaptiveCard"),
    ('"my actions" (owner)', "owner", "my actions", "AdaptiveCard"),
)
DEMO_AAD = {"chief officer": "00000000-0000-4000-8000-0000000000a2", "owner": "00000000-0000-4000-8000-0000000000a4"}
BIG_AAD = {"chief officer": "00000000-0000-4000-8000-00000000b0c0", "owner": "00000000-0000-4000-8000-00000000b00a"}


# --- databases ---------------------------------------------------------------------------------


def prepare(url: str, tracker: str) -> dict[str, str]:
    """Migrate and fill the database; returns the aad object id of one person per role."""
    from sqlalchemy import update

    from store.db.engine import make_engine, make_sessionmaker
    from store.db.migrate import upgrade
    from store.db.models import Person
    from store.db.setup import ensure_default_lists
    from store.demo.builder import load_demo

    engine = make_engine(url)
    try:
        upgrade(engine)
        if tracker == "demo":
            with make_sessionmaker(engine).begin() as session:
                ensure_default_lists(session)
                load_demo(session, NOW.date(), NOW)
            return dict(DEMO_AAD)
        from bench.trackers import generate

        ids = generate(engine, 100_000)
        with engine.begin() as conn:
            for role, aad in BIG_AAD.items():
                conn.execute(update(Person).where(Person.id == ids[role]).values(aad_object_id=aad))
        return dict(BIG_AAD)
    finally:
        engine.dispose()


# --- one configuration: backend x tracker ----------------------------------------------------


async def run_config(
    backend: str,
    tracker: str,
    users_list: list[int],
    seconds: float,
    profile_to: str | None,
    turns: tuple[tuple[str, str, str, str], ...] = TURNS,
    *,
    profile_cache: str = "",
    slices: int = 5,
) -> tuple[list[tuple[str, Cell, Cell, str]], float]:
    import aiohttp

    from bench.trackers import PG_URL, database

    rows: list[tuple[str, Cell, Cell, str]] = []
    with database(backend, PG_URL) as url:
        started = time.perf_counter()
        aads = await asyncio.to_thread(prepare, url, tracker)
        log.warning("%s/%s: tracker ready in %.1f s", backend, tracker, time.perf_counter() - started)
        ports = {k: free_port() for k in ("bot", "echo", "control", "cold")}
        procs = {
            "connector": spawn("connector", str(ports["control"])),
            "echo": spawn("echo", str(ports["echo"])),
            "bot": spawn("bot", str(ports["bot"]), url, profile_to or "", *([profile_cache] if profile_cache else [])),
        }
        if not profile_to:  # the same bot with ANSWER_CACHE_SIZE=0: what a question costs the first time
            procs["cold"] = spawn("bot", str(ports["cold"]), url, "", "0")
        try:
            for name in ("control", "echo", "bot", "cold"):
                if name in procs or name == "control":
                    await wait_listening(ports[name])
            control = f"http://127.0.0.1:{ports['control']}"
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
                async with http.get(f"{control}/forget") as response:  # the connector picks its own port
                    service_url = f"http://127.0.0.1:{(await response.json())['port']}/"

                async def cell(server: str, tag: str, *, users: int, aad: str, text: str) -> Cell:
                    """One timed slice against `server`'s process (the echo bot, the bot, the cache-off bot)."""
                    await http.get(f"{control}/forget")
                    return await load(
                        http,
                        f"http://127.0.0.1:{ports[server]}",
                        service_url,
                        users=users,
                        aad=aad,
                        text=text,
                        seconds=seconds / slices,
                        tag=server + tag,
                        server="echo" if server == "echo" else "bot",
                        pid=procs[server].pid,
                    )

                for users in users_list:
                    for n, (label, who, text, expected) in enumerate(turns):
                        tag, asked = f"{n}-{users}", {"users": users, "aad": aads[who], "text": text}
                        # the cache-off bot only for questions: the greeting reads no figures
                        bots = ("bot", "cold") if "cold" in procs and text != "hello" else ("bot",)
                        # The servers take turns, a slice each, so a spell when this shared machine runs
                        # slower falls on all of them alike instead of on whichever cell it met.
                        sliced: dict[str, list[Cell]] = {server: [] for server in ("echo", *bots)}
                        problems = dict.fromkeys(bots, "")
                        for _ in range(slices):
                            for server in sliced:
                                sliced[server].append(await cell(server, tag, **asked))
                                if server != "echo":
                                    cid = f"a:bench-{server}{tag}-0"
                                    problems[server] = problems[server] or await check_reply(
                                        http, control, cid, expected
                                    )
                        echo = merged(sliced["echo"])
                        for server in bots:
                            bot, problem = merged(sliced[server]), problems[server]
                            shown = label if server == "bot" else label + ", answer cache off"
                            rows.append((shown, bot, echo, problem))
                            _report(backend, tracker, users, shown, bot, echo, problem)
            rss = peak_rss_mb(procs["bot"].pid)
        finally:
            for proc in procs.values():
                stop(proc)
    return rows, rss


def _report(backend: str, tracker: str, users: int, label: str, bot: Cell, echo: Cell, problem: str) -> None:
    log.warning(
        "%s/%s %2d users %-50s bot %6.1f/s p50 %6.1f p99 %6.1f cpu %5.1f ms | echo %6.1f/s cpu %5.1f ms %s",
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


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--serve"]:
        logging.basicConfig(level=logging.WARNING)
        serve(argv[1], argv[2:])
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
        "--slices", type=int, default=5, help="servers take turns in this many slices of each cell's seconds"
    )
    parser.add_argument(
        "--profile-cache-off",
        action="store_true",
        help="profile the bot with ANSWER_CACHE_SIZE=0 (what a question costs the first time)",
    )
    parser.add_argument(
        "--turns", default="", help="only the turns whose text contains one of these words (comma separated)"
    )
    parser.add_argument("--mixes", default="", help="run these mixes of bench/turn_mix.py instead (A, B)")
    parser.add_argument("--echoes", default="botbuilder", help=f"echo bots beside the mixes: {', '.join(ECHO_BOTS)}")
    parser.add_argument("--py-spy", default="", help="with --mixes: py-spy record the bot (raw stacks) to this file")
    parser.add_argument("--write", action="store_true", help="update this benchmark's section of bench/RESULTS.md")
    parser.add_argument("--notes", default="", help="text to put under the section heading (machine, findings)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    users_list = [int(u) for u in args.users.split(",")]
    if args.mixes:
        mixed = []
        for backend in args.backends.split(","):
            for tracker in args.trackers.split(","):
                found, rss = asyncio.run(
                    run_mixes(
                        prepare, backend, tracker, max(users_list), args.seconds, args.mixes.split(","), slices=args.slices,
                        echoes=tuple(args.echoes.split(",")), py_spy=args.py_spy,
                    )
                )  # fmt: skip
                mixed.append((backend, tracker, found, rss))
        print(mix_table(mixed))
        return 0
    words = [w.strip() for w in args.turns.split(",") if w.strip()]
    turns = tuple(t for t in TURNS if not words or any(w in t[2] for w in words))
    results = []
    for backend in args.backends.split(","):
        for tracker in args.trackers.split(","):
            rows, rss = asyncio.run(
                run_config(backend, tracker, users_list, args.seconds, None, turns, slices=args.slices)
            )
            results.append((backend, tracker, users_list, rows, rss))
    section = ["### Turns at POST /api/messages, beside a bare echo bot (bench/bench_turns.py)", ""]
    if args.notes:
        section += [args.notes, ""]
    section.append(table(results))
    print(table(results))
    if args.profile or args.profile_cache_off:
        path = str(ROOT / "bench" / ".bench_turns.prof")
        backend, tracker = args.backends.split(",")[0], args.trackers.split(",")[0]
        cold = "0" if args.profile_cache_off else ""
        asyncio.run(run_config(backend, tracker, [max(users_list)], args.seconds, path, turns, profile_cache=cold))
        profile = profile_text(path)
        os.unlink(path)
        print(profile)
        section += [
            "",
            f"<details><summary>cProfile of the bot server, {backend}, {tracker} tracker, "
            f"{max(users_list)} users, {len(turns)} turns{', answer cache off' if cold else ''} (own time by area, then top functions by own time, "
            "then cumulative)</summary>",
            "",
            "```",
            profile,
            "```",
            "",
            "</details>",
        ]
    if args.write:
        write_section("bench_turns", "\n".join(section))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
