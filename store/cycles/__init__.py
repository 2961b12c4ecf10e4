"""Update cycles: their scope, lifecycle, status and reminders (their messages go through store/outbox/)."""

__all__: list[str] = []
