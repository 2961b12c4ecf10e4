"""Owner updates of actions and HMICFRS items, and governance decisions on what owners propose."""

__all__: list[str] = []
