"""The owner's typed update conversation: a small state machine, its state in one database row per user."""

__all__: list[str] = []
