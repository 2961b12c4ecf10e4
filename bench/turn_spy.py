"""Summarise a py-spy raw profile of the bot (bench_turns --mixes --py-spy FILE; --idle --native).

    .venv/bin/python bench/turn_spy.py FILE

Samples per thread kind, and where each spent them: the event loop by area of its innermost Python
frame (or waiting in epoll), the database threads (aiosqlite's, asyncio.to_thread's) by what SQLite
was doing: waiting in its busy handler for a lock, syncing to disk, running a statement, or idle.
"""

from __future__ import annotations

import re
import sys
from collections import Counter

_LINE = re.compile(r"^thread \((?P<tid>[^)]*)\): (?P<name>[^;]*);(?P<stack>.*) (?P<n>\d+)$")
_PY = re.compile(r"\((?P<file>[^():]+\.py):\d+\)")
_AREAS = (  # first match on the innermost Python frame's file
    ("SQLAlchemy", "/sqlalchemy/"),
    ("aiosqlite", "/aiosqlite/"),
    ("psycopg", "/psycopg"),
    ("greenlet", "greenlet"),
    ("msrest", "/msrest/"),
    ("botbuilder", "/botbuilder/"),
    ("botbuilder", "/botframework/"),
    ("Agents SDK", "/microsoft_agents/"),
    ("aiohttp / yarl / multidict", "/aiohttp/"),
    ("aiohttp / yarl / multidict", "/yarl/"),
    ("aiohttp / yarl / multidict", "/multidict/"),
    ("asyncio", "/asyncio/"),
    ("logging", "/logging/"),
    ("json", "/json/"),
    ("other libraries", "site-packages"),
    ("the bot's code: bot/", "/bot/"),
    ("the bot's code: store/", "/store/"),
    ("the bot's code: questions/, cards/, domain/, dialogs/", "/questions/"),
    ("the bot's code: questions/, cards/, domain/, dialogs/", "/cards/"),
    ("the bot's code: questions/, cards/, domain/, dialogs/", "/domain/"),
    ("the bot's code: questions/, cards/, domain/, dialogs/", "/dialogs/"),
)
_SQLITE = (  # (label, native frame fragment), in order of precedence
    ("SQLite busy handler: waiting for a lock", "sqliteDefaultBusyCallback"),
    ("SQLite busy handler: waiting for a lock", "sqlite3InvokeBusyHandler"),
    ("syncing to disk (fsync)", "fsync"),
    ("syncing to disk (fsync)", "fdatasync"),
    ("running SQL (sqlite3_step and below)", "sqlite3_step"),
    ("preparing SQL (sqlite3_prepare)", "sqlite3_prepare"),
    ("psycopg: waiting for PostgreSQL", "psycopg"),
)


def _main_area(stack: str) -> str:
    # back from epoll or a socket call, ready to run, but a database thread's Python holds the GIL
    # (CPython's take_gil, inlined: a timed condition wait right under the call that released it)
    if "take_gil" in stack or "pthread_cond_timedwait" in stack:
        return "waiting for the GIL (a database thread holds it)"
    if "epoll_wait" in stack or "select (/" in stack and stack.rstrip().endswith(")") and "selectors.py" in stack:
        return "idle: waiting in epoll"
    files = _PY.findall(stack)
    leaf = files[-1] if files else ""
    return next((label for label, frag in _AREAS if frag in leaf), f"other ({leaf.rsplit('/', 1)[-1] or 'native'})")


def _worker_area(stack: str) -> str:
    hit = next((label for label, frag in _SQLITE if frag in stack), None)
    if hit:
        return hit
    if "_queue" in stack or "queue.py" in stack or "pthread_cond" in stack or "futex" in stack:
        return "idle: waiting for work"
    # since BotServices.run runs whole transactions on these threads, building the statements and
    # loading the rows happens here too: say which library's code the thread was in
    files = _PY.findall(stack)
    leaf = files[-1] if files else ""
    area = next((label for label, frag in _AREAS if frag in leaf), "other")
    return f"Python in the thread: {area}"


def summarise(path: str) -> str:
    threads: Counter[str] = Counter()
    areas: dict[str, Counter[str]] = {"event loop (MainThread)": Counter(), "database threads": Counter()}
    with open(path, encoding="utf-8", errors="replace") as raw:
        for line in raw:
            m = _LINE.match(line.rstrip("\n"))
            if not m:
                continue
            n, stack = int(m["n"]), m["stack"]
            kind = "event loop (MainThread)" if m["name"] == "MainThread" else "database threads"
            threads[kind] += n
            areas[kind][_main_area(stack) if kind.startswith("event") else _worker_area(stack)] += n
    out = []
    for kind, counts in areas.items():
        busy = sum(v for k, v in counts.items() if not k.startswith("idle"))
        out.append(f"{kind}: {threads[kind]} samples, {busy} not idle")
        for label, n in counts.most_common():
            share = "" if label.startswith("idle") else f" ({100 * n / max(1, busy):4.1f}% of not idle)"
            out.append(f"  {n:7d}  {label}{share}")
    return "\n".join(out)


if __name__ == "__main__":
    print(summarise(sys.argv[1]))
