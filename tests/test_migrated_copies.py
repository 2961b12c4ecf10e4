"""The tests' migrated databases are copies of one migration run (tests/fakes/migrated.py): a copy must be
indistinguishable from a database migrated on the spot, on both backends."""

from __future__ import annotations

from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest
from sqlalchemy import Engine, inspect, text

from store.db.migrate import current_revision, head_revision
from tests.fakes.databases import fresh_database_url, pg_skip_reason
from tests.fakes.migrated import migrate_in_place, migrated_engine


def _schema(engine: Engine) -> dict[str, Any]:
    """Everything the app relies on: tables, columns, keys, indexes, constraints."""
    insp = inspect(engine)
    shape: dict[str, Any] = {}
    for table in sorted(insp.get_table_names()):
        shape[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], str(c.get("default"))) for c in insp.get_columns(table)
            ],
            "pk": insp.get_pk_constraint(table)["constrained_columns"],
            "fks": sorted(
                (
                    tuple(f["constrained_columns"]),
                    f["referred_table"],
                    tuple(f["referred_columns"]),
                    str(f.get("options")),
                )
                for f in insp.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in insp.get_indexes(table)
            ),
            "uniques": sorted((u["name"], tuple(u["column_names"])) for u in insp.get_unique_constraints(table)),
            "checks": sorted((c["name"], c["sqltext"]) for c in insp.get_check_constraints(table)),
        }
    return shape


def _rows(engine: Engine) -> dict[str, list[Any]]:
    with engine.connect() as conn:
        return {
            "groups": list(conn.execute(text("SELECT id, name FROM business_groups ORDER BY id"))),
            "reasons": list(conn.execute(text("SELECT id, value, position FROM delay_reasons ORDER BY id"))),
        }


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_copied_database_matches_one_migrated_on_the_spot(backend: str, tmp_path: Path) -> None:
    if backend == "postgresql" and (reason := pg_skip_reason()):
        pytest.skip(reason)
    with ExitStack() as stack:
        fresh, first, copied = (
            stack.enter_context(fresh_database_url(backend, _folder(tmp_path, name))) for name in ("a", "b", "c")
        )
        reference = stack.enter_context(_disposed(migrate_in_place(fresh)))
        # The run's first database of a backend is the one the template is made from: the one after it is a copy.
        stack.enter_context(_disposed(migrated_engine(first)))
        copy = stack.enter_context(_disposed(migrated_engine(copied)))

        assert current_revision(copy) == current_revision(reference) == head_revision()
        assert _schema(copy) == _schema(reference)
        assert _rows(copy) == _rows(reference)
        assert _rows(copy)["groups"] and _rows(copy)["reasons"]


def _folder(tmp_path: Path, name: str) -> Path:
    (tmp_path / name).mkdir()
    return tmp_path / name


@contextmanager
def _disposed(engine: Engine) -> Iterator[Engine]:
    try:
        yield engine
    finally:
        engine.dispose()
