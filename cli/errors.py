"""What the user reads when a command meets a problem it did not foresee: one line, never a traceback.

A command refuses what it foresees with :class:`cli.runtime.CommandError`. What remains is the
machine's: a file or folder that cannot be written or read, a port another server holds, a database
that cannot be opened. Each gets one line saying what to do; the traceback goes to the debug log
(`python app.py -v COMMAND` shows it).
"""

from __future__ import annotations

import errno
import socket

from sqlalchemy.exc import SQLAlchemyError

from cli.runtime import CommandError

__all__ = ["one_line", "ensure_port_free"]


def _os_problem(exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return "the port is already in use: another server is running (a second `make run`?); stop it, or set PORT"
    where = exc.filename or "a file"
    what = exc.strerror or str(exc)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write or read {where}: {what}; choose a file or folder you can use"
    if exc.errno == errno.ENOENT:
        return f"{where}: {what}; check the path (the folder must exist and be writable)"
    if exc.errno == errno.ENOSPC:
        return f"cannot write {where}: the disk is full; free some space and run it again"
    return f"{where}: {what}"


def one_line(exc: BaseException) -> str:
    """The sentence for ``exc``, which no command turned into a CommandError."""
    if isinstance(exc, OSError):
        return _os_problem(exc)
    if isinstance(exc, SQLAlchemyError):
        return (
            f"cannot use the database ({type(exc).__name__}): check DATABASE_URL and that the "
            "database is running and migrated (`python app.py migrate`); `-v` shows the details"
        )
    return f"unexpected {type(exc).__name__}: {exc} (`python app.py -v ...` shows the details)"


def ensure_port_free(host: str, port: int) -> None:
    """Refuse before anything says it listens, when another process holds ``host:port``."""
    if port == 0:
        return
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp binds: TIME_WAIT is no conflict
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CommandError(
                    f"port {port} on {host} is already in use: another server is running "
                    "(a second `make run`?); stop it, or set PORT to a free port"
                ) from None
            raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; check HOST and PORT") from None
