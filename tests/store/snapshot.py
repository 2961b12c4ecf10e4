"""Every row of every table as plain tuples, to prove an operation changed nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from store.db.models import Base

__all__ = ["snapshot"]


def snapshot(engine: Engine, *, skip: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in skip:
                continue
            rows = conn.execute(select(table)).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out
