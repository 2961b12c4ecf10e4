"""The claims a sender holds, and the heartbeat that keeps them while it paces and sends.

Claims are short (`SenderSettings.lease`) and renewed while held, so a live sender keeps them however
long the pacing takes and a dead one's expire within one lease (store/outbox/claims.py). A
send starts only while its claim has at least the send timeout plus LEASE_MARGIN left.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any, Awaitable, Callable, Iterable

from bot.outbox.settings import LEASE_MARGIN
from store.db.outage import database_unavailable
from store.outbox.claims import Claimed, renew

__all__ = ["Leases"]

log = logging.getLogger(__name__)


class Leases:
    def __init__(
        self,
        run: Callable[..., Awaitable[Any]],
        *,
        worker_id: str,
        lease: timedelta,
        send_timeout: float,
        clock: Callable[[], datetime],
        writes: asyncio.Lock,
    ) -> None:
        if lease.total_seconds() < 2 * send_timeout + LEASE_MARGIN:
            raise ValueError(
                f"the lease must outlast a send attempt: at least twice the send timeout plus {LEASE_MARGIN:g} s"
            )
        # `writes`: the sender's one write lock (claims, lease renewals, outcomes)
        self._run, self._writes, self.clock = run, writes, clock
        self.worker_id, self.lease, self.send_timeout = worker_id, lease, send_timeout
        # claimed, not yet recorded or released: id -> how long the claim lasts (renewed while held)
        self.held: dict[int, datetime] = {}
        # Renewed well before a send could no longer start (it needs timeout + margin left).
        self.renew_every = max(0.05, (lease.total_seconds() - send_timeout - LEASE_MARGIN) / 2)

    def take(self, batch: Iterable[Claimed]) -> None:
        self.held.update((m.id, m.locked_until) for m in batch)

    def drop(self, message_id: int) -> None:
        """Recorded or released: no longer ours to renew."""
        self.held.pop(message_id, None)

    def holds(self, message_id: int) -> bool:
        return message_id in self.held

    def long_enough(self, message_id: int) -> bool:
        """Still ours, with time for a send attempt and its record."""
        until = self.held.get(message_id)
        return until is not None and (until - self.clock()).total_seconds() >= self.send_timeout + LEASE_MARGIN

    async def keep(self) -> None:
        """Heartbeat: extend the claims still held, until cancelled."""
        while True:
            await asyncio.sleep(self.renew_every)
            held = list(self.held)
            if not held:
                continue
            until = self.clock() + self.lease
            try:
                async with self._writes:
                    kept = await self._run(renew, held, self.worker_id, until)
            except Exception as err:  # sends stop starting once too little of a claim is left
                log.warning("could not renew %d outbox claims", len(held), exc_info=not database_unavailable(err))
                continue
            for message_id in held:
                if message_id not in self.held:
                    continue  # recorded meanwhile
                if message_id in kept:
                    self.held[message_id] = max(self.held[message_id], until)
                else:  # taken over by another sender after our lease ran out: theirs now
                    del self.held[message_id]
