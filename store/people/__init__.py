"""People: who someone is (identity), what they may see and act for (viewers)."""

__all__: list[str] = []
