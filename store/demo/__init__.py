"""The demo tracker (its data and the code that loads it)."""

__all__: list[str] = []
