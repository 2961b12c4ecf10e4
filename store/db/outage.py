"""Whether an error means the database cannot be reached just now (restarting, failing over, the
network between): the turn is answered "try again in a moment" and logged as one WARNING line,
instead of the apology and a traceback kept for real faults (issue 25)."""

from __future__ import annotations

from sqlalchemy import exc

__all__ = ["database_unavailable"]


def database_unavailable(error: BaseException) -> bool:
    """True for a lost or refused connection: nothing was committed, and the same request can be sent
    again once the database is back (the pool replaces the dead connections itself: pool_pre_ping)."""
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, (exc.OperationalError, exc.InterfaceError, exc.DisconnectionError)):
        return True
    cause = error.__cause__ or error.__context__
    return cause is not None and cause is not error and database_unavailable(cause)
