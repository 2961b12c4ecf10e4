"""A PostgreSQL server of the test run's own, for machines where none is running.

Started with pytest-postgresql's process executor (pg_ctl initdb + start, trust auth, 127.0.0.1,
a free port) and removed, data directory and all, when the run ends. PostgreSQL refuses to run as
root, so as root every pg_ctl call goes through a small wrapper that runs it as the `postgres`
user (Debian's `postgresql` package creates that user), in a directory that user owns.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import tempfile
import time
from pathlib import Path

__all__ = ["ThrowawayPostgres", "find_pg_ctl", "NoPostgresInstalled"]


class NoPostgresInstalled(RuntimeError):
    """pg_ctl is nowhere to be found: say how to install it."""


def find_pg_ctl() -> str:
    """pg_ctl of the newest installed PostgreSQL (Debian keeps it off PATH, under /usr/lib/postgresql)."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if candidates:
        return candidates[-1]
    found = shutil.which("pg_ctl")
    if found:
        return found
    raise NoPostgresInstalled(
        "No PostgreSQL answers at TEST_DATABASE_URL and pg_ctl is not installed, so the tests cannot start "
        "a throwaway server: install PostgreSQL (`sudo apt-get install -y postgresql`, or run `make test` "
        "as root), or point TEST_DATABASE_URL at a server, or set TRACKER_SKIP_PG=1."
    )


STARTUP_SECONDS = 60.0


def _wait_until_accepting(url: str, timeout: float = STARTUP_SECONDS) -> None:
    """The port opens before recovery ends ("the database system is starting up"): wait for a query."""
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(url, connect_timeout=3) as conn:
                conn.execute("SELECT 1")
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class ThrowawayPostgres:
    """start() -> a postgresql:// URL; stop() removes the server and its files."""

    def __init__(self, pg_ctl: str | None = None):
        self.pg_ctl = pg_ctl or find_pg_ctl()
        self.base: Path | None = None
        self._executor = None

    def _executable(self, base: Path) -> str:
        if os.geteuid() != 0:
            return self.pg_ctl
        owner = pwd.getpwnam("postgres")  # KeyError: no postgres user -> Debian's package is missing
        os.chown(base, owner.pw_uid, owner.pw_gid)
        wrapper = base / "pg_ctl-as-postgres"
        wrapper.write_text(f'#!/bin/sh\nexec runuser -u postgres -- "{self.pg_ctl}" "$@"\n')
        wrapper.chmod(0o755)
        return str(wrapper)

    def start(self) -> str:
        from port_for import get_port
        from pytest_postgresql.executors import PostgreSQLExecutor

        base = Path(tempfile.mkdtemp(prefix="tracker-test-pg-"))
        base.chmod(0o755)
        self.base = base
        port = get_port(None)
        self._executor = PostgreSQLExecutor(
            executable=self._executable(base),
            host="127.0.0.1",
            port=port,
            datadir=str(base / "data"),
            unixsocketdir=str(base),
            logfile=str(base / "postgresql.log"),
            startparams="-w",
            dbname="postgres",
            user="postgres",
            # Many short-lived schemas and connections; durability does not matter for a throwaway.
            postgres_options="-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
        )
        url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        try:
            self._executor.start()
            _wait_until_accepting(url)
        except Exception:
            self.stop()
            raise
        return url

    def pause(self) -> None:
        """Shut the server down fast (its connections are cut, as in a restart), keeping its data."""
        assert self._executor is not None
        self._executor.stop()

    def resume(self) -> None:
        """Start the paused server again on the same port and data (tests of a database restart)."""
        assert self._executor is not None
        self._executor.start()
        _wait_until_accepting(f"postgresql://postgres@127.0.0.1:{self._executor.port}/postgres")

    @property
    def running(self) -> bool:
        return self._executor is not None and self._executor.running()

    def stop(self) -> None:
        executor, self._executor = self._executor, None
        try:
            if executor is not None and executor.running():
                executor.stop()
        finally:
            if self.base is not None:
                shutil.rmtree(self.base, ignore_errors=True)
                self.base = None
