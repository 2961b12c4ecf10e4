"""The outbox's Teams side: the worker that claims, paces, sends and records (docs/architecture.md,
"The outbox"). The queue itself is store/outbox/; what each message says is domain/messages.py."""

__all__: list[str] = []
