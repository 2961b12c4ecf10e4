"""The tracker's store: models, sessions, rules and services. Never imports botbuilder."""
