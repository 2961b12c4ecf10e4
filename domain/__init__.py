"""The tracker's rules and plain data, pure: no I/O, no database, no Teams, no pandas (see docs/architecture.md)."""

__all__: list[str] = []
