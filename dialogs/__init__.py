"""Multi-turn conversations (botbuilder-dialogs) with their state in the tracker database."""

__all__: list[str] = []
