"""The database: engine and sessions, the models, migrations, the default lists and the rules as SQL clauses."""

__all__: list[str] = []
