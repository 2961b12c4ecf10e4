"""One send rate for the whole tenant, shared by every sender on PostgreSQL: slot reservation.

The row `send_rate(name)` holds the next free send slot in the database's own clock. A sender
reserves `count` consecutive slots, `1/rate` seconds apart, in one UPDATE (the row lock orders
concurrent senders; nobody waits longer than one short statement) and sends each message at its
slot. Slots are reported relative to the database's `clock_timestamp()` of the same statement, so
hosts whose clocks disagree still pace together. A 429 from the connector moves the next free slot
past its Retry-After for every sender (`push_back`).

After an idle spell at most `burst` slots lie in the past (sent at once), like a token bucket.
PostgreSQL only: on SQLite a process-local token bucket paces the sends (bot/outbox/policy.py).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

__all__ = ["reserve_slots", "push_back", "TENANT"]

TENANT = "tenant"

_NOW = "extract(epoch from clock_timestamp())"
_RESERVE = text(f"""
    UPDATE send_rate
       SET next_slot = greatest(next_slot, {_NOW} - (:burst - 1) / :rate) + :count / :rate
     WHERE name = :name
 RETURNING next_slot - :count / :rate AS first_slot, {_NOW} AS now
""")
_CREATE = text("INSERT INTO send_rate (name, next_slot) VALUES (:name, 0) ON CONFLICT (name) DO NOTHING")
_PUSH_BACK = text(f"UPDATE send_rate SET next_slot = greatest(next_slot, {_NOW} + :seconds) WHERE name = :name")


def reserve_slots(
    session: Session, count: int, rate: float, *, burst: int = 1, name: str = TENANT
) -> tuple[float, float]:
    """Reserve `count` slots; returns (first slot, now) in database seconds. Slot i is at
    first + i / rate. The caller commits (at once: the row stays locked until then)."""
    params = {"name": name, "count": float(count), "rate": float(rate), "burst": float(max(1, burst))}
    row = session.execute(_RESERVE, params).first()
    if row is None:  # the first reservation ever under this name
        session.execute(_CREATE, {"name": name})
        row = session.execute(_RESERVE, params).one()
    return float(row.first_slot), float(row.now)


def push_back(session: Session, seconds: float, *, name: str = TENANT) -> None:
    """Nobody sends for `seconds` (the connector answered 429 with Retry-After)."""
    session.execute(_PUSH_BACK, {"name": name, "seconds": float(seconds)})
