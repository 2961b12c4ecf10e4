"""The durable outbox: the queue (queue.py), claims and their leases (claims.py), the outcomes
senders record (outcomes.py) and the tenant-wide send slots (pacing.py). No wording, no Teams."""

__all__: list[str] = []
