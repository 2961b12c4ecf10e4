"""Update cycles: their scope, lifecycle and status, and the outbox that carries their messages."""

__all__: list[str] = []
