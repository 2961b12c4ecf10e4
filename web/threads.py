"""Store work too heavy for the event loop (an import, an export, the panel pack) on a worker thread,
with a database connection of its own: on the async engine's session, the import's parsing and the
ORM work of 20,000 rows would hold up every other request of this instance while they last.

A new engine each call, without a pool: these run a few times a quarter, and an idle pooled
connection would only outlive them. Same database and settings as the tab's async engine.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable, TypeVar

from sqlalchemy.pool import NullPool

from store.db.engine import make_engine, make_sessionmaker
from web.signin import TabContext

__all__ = ["in_thread"]

T = TypeVar("T")


async def in_thread(ctx: TabContext, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(session, *args, **kwargs)`` in one transaction on a worker thread: committed when it
    returns, rolled back if it raises (like TabContext.run)."""
    url = ctx.sessions.kw["bind"].url.render_as_string(hide_password=False)

    def work() -> T:
        engine = make_engine(url, poolclass=NullPool)
        try:
            with make_sessionmaker(engine).begin() as session:
                return fn(session, *args, **kwargs)
        finally:
            engine.dispose()

    return await asyncio.to_thread(work)
