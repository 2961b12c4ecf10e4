"""Every make target builds what it needs (issue 24 point 2): `make package` on a fresh clone installs
the venv and node_modules before it reads the manifest schema from them; `make run` says what it is
installing (pip without -q)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _dry_run(target: str) -> list[str]:
    """The commands `make TARGET` runs on a fresh clone (-B: nothing is built yet), in order."""
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    done = subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def _first(lines: list[str], needle: str) -> int:
    return next(i for i, line in enumerate(lines) if needle in line)


def test_make_package_installs_node_modules_and_the_venv_before_packaging():
    lines = _dry_run("package")
    packaging = _first(lines, "tools/make_package.py")
    assert _first(lines, "npm ci") < packaging and _first(lines, "pip install") < packaging
    assert lines[packaging].startswith(".venv/bin/python")  # jsonschema comes from the venv


def test_make_run_shows_what_it_installs():
    lines = _dry_run("run")
    installs = [line for line in lines if "pip install" in line]
    assert installs and not any(" -q" in line for line in installs)
