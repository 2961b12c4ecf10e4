"""`make test` needs no PostgreSQL running: the suite can start one of its own and remove it."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import create_engine, text

from tests.fakes.throwaway_pg import NoPostgresInstalled, ThrowawayPostgres, find_pg_ctl


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_throwaway_server_answers_and_is_removed_with_its_files() -> None:
    try:
        server = ThrowawayPostgres(find_pg_ctl())
    except NoPostgresInstalled as exc:  # `make test` installs it as root; say so rather than pass
        pytest.fail(str(exc))
    url = server.start()
    base, port = server.base, int(url.rsplit(":", 1)[1].split("/")[0])
    try:
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
        engine.dispose()
        assert base is not None and (base / "data").is_dir()
        assert _listening(port)
    finally:
        server.stop()
    assert not server.running
    assert not base.exists()
    assert not _listening(port)
