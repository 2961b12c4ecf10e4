"""Pure domain rules shared by every layer: no I/O, no SQLAlchemy, no botbuilder, no pandas."""
