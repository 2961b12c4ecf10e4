"""Files a command reads or writes: checked before the work starts, written whole or not at all."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from cli.runtime import CommandError

__all__ = ["readable_workbook", "writable_workbook", "written"]


def readable_workbook(path: Path) -> None:
    """Refuse, in a sentence, a workbook path that cannot be read."""
    if path.suffix.lower() != ".xlsx":
        raise CommandError(f"{path} is not an .xlsx workbook")
    if path.is_dir():
        raise CommandError(f"{path} is a folder: name the .xlsx workbook inside it")
    if not path.exists():
        raise CommandError(f"{path}: no such file; check the name and the folder")
    if not os.access(path, os.R_OK):
        raise CommandError(f"{path}: cannot be read (permission denied); check its permissions")


def writable_workbook(path: Path) -> None:
    """Refuse a path the workbook cannot be written to, before any work is done."""
    if path.suffix.lower() != ".xlsx":
        raise CommandError(f"{path}: the export is an .xlsx workbook; name the file *.xlsx")
    folder = path.parent
    if not folder.is_dir():
        raise CommandError(f"folder {folder} does not exist: create it or choose another")
    if path.is_dir():
        raise CommandError(f"{path} is a folder: name a file inside it")
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise CommandError(
            f"cannot write to {folder}: {exc.strerror or exc}; choose a folder you can write to"
        ) from None


@contextmanager
def written(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path``, put in its place only when the block succeeds: a failed
    write never leaves half a workbook where the last good one was."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
    os.close(handle)
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(temporary, 0o666 & ~mask)  # mkstemp's 0600 would hide the export from the reader's group
    try:
        yield Path(temporary)
        os.replace(temporary, path)
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror or exc}; choose a folder you can write to") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
