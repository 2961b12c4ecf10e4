"""bench_turns --profile: the bot server's cProfile as text, its own time first grouped by area."""

from __future__ import annotations

import io
import pstats

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


def profile_text(path: str, limit: int = 30) -> str:
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
