"""bench_turns --mixes: runs bench/turn_mix.py's mixes against the bot, in slices taking turns with
the bare echo bots' slices, and writes their table (turns/s against the botbuilder echo bot; p50/p99
of questions and of saves apart; the bot's peak RSS)."""

from __future__ import annotations

import asyncio
import logging
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

from bench.turn_load import Cell, load, merged
from bench.turn_mix import MIXES, mix_load, mix_people
from bench.turn_servers import free_port, peak_rss_mb, spawn, stop, wait_listening

__all__ = ["ECHO_BOTS", "run_mixes", "mix_table"]

log = logging.getLogger("bench_turns")
# The bare echo bots the bot is measured beside: name -> the `--serve` kind that runs it
# (bench/turn_servers.py). `--echoes botbuilder,agents` measures beside both in the same interleaved run.
ECHO_BOTS = {"botbuilder": "echo", "agents": "agents-echo"}


async def run_mixes(
    prepare: Callable[[str, str], dict[str, str]],
    backend: str,
    tracker: str,
    users: int,
    seconds: float,
    mixes: list[str],
    *,
    slices: int = 5,
    echoes: tuple[str, ...] = ("botbuilder",),
    py_spy: str = "",
) -> tuple[list[tuple[str, dict[str, Cell], list[str]]], float]:
    """The mixes of turn_mix.py, the bot's slices taking turns with each echo bot's. Returns, per mix,
    {"questions", "saves", "all", "echo:<name>"...} cells and the problems seen; and the bot's peak RSS."""
    import aiohttp

    from bench.trackers import PG_URL, database

    out: list[tuple[str, dict[str, Cell], list[str]]] = []
    with database(backend, PG_URL) as url:
        aads = await asyncio.to_thread(prepare, url, tracker)
        people, _groups = await asyncio.to_thread(mix_people, url, users)
        ports = {k: free_port() for k in ("bot", "control", *echoes)}
        procs = {
            "connector": spawn("connector", str(ports["control"])),
            "bot": spawn("bot", str(ports["bot"]), url, ""),
        }
        procs.update({name: spawn(ECHO_BOTS[name], str(ports[name])) for name in echoes})
        spy = None
        try:
            for name in ports:
                await wait_listening(ports[name])
            if py_spy:  # sampled from outside: sees threads (aiosqlite's) and native waits cProfile cannot
                spy = subprocess.Popen(
                    [_py_spy(), "record", "--pid", str(procs["bot"].pid)]
                    + ["--rate", "50", "--format", "raw", "--threads", "--idle", "--native", "--full-filenames"]
                    + ["--output", py_spy],
                    stdout=subprocess.DEVNULL,
                )  # --native pauses the bot for each sample: profile in a run of its own, not a measured one
            control = f"http://127.0.0.1:{ports['control']}"
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
                async with http.get(f"{control}/forget") as response:
                    service_url = f"http://127.0.0.1:{(await response.json())['port']}/"
                for mix in mixes:
                    parts: dict[str, list[Cell]] = {}
                    problems: list[str] = []
                    for k in range(slices):
                        for name in echoes:
                            await http.get(f"{control}/forget")
                            cell = await load(
                                http, f"http://127.0.0.1:{ports[name]}", service_url, users=users, aad=aads["owner"],
                                text="what's overdue", seconds=seconds / slices, tag=f"{name}{mix}{k}", server="echo",
                                pid=procs[name].pid,
                            )  # fmt: skip
                            parts.setdefault(f"echo:{name}", []).append(cell)
                        await http.get(f"{control}/forget")
                        asked, saved, seen = await mix_load(
                            http, f"http://127.0.0.1:{ports['bot']}", service_url, people, saves=MIXES[mix],
                            seconds=seconds / slices, tag=mix, pid=procs["bot"].pid,
                        )  # fmt: skip
                        parts.setdefault("questions", []).append(asked)
                        parts.setdefault("saves", []).append(saved)
                        problems += seen
                    cells = {name: merged(cs) for name, cs in parts.items()}
                    q, s = cells["questions"], cells["saves"]
                    cells["all"] = Cell("bot", users, q.turns + s.turns, q.seconds, q.latencies_ms + s.latencies_ms,
                                        q.errors + s.errors, q.cpu_s + s.cpu_s)  # fmt: skip
                    out.append((mix, cells, problems[:3]))
                    _report_mix(backend, tracker, mix, cells, problems)
            rss = peak_rss_mb(procs["bot"].pid)
        finally:
            if spy is not None:
                spy.send_signal(2)
                spy.wait(60)
            for proc in procs.values():
                stop(proc)
    return out, rss


def _py_spy() -> str:
    """py-spy beside the interpreter (installed in the virtualenv), else the one on PATH."""
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else (shutil.which("py-spy") or str(beside))


def _report_mix(backend: str, tracker: str, mix: str, cells: dict[str, Cell], problems: list[str]) -> None:
    a, q, s = cells["all"], cells["questions"], cells["saves"]
    echo = cells["echo:botbuilder"]
    log.warning(
        "%s/%s mix %s %d users: bot %.1f/s (%.1fx echo %.1f/s) | questions p50 %.1f p99 %.1f | saves %d p50 %.1f "
        "p99 %.1f | errors %d %s",
        backend, tracker, mix, a.users, a.rate, a.rate / echo.rate if echo.rate else float("nan"), echo.rate,
        q.pct(50), q.pct(99), s.turns, s.pct(50), s.pct(99), a.errors, "; ".join(problems),
    )  # fmt: skip


def _others(cells: dict[str, Cell], bot: Cell) -> str:
    """The other echo bots measured in the same run (the Agents SDK's, once there): rate and ratio."""
    return "".join(
        f"; {name[5:]} echo {c.rate:.0f}/s, {bot.rate / c.rate:.1f}×"
        for name, c in cells.items()
        if name.startswith("echo:") and name != "echo:botbuilder" and c.rate
    )


def mix_table(results: list[tuple[str, str, list[tuple[str, dict[str, Cell], list[str]]], float]]) -> str:
    lines = [
        "| backend | tracker | mix | users | bot turns/s | botbuilder echo turns/s | ratio | saves % "
        "| questions p50 / p99 ms | saves p50 / p99 ms | echo p99 ms | errors | bot peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for backend, tracker, mixes, rss in results:
        for mix, cells, problems in mixes:
            a, q, s, echo = cells["all"], cells["questions"], cells["saves"], cells["echo:botbuilder"]
            saves = f"{s.pct(50):.0f} / {s.pct(99):.0f}" if s.turns else "—"
            lines.append(
                f"| {backend} | {tracker} | {mix} | {a.users} | {a.rate:.0f} | {echo.rate:.0f} | "
                f"{a.rate / echo.rate:.1f}×{_others(cells, a)} | {100 * s.turns / max(1, a.turns):.0f} | "
                f"{q.pct(50):.0f} / {q.pct(99):.0f} | {saves} | {echo.pct(99):.0f} | "
                f"{a.errors}{' ' + problems[0][:80] if problems else ''} | {rss:.0f} |"
            )
    return "\n".join(lines)
