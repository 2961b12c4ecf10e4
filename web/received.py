"""An uploaded workbook, read from the request into a temporary file with a size cap.

The page sends it as multipart/form-data (a ``file`` part, and a ``preview`` field when applying) or
as the raw body (``?name=...&preview=...``). The app's own body limit (256 KB, for bot activities) does
not apply: the body is read as a stream and refused with 413 as soon as it passes MAX_UPLOAD_BYTES,
before it is all read. A zip whose parts would unpack to more than MAX_UNPACKED_BYTES (a "zip bomb")
is refused too, before the workbook reader opens it.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import AsyncIterator

from aiohttp import BodyPartReader, web

from web.signin import Refused

__all__ = ["MAX_UPLOAD_BYTES", "MAX_UNPACKED_BYTES", "Received", "receive"]

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # a 20,000-action workbook is about 3 MB
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
_MB = MAX_UPLOAD_BYTES // (1024 * 1024)
_CHUNK = 64 * 1024
_FIELD_BYTES = 1024
_TOO_LARGE = (
    f"The workbook is larger than {_MB} MB, the most the tab accepts: remove sheets the tracker does not "
    "read (History, pictures), or split the rows into two workbooks and upload each."
)
_NOTHING = "No workbook was sent: choose the .xlsx file to upload."


@dataclass(frozen=True)
class Received:
    path: Path
    name: str  # the file's name as the person chose it (problems name it, not the temporary file)
    sha256: str
    size: int
    preview: str  # the preview token sent with an "apply", else ""


async def _save(chunks: AsyncIterator[bytes], path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("wb") as out:
        async for chunk in chunks:
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                raise Refused(413, "too_large", _TOO_LARGE)
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


async def _part_chunks(part: BodyPartReader) -> AsyncIterator[bytes]:
    while chunk := await part.read_chunk(_CHUNK):
        yield chunk


def _file_name(raw: str | None) -> str:
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "".join(c for c in name if c.isprintable())[:120] or "the workbook"


def _unpacked_size(path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0  # not a zip: the workbook reader says it is not an .xlsx workbook


async def receive(request: web.Request, folder: Path) -> Received:
    """The uploaded workbook saved in ``folder``; Refused (400, 413) when there is none or too much."""
    if request.content_length is not None and request.content_length > MAX_UPLOAD_BYTES + _FIELD_BYTES * 4:
        raise Refused(413, "too_large", _TOO_LARGE)
    path = folder / "upload.xlsx"
    name, preview, saved = "", request.rel_url.query.get("preview", ""), None
    if request.content_type == "multipart/form-data":
        try:
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if not isinstance(part, BodyPartReader):
                    continue
                if part.name == "file" and saved is None:
                    name, saved = part.filename or "", await _save(_part_chunks(part), path)
                elif part.name == "preview":
                    preview = (await part.read_chunk(_FIELD_BYTES)).decode("ascii", "replace")
        except (ValueError, AssertionError) as bad:  # aiohttp's words for a malformed multipart body
            raise Refused(400, "bad_upload", f"The upload could not be read ({bad}): choose the file again.") from None
    else:
        name, saved = request.rel_url.query.get("name", ""), await _save(request.content.iter_chunked(_CHUNK), path)
    if saved is None or saved[1] == 0:
        raise Refused(400, "no_file", _NOTHING)
    if _unpacked_size(path) > MAX_UNPACKED_BYTES:
        raise Refused(413, "too_large", _TOO_LARGE)
    return Received(path, _file_name(name), saved[0], saved[1], preview.strip())
