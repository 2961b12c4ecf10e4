"""Every dependency pinned, the transitive ones too: constraints.txt holds the version of each
package the venv was built with, the requirements files agree with it, and the venv running this
suite is exactly that (so what passed here is what `make` and the Dockerfile install)."""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#]+)")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-r ")):
            continue
        match = PIN.match(line)
        assert match, f"{path.name}: {line!r} is not pinned with =="
        pins[_canonical(match[1])] = match[2]
    return pins


LOCK = _pins(ROOT / "constraints.txt")


@pytest.mark.parametrize("requirements", ["requirements.txt", "requirements-dev.txt"])
def test_each_requirement_is_pinned_at_the_locked_version(requirements: str) -> None:
    pins = _pins(ROOT / requirements)
    assert pins
    differ = {name: (v, LOCK.get(name)) for name, v in pins.items() if LOCK.get(name) != v}
    assert not differ, f"{requirements} and constraints.txt disagree (run `make lock`): {differ}"


def test_the_venv_holds_the_locked_versions() -> None:
    def installed(name: str) -> str | None:
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    differ = {name: (v, installed(name)) for name, v in LOCK.items() if installed(name) != v}
    assert not differ, f"the venv differs from constraints.txt (locked, installed): {differ}"


def test_every_install_uses_the_lock() -> None:
    assert "-c constraints.txt" in (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-c constraints.txt" in (ROOT / "Dockerfile").read_text(encoding="utf-8")
