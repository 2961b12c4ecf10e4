"""Teams conversation references and saved dialog state (stored, not sent: the bot sends)."""

__all__: list[str] = []
