"""LibreOffice and headless Chromium for the pack's print tests, where they are installed.

Each test that needs one skips with the reason (and the package that brings it) where it is not.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

__all__ = ["page_texts", "pdf_pages", "print_html", "soffice_convert"]

# oosplash's own notice when no Java runtime is installed: about the machine, not about the workbook.
_MACHINE_NOTICES = ("failed to launch javaldx",)
_PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")
_MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")


def soffice_convert(source: Path, to: str, out: Path) -> tuple[Path, list[str]]:
    """``source`` converted by LibreOffice to the format ``to`` ('pdf', 'xlsx') in ``out``; returns the
    converted file and what LibreOffice said on stderr (machine notices left out)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui)")
    # A profile of its own, so that parallel runs and a desktop LibreOffice do not share one.
    profile = (out / "profile").resolve().as_uri()
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    said = [line for line in done.stderr.splitlines() if line.strip() and not any(n in line for n in _MACHINE_NOTICES)]
    converted = out / f"{source.stem}.{to.split(':')[0]}"
    assert done.returncode == 0 and converted.exists(), (done.returncode, done.stdout, done.stderr)
    return converted, said


def print_html(page: Path, pdf: Path) -> Path:
    """``page`` printed to ``pdf`` by headless Chromium, with the page's own footer only."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium; `make node` installs it)")
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return pdf


def pdf_pages(pdf: Path) -> tuple[int, set[tuple[int, int]]]:
    """How many pages ``pdf`` has, and their sizes in whole points (LibreOffice and Chromium write
    their page objects uncompressed)."""
    data = pdf.read_bytes()
    sizes = {(round(float(w)), round(float(h))) for w, h in _MEDIA_BOX.findall(data)}
    return len(_PAGE.findall(data)), sizes


def page_texts(pdf: Path) -> list[str]:
    """The text of each page of ``pdf`` (poppler's pdftotext)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext is not installed (Debian: apt-get install poppler-utils)")
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
