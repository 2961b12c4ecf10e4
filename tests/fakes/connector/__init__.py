"""A fake Bot Connector service: a real aiohttp server on 127.0.0.1 to use as `serviceUrl`.

It answers the REST calls the SDK makes for a bot (send, reply, update, delete activities,
create conversation, member lookups), records every activity it receives, and can misbehave
on purpose: a global rate limit (429 + Retry-After), scripted per-conversation failures,
blocked (403) or missing (404) conversations, and slow answers (to provoke client timeouts).

Async tests (same event loop as the bot under test)::

    async with FakeConnector() as connector:
        activity = make_activity(connector.service_url, text="hi")
        ...post it to the bot...
        [reply] = await connector.wait_for(1)
        assert connector.texts() == ["..."]

Sync tests, benchmarks or separate processes (server in a background thread with its own loop)::

    with FakeConnector(rate_limit=20) as connector:
        ...drive a sender at connector.service_url...
        connector.wait_for_blocking(5000, timeout=600)
        assert connector.stats()["accepted"] == 5000

Every public method is thread-safe. Delays end early when the connector stops.

The parts: ``activities`` (the JSON Teams posts, one received request), ``faults`` (what to refuse
and when), ``journal`` (what was received, and waiting for it), ``server`` (the HTTP service).
"""

from tests.fakes.connector.activities import ADAPTIVE_CARD, Received, make_activity
from tests.fakes.connector.server import FakeConnector

__all__ = ["FakeConnector", "Received", "make_activity", "ADAPTIVE_CARD"]
