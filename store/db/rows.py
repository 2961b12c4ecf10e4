"""How many rows an UPDATE or DELETE touched, typed: SQLAlchemy types `Session.execute` as a
`Result`, while a DML statement's result is a `CursorResult`, which alone has `rowcount`."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Result

__all__ = ["affected"]


def affected(result: Result[Any]) -> int:
    return int(cast(CursorResult[Any], result).rowcount or 0)
