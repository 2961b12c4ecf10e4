"""bench_turns' load generator: simulated users posting activities back to back, timed per turn.

Each user has its own personal conversation and posts its next activity when the previous POST
returned; a turn is done when the reply has reached the connector (CloudAdapter awaits the send
before answering the POST). The first turn of each user (registration) is not timed.
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from bench.turn_servers import cpu_seconds


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


def merged(cells: list[Cell]) -> Cell:
    """Slices of one server's cell, measured in turn with the other servers', as one cell."""
    first = cells[0]
    return Cell(
        first.server,
        first.users,
        sum(c.turns for c in cells),
        sum(c.seconds for c in cells),
        [ms for c in cells for ms in c.latencies_ms],
        sum(c.errors for c in cells),
        sum(c.cpu_s for c in cells),
    )


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

    # The load generator's own garbage collections would stall every simulated user at once and
    # land in the server's latency (both servers alike): no collection while the cell is timed.
    gc.collect()
    gc.disable()
    started, cpu = time.perf_counter(), cpu_seconds(pid)
    try:
        await asyncio.gather(*(user(cid, uid) for cid, uid in ids))
    finally:
        gc.enable()
    return Cell(server, users, len(latencies), time.perf_counter() - started, latencies, errors, cpu_seconds(pid) - cpu)


async def check_reply(http, control: str, cid: str, expected: str) -> str:
    async with http.get(f"{control}/last/{cid}") as response:
        activity = await response.json()
    raw = json.dumps(activity)
    if expected not in raw or "something went wrong" in raw:
        return f"UNEXPECTED REPLY: {raw[:300]}"
    return ""
